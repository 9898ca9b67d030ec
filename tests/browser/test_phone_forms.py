"""The visit form at phone size on a poor connection: a double tap saves one visit; saving
offline (or when the connection drops) says so and keeps the draft; saving after the session
expired goes through the login page back to the form with the draft; a demand row is removed by
its 删除 button. Wide pages stay legible at 360 px."""

import datetime
import re

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.services.models import Demand, Visit
from tests.accounts.factories import PASSWORD
from tests.browser.conftest import PHONE, login, screenshot
from tests.enterprises.factories import EnterpriseFactory
from tests.services.factories import VisitFactory

pytestmark = pytest.mark.django_db(transaction=True)

VISIT_PAGE = re.compile(r"/services/visits/\d+/$")
OFFLINE_MESSAGE = "网络不可用，内容已保存在本机，恢复网络后再提交"


@pytest.fixture
def officer(user_of):
    return user_of(Role.SERVICE, username="li", full_name="李敏")


def open_visit_form(page, live_server, enterprise):
    page.goto(f"{live_server.url}{reverse('services:visit_create')}?enterprise={enterprise.pk}")
    page.wait_for_load_state("load")
    page.fill("#id_purpose", "了解企业用工情况")
    page.fill("#id_findings", "订单饱满，缺少技术工人")


def wait_for_draft(page, text):
    page.wait_for_function(
        "text => Object.keys(localStorage).some(key => key.startsWith('zp-draft:')"
        " && localStorage.getItem(key).includes(text))",
        arg=text,
    )


def test_a_double_tap_on_save_on_a_slow_network_saves_one_visit(live_server, phone_page, officer):
    page = phone_page
    enterprise = EnterpriseFactory(name="河南双击测试有限公司")
    login(page, live_server, "li", PASSWORD)
    open_visit_form(page, live_server, enterprise)
    page.click("[data-add-demand]")
    page.select_option("#id_demands-0-category", label="用工")
    page.fill("#id_demands-0-description", "缺少数控技术工人")
    # A slow connection: every request takes most of a second to go out and come back.
    cdp = page.context.new_cdp_session(page)
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 700, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    save = page.locator("[data-testid=save-visit]")
    save.dblclick()
    save.tap(force=True)
    page.wait_for_url(VISIT_PAGE, timeout=30000)
    assert Visit.objects.count() == 1
    assert Demand.objects.count() == 1
    assert "缺少数控技术工人" in page.content()


def test_saving_offline_shows_the_message_keeps_the_draft_and_saves_once_back_online(
    live_server, phone_page, officer
):
    page = phone_page
    enterprise = EnterpriseFactory(name="河南离线测试有限公司")
    login(page, live_server, "li", PASSWORD)
    open_visit_form(page, live_server, enterprise)
    form_url = page.url
    page.context.set_offline(True)
    page.click("[data-testid=save-visit]")
    notice = page.locator("[data-offline-notice]")
    notice.wait_for(state="visible")
    assert notice.inner_text() == OFFLINE_MESSAGE
    # Still the form, everything typed still there and in the draft; no browser error page.
    assert page.url == form_url
    assert page.input_value("#id_findings") == "订单饱满，缺少技术工人"
    wait_for_draft(page, "订单饱满，缺少技术工人")
    assert not Visit.objects.exists()
    screenshot(page, "services-visit-form-offline-phone")

    page.context.set_offline(False)
    page.click("[data-testid=save-visit]")
    page.wait_for_url(VISIT_PAGE)
    assert Visit.objects.get().findings == "订单饱满，缺少技术工人"


def test_a_connection_that_drops_while_saving_shows_the_message(live_server, phone_page, officer):
    """navigator.onLine says online, but the request never reaches the portal."""
    page = phone_page
    enterprise = EnterpriseFactory(name="河南断网测试有限公司")
    login(page, live_server, "li", PASSWORD)
    open_visit_form(page, live_server, enterprise)
    page.route(
        "**/services/visits/new/**",
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    page.click("[data-testid=save-visit]")
    page.locator("[data-offline-notice]").wait_for(state="visible")
    assert page.input_value("#id_purpose") == "了解企业用工情况"
    # The form may be sent again: its button is enabled once more.
    assert page.locator("[data-testid=save-visit]").is_enabled()
    assert not Visit.objects.exists()


def test_saving_after_the_session_expired_returns_to_the_form_with_the_draft_after_login(
    live_server, phone_page, officer
):
    page = phone_page
    enterprise = EnterpriseFactory(name="河南超时测试有限公司")
    login(page, live_server, "li", PASSWORD)
    open_visit_form(page, live_server, enterprise)
    wait_for_draft(page, "订单饱满，缺少技术工人")
    Session.objects.all().delete()  # the idle timeout passed while the officer was talking

    page.click("[data-testid=save-visit]")
    page.wait_for_url(lambda url: "/accounts/login/?next=" in url)
    assert page.locator("[data-draft-pending]").is_visible()
    page.fill("#id_username", "li")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    form = f"{reverse('services:visit_create')}?enterprise={enterprise.pk}"
    page.wait_for_url(lambda url: url.endswith(form))
    page.wait_for_load_state("load")
    assert page.locator("[data-draft-notice]").is_visible()
    assert page.input_value("#id_findings") == "订单饱满，缺少技术工人"
    assert not Visit.objects.exists()
    page.click("[data-testid=save-visit]")
    page.wait_for_url(VISIT_PAGE)
    assert Visit.objects.get().purpose == "了解企业用工情况"


def test_removing_a_demand_row_takes_it_out_and_the_rest_are_saved(
    live_server, phone_page, officer
):
    page = phone_page
    enterprise = EnterpriseFactory(name="河南删除测试有限公司")
    login(page, live_server, "li", PASSWORD)
    open_visit_form(page, live_server, enterprise)
    for index, text in enumerate(["第一条诉求", "第二条诉求", "第三条诉求"]):
        page.click("[data-add-demand]")
        page.select_option(f"#id_demands-{index}-category", label="用工")
        page.fill(f"#id_demands-{index}-description", text)
    assert page.locator("[data-demand-row] input[type=checkbox]").count() == 0
    page.locator("[data-demand-row]").nth(1).locator("[data-remove-demand]").click()
    assert page.locator("[data-demand-row]").count() == 2
    # The rows after it moved up: the formset reads rows 0 and 1.
    assert page.input_value("#id_demands-1-description") == "第三条诉求"
    assert page.input_value("input[name=demands-TOTAL_FORMS]") == "2"
    assert page.locator("[data-demand-number]").all_inner_texts() == ["1", "2"]
    # A row added afterwards takes the next number.
    page.click("[data-add-demand]")
    page.select_option("#id_demands-2-category", label="用工")
    page.fill("#id_demands-2-description", "第四条诉求")
    page.click("[data-testid=save-visit]")
    page.wait_for_url(VISIT_PAGE)
    assert sorted(Demand.objects.values_list("description", flat=True)) == [
        "第一条诉求",
        "第三条诉求",
        "第四条诉求",
    ]


def test_an_invalid_visit_sent_by_the_form_shows_its_errors_and_still_works(
    live_server, phone_page, officer
):
    """The page the portal answers with (400) replaces the form as a normal post would, and its
    scripts run again: the demand rows can still be added and the form saved."""
    page = phone_page
    login(page, live_server, "li", PASSWORD)
    page.goto(live_server.url + reverse("services:visit_create"))
    page.fill("#id_enterprise", "没有这家企业")
    page.fill("#id_purpose", "了解企业用工情况")
    page.click("[data-testid=save-visit]")
    page.get_by_text("没有名为“没有这家企业”的企业").wait_for()
    enterprise = EnterpriseFactory(name="河南重试测试有限公司")
    page.fill("#id_enterprise", enterprise.name)
    page.click("[data-add-demand]")
    page.select_option("#id_demands-0-category", label="用工")
    page.fill("#id_demands-0-description", "缺少技术工人")
    page.click("[data-testid=save-visit]")
    page.wait_for_url(VISIT_PAGE)
    assert Visit.objects.get().enterprise == enterprise
    assert Demand.objects.count() == 1


def test_the_coverage_page_and_the_weekly_report_are_legible_at_phone_width(
    live_server, phone_page, officer
):
    page = phone_page
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    for index in range(40):
        VisitFactory(
            enterprise=EnterpriseFactory(
                name=f"河南省郑州市某某某某高新技术开发区精密制造股份有限公司{index:02d}"
            ),
            created_by=officer,
            visited_on=long_ago,
        )
    login(page, live_server, "li", PASSWORD)
    page.goto(live_server.url + reverse("services:coverage"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator("[data-testid=coverage-cards]").last.is_visible()
    assert not page.locator("[data-testid=coverage-table]").last.is_visible()
    # A screenful of cards and a link to the next page, not 4,600 px of rows.
    assert page.evaluate("document.documentElement.scrollHeight") < 6000
    assert page.locator(".pagination").is_visible()
    screenshot(page, "services-coverage-phone")

    page.goto(live_server.url + reverse("services:visit_report"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Every column of the per-officer table is within the screen, not only the first.
    table = page.locator("[data-testid=staff-report]")
    assert (
        page.evaluate("t => t.getBoundingClientRect().right", table.element_handle())
        <= (PHONE["width"])
    )
    screenshot(page, "services-visit-report-phone")
