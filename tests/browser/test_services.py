"""The closed loop on a phone: a service officer logs a visit with a demand; the responsible
department accepts and closes it; the follow-up marks it satisfied; the enterprise's page shows
all of it."""

import re

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.services.models import Demand, Visit
from tests.accounts.factories import PASSWORD
from tests.browser.conftest import login, screenshot, wait_until
from tests.enterprises.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def logout(page):
    page.context.clear_cookies()


def take_action(page, action, fields=None, check=None):
    """Open an action's form (a Bootstrap collapse), fill it and submit, waiting for each
    step: the page may still be loading its scripts, the collapse still opening."""
    page.wait_for_load_state("load")
    page.click(f"button[data-action={action}]")
    page.wait_for_selector(f"#action-{action}.collapse.show")
    if check:
        page.check(check)
    for selector, value in (fields or {}).items():
        page.fill(selector, value)
    with page.expect_navigation():
        page.click(f"button[data-submit={action}]")


def test_a_visit_and_its_demand_go_round_the_closed_loop_on_a_phone(
    live_server, phone_page, user_of
):
    page = phone_page
    li = user_of(Role.SERVICE, username="li", full_name="李敏")
    user_of(Role.APPROVAL, username="liu", full_name="刘洋")
    enterprise = EnterpriseFactory(name="河南花溪科技股份有限公司")

    # 李敏 logs the visit standing in the factory.
    login(page, live_server, "li", PASSWORD)
    page.goto(live_server.url + reverse("services:visit_create"))
    page.locator("#id_enterprise").press_sequentially("花溪")
    # The name is suggested from the search endpoint, not from a 600-option select.
    wait_until(page, "document.querySelectorAll('#enterprise-options option').length === 1")
    assert page.locator("#enterprise-options option").get_attribute("value") == enterprise.name
    page.fill("#id_enterprise", enterprise.name)
    page.fill("#id_purpose", "了解新厂房建设手续")
    page.fill("#id_findings", "新厂房主体已完工")
    page.click("[data-add-demand]")
    page.select_option("#id_demands-0-category", label="手续办理")
    page.fill("#id_demands-0-description", "新厂房办理竣工验收备案")
    page.click("[data-add-demand]")
    page.select_option("#id_demands-1-category", label="用工")
    page.fill("#id_demands-1-description", "缺少数控技术工人")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "services-visit-form-phone")

    # The connection drops and the page is reloaded: nothing typed is lost.
    wait_until(
        page,
        "Object.keys(localStorage).some(key => key.startsWith('zp-draft:')"
        " && localStorage.getItem(key).includes('缺少数控技术工人'))",
    )
    page.reload()
    assert page.locator("[data-draft-notice]").is_visible()
    assert page.input_value("#id_enterprise") == enterprise.name
    assert page.input_value("#id_demands-1-description") == "缺少数控技术工人"
    assert page.locator("#id_demands-0-category option:checked").inner_text() == "手续办理"

    page.click("[data-testid=save-visit]")
    # The form is sent by fetch and its answer shown in place: wait for the visit's address
    # (a glob's "*" would also match the form's own "new").
    page.wait_for_url(re.compile(r"/services/visits/\d+/$"))
    assert "新厂房办理竣工验收备案" in page.content()
    visit = Visit.objects.get()
    assert list(visit.staff.all()) == [li]
    # The saved draft is gone: a new visit form starts empty.
    page.goto(live_server.url + reverse("services:visit_create"))
    assert page.input_value("#id_enterprise") == ""
    demand = Demand.objects.get(category__code="procedure")

    # 刘洋 of 行政审批局 accepts and closes it.
    logout(page)
    login(page, live_server, "liu", PASSWORD)
    page.goto(live_server.url + reverse("services:demand_detail", args=[demand.pk]))
    take_action(page, "accept")
    page.wait_for_selector("[data-testid=demand-status] [data-status=in_progress]")
    take_action(page, "close", {"#id_close-resolution": "已完成竣工验收备案，备案证明已送达企业"})
    page.wait_for_selector("[data-testid=demand-status] [data-status=closed]")

    # 李敏 calls the enterprise back: satisfied.
    logout(page)
    login(page, live_server, "li", PASSWORD)
    page.goto(live_server.url + reverse("services:demand_detail", args=[demand.pk]))
    take_action(
        page,
        "follow_up",
        {"#id_follow_up-comment": "企业对办理速度很满意"},
        check="#action-follow_up input[value=satisfied]",
    )
    page.wait_for_selector("[data-testid=demand-status] [data-status=followed_up]")
    timeline = page.locator("[data-testid=demand-timeline] li")
    assert [timeline.nth(i).get_attribute("data-action") for i in range(timeline.count())] == [
        "create",
        "accept",
        "close",
        "follow_up",
    ]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "services-demand-detail-phone")

    # The enterprise's page shows the visit and both demands.
    page.goto(live_server.url + reverse("enterprises:enterprise_detail", args=[enterprise.pk]))
    entries = page.locator("[data-testid=timeline]").inner_text()
    assert "了解新厂房建设手续" in entries
    assert "新厂房办理竣工验收备案" in entries and "满意" in entries
    assert "缺少数控技术工人" in entries


def test_an_officer_corrects_a_visit_on_a_phone(live_server, phone_page, user_of):
    from tests.services.factories import VisitFactory

    page = phone_page
    li = user_of(Role.SERVICE, username="li", full_name="李敏")
    wang = user_of(Role.SERVICE, username="wang_s", full_name="王芳")
    visit = VisitFactory(created_by=li, staff=[li], findings="生产正常")
    login(page, live_server, "li", PASSWORD)
    page.goto(live_server.url + reverse("services:visit_detail", args=[visit.pk]))
    with page.expect_navigation():
        page.click("[data-testid=visit-update]")
    page.locator("label", has_text="王芳").click()
    page.fill("#id_findings", "生产正常；企业反映缺数控技工")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "services-visit-correction-phone")
    with page.expect_navigation():
        page.click("[data-testid=save-visit]")
    visit.refresh_from_db()
    assert visit.findings == "生产正常；企业反映缺数控技工"
    assert set(visit.staff.all()) == {li, wang}
