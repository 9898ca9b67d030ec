"""Moving a card on the board: the drop asks for the transition from the card's stage to the
column's, through the project page's workflow form; refusals say why, in Chinese."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.investment.models import Project, ProjectEvent
from tests.investment.factories import ProjectFactory, approve_admission

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _from_the_board(client):
    """The board's dialog asks with this header (static/js/board.js); TestWithoutTheBoard
    opens the same addresses without it."""
    client.defaults["HTTP_X_REQUESTED_WITH"] = "zp-board"


def _move_to(project, stage):
    return reverse("investment:project_move_to", args=[project.pk, stage])


def _move(project, action):
    return reverse("investment:project_move", args=[project.pk, action])


SIGN = {
    "sign-kind": "contract",
    "sign-amount": "30000",
    "sign-signed_on": datetime.date.today().isoformat(),
}


class TestAskingForTheMove:
    def test_the_next_stage_asks_with_the_project_pages_form(self, client, officer, team):
        project = ProjectFactory(team=team, owner=officer, status=Project.Status.REVIEWING)
        client.force_login(officer)
        response = client.get(_move_to(project, "signed"))
        body = response.content.decode()
        assert response.status_code == 200
        assert f'action="{_move(project, "sign")}"' in body
        assert 'name="sign-amount"' in body and 'name="sign-signed_on"' in body

    def test_a_stage_out_of_reach_is_refused_with_400(self, client, officer, team):
        project = ProjectFactory(team=team, owner=officer, status=Project.Status.NEGOTIATING)
        client.force_login(officer)
        response = client.get(_move_to(project, "signed"))
        assert response.status_code == 400
        assert "“洽谈”阶段的项目不能直接移到“签约”" in response.content.decode()
        assert "<form" not in response.content.decode()

    def test_the_same_stage_is_refused(self, client, officer, team):
        project = ProjectFactory(team=team, owner=officer, status=Project.Status.SIGNED)
        client.force_login(officer)
        assert client.get(_move_to(project, "signed")).status_code == 400

    def test_a_shelved_project_resumes_to_the_stage_it_left(self, client, officer, team):
        project = ProjectFactory(
            team=team, owner=officer, status=Project.Status.SHELVED, resume_to="inspecting"
        )
        client.force_login(officer)
        assert client.get(_move_to(project, "inspecting")).status_code == 200
        assert client.get(_move_to(project, "negotiating")).status_code == 400

    def test_someone_who_may_not_move_it_is_told_why_with_403(self, client, team, role_users):
        # The leadership reads every project and moves none.
        project = ProjectFactory(team=team, status=Project.Status.NEGOTIATING)
        client.force_login(role_users["领导"])
        response = client.get(_move_to(project, "inspecting"))
        assert response.status_code == 403
        body = response.content.decode()
        assert 'data-testid="refusal"' in body and "<form" not in body

    def test_a_project_out_of_sight_is_404(self, client, outsider, team):
        project = ProjectFactory(team=team, status=Project.Status.NEGOTIATING, confidential=True)
        client.force_login(outsider)
        assert client.get(_move_to(project, "inspecting")).status_code == 404
        assert client.post(_move(project, "inspect"), {}).status_code == 404

    def test_an_unknown_stage_is_404(self, client, officer, team):
        project = ProjectFactory(team=team, owner=officer)
        client.force_login(officer)
        assert client.get(_move_to(project, "lost")).status_code == 404
        assert client.get(_move_to(project, "<script>")).status_code == 404


class TestMoving:
    def test_signing_without_an_approved_review_is_refused_then_succeeds_after_one(
        self, client, officer, team
    ):
        project = ProjectFactory(team=team, owner=officer, status=Project.Status.REVIEWING)
        client.force_login(officer)
        refused = client.post(_move(project, "sign"), SIGN)
        assert refused.status_code == 400
        body = refused.content.decode()
        assert "签约须先通过准入评审" in body and "data-board-move" in body
        project.refresh_from_db()
        assert project.status == Project.Status.REVIEWING

        approve_admission(project, officer)
        done = client.post(_move(project, "sign"), SIGN)
        assert done.status_code == 204
        project.refresh_from_db()
        assert project.status == Project.Status.SIGNED
        assert project.contract_investment == Decimal("30000")
        assert ProjectEvent.objects.filter(project=project, action="sign").count() == 1
        # The board, reloaded, says what was done.
        assert "已签约" in client.get(reverse("investment:board")).content.decode()

    def test_bad_input_comes_back_on_the_form(self, client, officer, team):
        project = ProjectFactory(team=team, owner=officer, status=Project.Status.REVIEWING)
        approve_admission(project, officer)
        client.force_login(officer)
        response = client.post(_move(project, "sign"), {**SIGN, "sign-amount": "-1"})
        assert response.status_code == 400
        assert 'name="sign-amount"' in response.content.decode()
        project.refresh_from_db()
        assert project.status == Project.Status.REVIEWING

    def test_the_board_offers_dragging_only_to_those_who_move_projects(
        self, client, officer, team, role_users
    ):
        ProjectFactory(team=team, owner=officer, status=Project.Status.SIGNED)
        client.force_login(officer)
        body = client.get(reverse("investment:board")).content.decode()
        assert 'draggable="true"' in body and "js/board.js" in body
        client.force_login(role_users["领导"])
        body = client.get(reverse("investment:board")).content.decode()
        assert 'draggable="true"' not in body and "js/board.js" not in body


class TestWithoutTheBoard:
    """The addresses opened, or the form sent, without the board's script: whole pages."""

    def test_the_move_opened_as_a_page_has_the_portal_around_it(self, officer, team):
        from django.test import Client

        project = ProjectFactory(team=team, owner=officer, status=Project.Status.REVIEWING)
        browser = Client()
        browser.force_login(officer)
        response = browser.get(_move_to(project, "signed"))
        body = response.content.decode()
        assert response.status_code == 200
        assert f"<title>移动项目：{project.name}" in body
        assert f'action="{_move(project, "sign")}"' in body

        refused = browser.post(_move(project, "sign"), SIGN)
        assert refused.status_code == 400
        assert "<title>" in refused.content.decode()
        assert "签约须先通过准入评审" in refused.content.decode()

        approve_admission(project, officer)
        done = browser.post(_move(project, "sign"), SIGN)
        assert done.status_code == 302
        assert done["Location"] == reverse("investment:project_detail", args=[project.pk])
        project.refresh_from_db()
        assert project.status == Project.Status.SIGNED
