from datetime import date

import pytest

from apps.accounts.roles import Role
from tests.accounts.factories import PASSWORD
from tests.browser.conftest import login, screenshot
from tests.enterprises.factories import (
    EnterpriseFactory,
    MonthlyStatisticFactory,
    QualificationFactory,
    StatisticsMembershipFactory,
    qualification_type,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _huaxi():
    huaxi = EnterpriseFactory(
        name="河南花溪科技股份有限公司",
        listing_exchange="bse",
        stock_code="872895",
        listed_on=date(2023, 4, 20),
    )
    StatisticsMembershipFactory(enterprise=huaxi)
    QualificationFactory(
        enterprise=huaxi, type=qualification_type("high_tech"), issued_on=date.today()
    )
    for year, output in ((2022, 900), (2023, 1000)):
        for month in range(1, 12):
            MonthlyStatisticFactory(
                enterprise=huaxi, year=year, month=month, output_value=output, revenue=output
            )
    EnterpriseFactory(name="新乡澳美电气有限公司")
    return huaxi


def test_economist_searches_the_list_opens_an_enterprise_and_sees_its_chart(
    live_server, page, user_of
):
    _huaxi()
    user_of(Role.ECONOMY, username="zhang", full_name="张伟")
    login(page, live_server, "zhang", PASSWORD)
    page.goto(f"{live_server.url}/enterprises/")
    page.fill("input[name=q]", "花溪")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**q=*")
    rows = page.locator("[data-testid=list-table] tbody tr")
    assert rows.count() == 1
    rows.first.get_by_role("link", name="河南花溪科技股份有限公司").click()
    assert page.locator("h1").inner_text().startswith("河南花溪科技股份有限公司")
    chart = page.locator("[data-testid=monthly-chart]")
    page.locator("[data-testid=monthly-chart][data-rendered=true]").wait_for()
    assert chart.locator("canvas").count() >= 1
    assert "同比 11.11%" in page.content()
    assert "暂无走访、诉求等记录" in page.locator("[data-testid=timeline]").inner_text()
    screenshot(page, "enterprise-detail-desktop")


def test_the_enterprise_page_and_statistics_fit_a_phone(live_server, phone_page, user_of):
    huaxi = _huaxi()
    user_of(Role.LEADER, username="wang", full_name="王建国")
    login(phone_page, live_server, "wang", PASSWORD)
    phone_page.goto(f"{live_server.url}/enterprises/{huaxi.pk}/")
    phone_page.locator("[data-testid=monthly-chart][data-rendered=true]").wait_for()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    phone_page.goto(f"{live_server.url}/enterprises/statistics/?year=2023&month=11")
    headline = phone_page.locator("[data-testid=headline]").inner_text()
    assert headline.startswith("截至2023年11月份，1家规上工业企业")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone_page, "enterprise-statistics-phone")


def test_the_form_offers_only_the_chosen_chains_nodes(live_server, page, user_of):
    from apps.enterprises.models import IndustryChain

    user_of(Role.SERVICE, username="li", full_name="李敏")
    login(page, live_server, "li", PASSWORD)
    page.goto(f"{live_server.url}/enterprises/new/")
    chemicals = IndustryChain.objects.get(name="现代化工")
    page.select_option("#id_chain", str(chemicals.pk))
    offered = page.evaluate(
        "Array.from(document.querySelectorAll('#id_chain_node option'))"
        ".filter(o => o.value && !o.hidden).map(o => o.textContent)"
    )
    assert offered == [str(node) for node in chemicals.nodes.order_by("position")]


def test_the_economy_box_leads_to_the_certificates_falling_due_on_a_phone(
    live_server, phone_page, user_of
):
    from datetime import timedelta

    due = EnterpriseFactory(name="河南瀚之源科技有限公司")
    QualificationFactory(
        enterprise=due,
        type=qualification_type("high_tech"),
        issued_on=date.today() - timedelta(days=1000),
        expires_on=date.today() + timedelta(days=30),
    )
    QualificationFactory(type=qualification_type("high_tech"), issued_on=date.today())
    user_of(Role.ECONOMY, username="zhang", full_name="张伟")
    login(phone_page, live_server, "zhang", PASSWORD)
    phone_page.click("[data-testid=home-expiring-qualifications]")
    phone_page.wait_for_url("**/enterprises/qualifications/?status=expiring")
    # On a phone the list reads as cards (the same rows as the desktop table).
    rows = phone_page.locator("[data-testid=list-cards] [data-id]")
    assert rows.count() == 1
    assert "河南瀚之源科技有限公司" in rows.first.inner_text()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone_page, "enterprise-qualifications-phone")
