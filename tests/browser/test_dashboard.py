from decimal import Decimal

import pytest

from apps.accounts.roles import Role
from tests.accounts.factories import PASSWORD
from tests.browser.conftest import PHONE, screenshot
from tests.browser.conftest import login as sign_in
from tests.enterprises.factories import (
    EnterpriseFactory,
    MonthlyStatisticFactory,
    StatisticsMembershipFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    # Factories write without the services' invalidation: figures cached by an earlier test of
    # the session (same month, same generation) must not answer here.
    from django.core.cache import cache

    cache.clear()


def _two_months():
    """November 2023 gives 49.86 亿元 to date; December 2023 is the latest month."""
    enterprise = EnterpriseFactory(name="河南花溪科技股份有限公司")
    StatisticsMembershipFactory(enterprise=enterprise)
    MonthlyStatisticFactory(enterprise=enterprise, year=2023, month=11, output_value=498600)
    MonthlyStatisticFactory(enterprise=enterprise, year=2023, month=12, output_value=Decimal(1))


def test_leadership_chooses_november_2023_reads_the_output_and_opens_its_list(
    live_server, page, user_of
):
    _two_months()
    user_of(Role.LEADER, username="wang", full_name="王建国")
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, live_server, "wang", PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    assert page.locator("#period").input_value() == "2023-12"
    page.fill("#period", "2023-11")
    page.locator("[data-testid=period-form] button[type=submit]").click()
    page.wait_for_url("**period=2023-11*")
    card = page.locator("[data-code=industry_output_ytd]")
    assert card.locator("[data-figure-value]").inner_text() == "49.86"
    page.wait_for_function(
        "document.getElementById('chart-trend-economy').dataset.rendered === 'true'"
    )
    screenshot(page, "dashboard-desktop-1440")
    card.click()
    page.wait_for_url("**/enterprises/?reporting=2023-11")
    assert "河南花溪科技股份有限公司" in page.content()


def test_the_wall_screen_renders_every_chart_and_the_phone_shows_the_figures(
    live_server, browser, user_of
):
    _two_months()
    user_of(Role.LEADER, username="wang", full_name="王建国")
    for name, viewport in (("wall-1920", {"width": 1920, "height": 1080}), ("phone-360", PHONE)):
        context = browser.new_context(locale="zh-CN", viewport=viewport)
        page = context.new_page()
        page.set_default_timeout(15000)
        sign_in(page, live_server, "wang", PASSWORD)
        wall = "&wall=1" if name.startswith("wall") else ""
        page.goto(f"{live_server.url}/dashboard/?period=2023-11{wall}")
        charts = page.locator(".dashboard-chart")
        assert charts.count() >= 1
        for index in range(charts.count()):
            assert charts.nth(index).get_attribute("id")
        page.wait_for_function(
            "[...document.querySelectorAll('.dashboard-chart')]"
            ".every(chart => chart.dataset.rendered === 'true')"
        )
        assert page.locator("[data-code=industry_output_ytd] [data-figure-value]").is_visible()
        screenshot(page, f"dashboard-{name}")
        context.close()
