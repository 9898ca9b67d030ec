"""停缓建 in the project's history (django-simple-history): when a project entered and left it
and why, in the admin's history and on the project page."""

import datetime

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.projects import selectors, services
from tests.conftest import make_role_user
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _halt(project, by, reason="资金未到位", on=datetime.date(2024, 3, 1)):
    return services.project_advance(
        project=project, action="halt", by=by, reason=reason, halted_on=on
    )


def test_a_halt_and_its_resumption_make_one_spell_with_the_reason(economy):
    project = ProjectFactory()
    _halt(project, economy)
    project = services.project_advance(project=project, action="resume", by=economy)
    [spell] = selectors.halt_spells(project)
    assert spell.halted_on == datetime.date(2024, 3, 1) and spell.reason == "资金未到位"
    assert spell.recorded_by == economy and spell.resumed_by == economy
    assert spell.resumed_to == "在建" and spell.resumed_at >= spell.recorded_at


def test_a_project_halted_again_shows_each_spell_the_last_one_still_open(economy):
    project = ProjectFactory()
    _halt(project, economy, "资金未到位")
    services.project_advance(project=project, action="resume", by=economy)
    # An edit in between is a version too, but not a spell.
    services.project_update(by=economy, project=project, location="二期地块")
    _halt(project, economy, "环保督察停工", datetime.date(2024, 9, 1))
    spells = selectors.halt_spells(project)
    assert [s.reason for s in spells] == ["资金未到位", "环保督察停工"]
    assert spells[0].resumed_at is not None
    assert spells[1].resumed_at is None and spells[1].resumed_to == ""
    assert spells[1].days == (datetime.date.today() - datetime.date(2024, 9, 1)).days


def test_a_project_never_halted_has_no_spell(economy):
    project = ProjectFactory()
    services.project_update(by=economy, project=project, location="一期地块")
    assert selectors.halt_spells(project) == []


def test_the_project_page_shows_the_halt_timeline_to_a_reader(client, economy):
    project = ProjectFactory()
    _halt(project, economy, "企业资金链紧张，暂缓建设")
    services.project_advance(project=project, action="resume", by=economy)
    client.force_login(make_role_user(Role.INVESTMENT))
    page = client.get(project.get_absolute_url()).content.decode()
    assert 'data-testid="halt-spells"' in page
    assert "企业资金链紧张，暂缓建设" in page and "2024-03-01" in page and "恢复为在建" in page


def test_the_admin_history_lists_the_versions_with_the_halt_reason(client, economy):
    project = ProjectFactory()
    _halt(project, economy, "征地拆迁未完成")
    admin = make_role_user(Role.ADMIN)
    client.force_login(admin)
    url = reverse("admin:projects_project_history", args=[project.pk])
    page = client.get(url).content.decode()
    assert "征地拆迁未完成" in page and "停缓建" in page
