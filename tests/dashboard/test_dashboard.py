"""The dashboard page and API: what they show, for whom, in how many queries; targets."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from apps.core.errors import NotAllowed, Refused
from apps.core.figures import Period
from apps.dashboard import services
from apps.dashboard.selectors import dashboard_rows
from tests.conftest import FRAME_QUERIES
from tests.enterprises.factories import (
    EnterpriseFactory,
    MonthlyStatisticFactory,
    StatisticsMembershipFactory,
)

pytestmark = pytest.mark.django_db


def _member(amount: str, months=range(1, 12), year=2023):
    enterprise = EnterpriseFactory()
    StatisticsMembershipFactory(enterprise=enterprise)
    for month in months:
        MonthlyStatisticFactory(
            enterprise=enterprise, year=year, month=month, output_value=Decimal(amount)
        )
    return enterprise


def _row(rows, code):
    return next(row for row in rows if row.figure.code == code)


def test_completion_and_schedule_are_computed_from_the_year_target(role_users):
    _member("1000")  # 11 months: 11,000 万元 to date
    economy = role_users["经济发展"]
    services.target_save(by=economy, indicator="industry_output_ytd", year=2023, value=12000)

    row = _row(dashboard_rows(period=Period(2023, 11), user=economy), "industry_output_ytd")

    assert row.target == Decimal(12000)
    assert row.completion == Decimal("91.67")  # 11,000 ÷ 12,000
    assert row.schedule_gap == Decimal("0.00")  # 91.67 − 11/12
    assert row.schedule_behind == Decimal("0.00")


def test_a_monthly_split_sets_what_is_due_by_the_month(role_users):
    _member("1000")
    economy = role_users["经济发展"]
    services.target_save(by=economy, indicator="industry_output_ytd", year=2023, value=12000)
    services.target_save(
        by=economy, indicator="industry_output_ytd", year=2023, month=11, value=10000
    )

    row = _row(dashboard_rows(period=Period(2023, 11), user=economy), "industry_output_ytd")

    # Due by November: 10,000 ÷ 12,000 = 83.33 %; done 91.67 %: 8.34 points ahead.
    assert row.schedule_gap == Decimal("8.34")


def test_a_rate_target_gives_completion_without_schedule(role_users):
    economy = role_users["经济发展"]
    services.target_save(by=economy, indicator="demand_closure_rate", year=2023, value=90)
    row = _row(dashboard_rows(period=Period(2023, 11), user=economy), "demand_closure_rate")
    assert row.target == Decimal(90)
    assert row.completion is None  # no demands: no rate
    assert row.schedule_gap is None


def test_targets_are_refused_to_leadership_and_for_unknown_indicators(role_users):
    with pytest.raises(NotAllowed):
        services.target_save(
            by=role_users["领导"], indicator="industry_output_ytd", year=2023, value=1
        )
    economy = role_users["经济发展"]
    with pytest.raises(Refused):
        services.target_save(by=economy, indicator="no_such_figure", year=2023, value=1)
    with pytest.raises(Refused):
        services.target_save(by=economy, indicator="industry_output_ytd", year=2023, value=0)
    services.target_save(by=economy, indicator="industry_output_ytd", year=2023, value=5)
    with pytest.raises(Refused):
        services.target_save(by=economy, indicator="industry_output_ytd", year=2023, value=6)


def test_the_api_returns_every_visible_figure_with_its_list(client, role_users):
    _member("1000")
    client.force_login(role_users["领导"])
    body = client.get("/api/dashboard/?period=2023-11").json()
    figures = {figure["code"]: figure for figure in body["figures"]}
    assert body["period"] == "2023-11"
    assert Decimal(figures["industry_output_ytd"]["value"]) == Decimal(11000)
    assert figures["industry_output_ytd"]["list_url"].startswith("/api/monthly-statistics/?")
    assert figures["industry_output_ytd"]["sum_field"] == "output_value"
    assert set(figures["four_above"]) >= {
        "code", "label", "value", "unit", "period", "yoy", "target", "completion", "list_url"
    }  # fmt: skip
    # Helper figures (the parts of a rate) are not shown.
    assert "industry_output_comparable" not in figures


def test_the_economy_bureau_does_not_see_the_staff_figures(client, role_users):
    client.force_login(role_users["经济发展"])
    codes = {f["code"] for f in client.get("/api/dashboard/").json()["figures"]}
    assert "four_above" in codes
    assert not {code for code in codes if code.startswith(("staff_", "appraisal_"))}
    client.force_login(role_users["领导"])
    codes = {f["code"] for f in client.get("/api/dashboard/").json()["figures"]}
    assert {"staff_in_post", "appraisal_excellent"} <= codes


def test_a_malformed_period_is_refused_by_the_api_and_ignored_by_the_page(client, role_users):
    client.force_login(role_users["领导"])
    assert client.get("/api/dashboard/?period=2023-13").status_code == 400
    response = client.get("/dashboard/?period=abc")
    assert response.status_code == 200
    assert "月份格式应为 2023-11" in response.content.decode()


def test_the_page_shows_the_month_and_links_every_figure(client, role_users):
    _member("4986", months=[11])
    client.force_login(role_users["领导"])
    content = client.get("/dashboard/?period=2023-11").content.decode()
    assert "0.5" in content  # 4,986 万元 = 0.4986 亿元 → 0.5
    assert 'data-code="industry_output_ytd"' in content
    assert "/enterprises/?reporting=2023-11" in content


def test_the_wall_screen_refreshes_itself(client, role_users):
    client.force_login(role_users["领导"])
    content = client.get("/dashboard/?wall=1").content.decode()
    assert 'http-equiv="refresh"' in content
    assert "dashboard-wall" in content


def test_the_page_and_the_api_stay_within_their_query_budget(
    client, role_users, django_assert_num_queries
):
    for amount in ("100", "200", "300"):
        _member(amount)
        _member(amount, year=2022)
    client.force_login(role_users["领导"])
    cache.clear()
    # Cold: the user's permissions (2), the latest reported month, the registry's sources for
    # the month and for the same month a year before (19 each: enterprises 4 + 3 + 2 link
    # look-ups, services 4 + 2 link look-ups, staff 3, projects 1: the ledger's rows), the
    # targets, the trend and its targets.
    with django_assert_num_queries(FRAME_QUERIES + 2 + 1 + 19 * 2 + 3):
        assert client.get("/dashboard/?period=2023-11").status_code == 200
    # Warm: permissions, the latest month, the targets, the trend and its targets.
    with django_assert_num_queries(FRAME_QUERIES + 2 + 1 + 3):
        assert client.get("/dashboard/?period=2023-11").status_code == 200
    # The API, warm: permissions, the latest month and the targets.
    with django_assert_num_queries(FRAME_QUERIES + 2 + 1 + 1):
        assert client.get("/api/dashboard/?period=2023-11").status_code == 200
