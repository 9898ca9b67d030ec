"""招商 in a browser: an officer claims a pool lead, registers a new lead from a reception,
judges it, opens a project, moves it to 考察 through the workflow, and sees it on the board."""

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.investment.models import Lead, Project
from tests.accounts.factories import PASSWORD
from tests.browser.conftest import login, screenshot
from tests.investment.factories import InvestorFactory, LeadFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_takes_a_lead_from_report_to_the_board(live_server, page, user_of):
    chen = user_of(Role.INVESTMENT, username="chen", full_name="陈静")
    team = TeamFactory(name="招商一组", leader=chen, members=[chen])
    investor = InvestorFactory(name="苏州恒瑞精工科技有限公司")
    pooled = LeadFactory(team=team, owner=None, title="公海精密轴承项目")

    login(page, live_server, "chen", PASSWORD)

    # Claim a lead from the pool.
    page.goto(live_server.url + reverse("investment:lead_detail", args=[pooled.pk]))
    with page.expect_navigation():
        page.click("button[data-action=claim]")
    assert page.locator('[data-testid="owner-clock"]').get_attribute("data-overdue") == "0"
    pooled.refresh_from_db()
    assert pooled.owner == chen

    # Register a new lead.
    page.goto(live_server.url + reverse("investment:lead_create"))
    page.select_option("#id_investor", label=investor.name)
    page.fill("#id_title", "高端数控机床基地项目")
    page.select_option("#id_channel", value="event")
    page.select_option("#id_team", label="招商一组")
    with page.expect_navigation():
        page.click("form.card button[type=submit]")
    lead = Lead.objects.get(title="高端数控机床基地项目")
    assert page.url.endswith(reverse("investment:lead_detail", args=[lead.pk]))
    assert page.locator('[data-testid="judgement-clock"]').get_attribute("data-overdue") == "0"

    # Judge it 跟进, then open a project.
    page.select_option("#id_judgement", value="follow")
    with page.expect_navigation():
        page.click("text=保存研判")
    assert page.locator('[data-testid="judgement"]').inner_text() == "跟进"
    with page.expect_navigation():
        page.click("button[data-action=project]")
    project = Project.objects.get(lead=lead)
    assert page.url.endswith(reverse("investment:project_detail", args=[project.pk]))

    # Move it to 考察 through the workflow's action.
    page.wait_for_load_state("load")
    page.click("button[data-action=inspect]")
    page.wait_for_selector("#action-inspect.collapse.show")
    with page.expect_navigation():
        page.click("#action-inspect button[type=submit]")
    assert page.locator("h1 [data-status]").get_attribute("data-status") == "inspecting"

    # The board shows it in the 考察 column with its time in stage.
    page.goto(live_server.url + reverse("investment:board"))
    card = page.locator(f'[data-stage="inspecting"] [data-project="{project.pk}"]')
    assert card.count() == 1
    assert card.locator("[data-light]").get_attribute("data-light") == "green"
    screenshot(page, "investment-board")


def test_a_card_dragged_to_signing_is_refused_without_a_review_then_signs(
    live_server, page, user_of
):
    from django.utils import timezone

    from tests.investment.factories import ProjectFactory, approve_admission

    chen = user_of(Role.INVESTMENT, username="chen", full_name="陈静")
    team = TeamFactory(name="招商一组", leader=chen, members=[chen])
    project = ProjectFactory(
        team=team, owner=chen, name="拖拽签约项目", status=Project.Status.REVIEWING
    )
    login(page, live_server, "chen", PASSWORD)
    board_url = live_server.url + reverse("investment:board")
    card = f'[data-project="{project.pk}"]'

    def drag_to_signing():
        page.goto(board_url)
        page.locator(f'[data-stage="reviewing"] {card}').drag_to(
            page.locator('[data-stage="signed"]')
        )
        page.wait_for_selector("#board-move.show form[data-board-move]")
        page.fill("#id_sign-amount", "30000")
        page.fill("#id_sign-signed_on", timezone.localdate().isoformat())

    # Without an approved admission review: the refusal, and the card back in 准入评审.
    drag_to_signing()
    page.click("#board-move button[type=submit]")
    page.wait_for_selector("#board-move .alert-danger")
    assert "签约须先通过准入评审" in page.locator("#board-move").inner_text()
    assert page.locator(f'[data-stage="reviewing"] {card}').count() == 1
    assert page.locator(f'[data-stage="signed"] {card}').count() == 0
    page.click("#board-move .btn-close")
    page.wait_for_selector("#board-move", state="hidden")
    assert page.locator(f'[data-stage="reviewing"] {card}').count() == 1
    project.refresh_from_db()
    assert project.status == Project.Status.REVIEWING

    # After one: the move signs the project and the board shows it under 签约.
    approve_admission(project, chen)
    drag_to_signing()
    with page.expect_navigation():
        page.click("#board-move button[type=submit]")
    page.wait_for_selector(f'[data-stage="signed"] {card}')
    assert page.locator(f'[data-stage="reviewing"] {card}').count() == 0
    project.refresh_from_db()
    assert project.status == Project.Status.SIGNED
    screenshot(page, "investment-board-drag")


def test_a_card_dropped_where_no_step_leads_snaps_back_with_the_reason(live_server, page, user_of):
    chen = user_of(Role.INVESTMENT, username="chen", full_name="陈静")
    team = TeamFactory(name="招商一组", leader=chen, members=[chen])
    from tests.investment.factories import ProjectFactory

    project = ProjectFactory(team=team, owner=chen, status=Project.Status.NEGOTIATING)
    login(page, live_server, "chen", PASSWORD)
    page.goto(live_server.url + reverse("investment:board"))
    card = f'[data-project="{project.pk}"]'
    page.locator(f'[data-stage="negotiating"] {card}').drag_to(
        page.locator('[data-stage="producing"]')
    )
    page.wait_for_selector('#board-move.show [data-testid="refusal"]')
    assert "不能直接移到“投产”" in page.locator("#board-move").inner_text()
    assert page.locator(f'[data-stage="negotiating"] {card}').count() == 1
