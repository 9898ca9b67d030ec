"""The year's targets: the rules a year's targets hold, the targets page and API, and the
completion per team or department on the dashboard."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache

from apps.core.errors import NotAllowed, Refused
from apps.core.figures import Period
from apps.dashboard import services
from apps.dashboard.models import Target
from apps.dashboard.selectors import dashboard_rows
from tests.conftest import FRAME_QUERIES
from tests.investment.factories import ProjectFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _year_save(user, indicator="industry_output_ytd", annual="12000", months=None, groups=None):
    return services.target_year_save(
        by=user,
        indicator=indicator,
        year=2023,
        annual=None if annual is None else Decimal(annual),
        months={m: Decimal(v) for m, v in (months or {}).items()},
        groups={g: Decimal(v) for g, v in (groups or {}).items()},
    )


def _refusal(call) -> dict:
    with pytest.raises(Refused) as caught:
        call()
    return caught.value.message_dict


# --- The rules ---------------------------------------------------------------------------------


def test_a_year_with_its_cumulative_monthly_targets_is_saved_in_one_go(role_users):
    _year_save(role_users["经济发展"], months={6: "5000", 11: "11000", 12: "12000"})
    rows = dict(
        Target.objects.filter(indicator="industry_output_ytd").values_list("month", "value")
    )
    assert rows == {None: 12000, 6: 5000, 11: 11000, 12: 12000}


def test_a_monthly_target_may_not_go_down_nor_exceed_the_year(role_users):
    economy = role_users["经济发展"]
    errors = _refusal(lambda: _year_save(economy, months={6: "6000", 7: "5000"}))
    assert errors == {"m7": ["1至7月累计目标不能小于1至6月的累计目标"]}
    errors = _refusal(lambda: _year_save(economy, months={9: "13000"}))
    assert errors == {"m9": ["1至9月累计目标不能超过全年目标"]}
    errors = _refusal(lambda: _year_save(economy, months={12: "11000"}))
    assert errors == {"m12": ["1至12月累计目标应等于全年目标"]}
    assert not Target.objects.exists()


def test_a_refused_year_keeps_the_targets_it_had(role_users):
    economy = role_users["经济发展"]
    _year_save(economy, annual="12000", months={6: "5000"})
    _refusal(lambda: _year_save(economy, annual="4000", months={6: "5000"}))
    assert Target.objects.get(month=None).value == 12000
    assert Target.objects.get(month=6).value == 5000


def test_a_rate_is_not_split_by_month_and_a_split_needs_the_year(role_users):
    economy = role_users["经济发展"]
    errors = _refusal(
        lambda: _year_save(economy, indicator="demand_closure_rate", annual="95", months={3: "90"})
    )
    assert errors == {"m3": ["该指标是比率，不按月份分解"]}
    errors = _refusal(lambda: _year_save(economy, annual=None, months={3: "100"}))
    assert errors == {"annual": ["请先填写全年目标，再按月份、部门或小组分解"]}


def test_non_positive_targets_are_refused_on_their_field(role_users):
    errors = _refusal(lambda: _year_save(role_users["经济发展"], months={4: "-1"}))
    assert errors == {"m4": ["目标值应大于0"]}


def test_the_teams_targets_sum_to_at_most_the_year(role_users):
    economy = role_users["经济发展"]
    first, second = TeamFactory(), TeamFactory()
    _year_save(
        economy, indicator="investment_signed", annual="8", groups={first.pk: "5", second.pk: "3"}
    )
    assert Target.objects.filter(team__isnull=False).count() == 2
    errors = _refusal(
        lambda: _year_save(
            economy,
            indicator="investment_signed",
            annual="8",
            groups={first.pk: "6", second.pk: "3"},
        )
    )
    assert errors == {f"g{first.pk}": ["各小组目标之和（9）超过全年目标（8）"]}


def test_a_figure_not_measured_per_group_is_not_split(role_users):
    economy = role_users["经济发展"]
    team = TeamFactory()
    services.target_save(by=economy, indicator="industry_output_ytd", year=2023, value=100)
    with pytest.raises(Refused) as caught:
        services.target_save(
            by=economy, indicator="industry_output_ytd", year=2023, value=10, team=team
        )
    assert caught.value.message_dict == {"team": ["该指标不能按小组分解"]}


def test_a_single_row_write_keeps_the_year_rules(role_users):
    """The admin site and the API write one row at a time: the year's rules still hold."""
    economy = role_users["经济发展"]
    services.target_save(by=economy, indicator="investment_signed", year=2023, value=8)
    team = TeamFactory()
    with pytest.raises(Refused) as caught:
        services.target_save(
            by=economy, indicator="investment_signed", year=2023, value=9, team=team
        )
    assert caught.value.message_dict == {"value": ["各小组目标之和（9）超过全年目标（8）"]}
    assert not Target.objects.filter(team=team).exists()
    services.target_save(by=economy, indicator="investment_signed", year=2023, value=5, team=team)
    annual = Target.objects.get(team=None, month=None)
    with pytest.raises(Refused):  # the year's target may not go under its split
        services.target_save(
            by=economy, indicator="investment_signed", year=2023, value=4, target=annual
        )
    with pytest.raises(Refused):  # nor go before it
        services.target_delete(by=economy, target=annual)
    assert Target.objects.filter(indicator="investment_signed").count() == 2


def test_leadership_reads_the_targets_but_does_not_set_them(role_users):
    with pytest.raises(NotAllowed):
        _year_save(role_users["领导"])


# --- Completion per group on the dashboard -------------------------------------------------------


def test_the_dashboard_shows_each_team_against_its_share(role_users):
    first, second = TeamFactory(name="一组"), TeamFactory(name="二组")
    for team, day in (
        (first, date(2023, 3, 1)),
        (first, date(2023, 9, 1)),
        (second, date(2023, 12, 1)),
    ):
        ProjectFactory(team=team, status="signed", signed_on=day, contract_investment=100)
    admin = role_users["系统管理员"]
    _year_save(
        admin, indicator="investment_signed", annual="8", groups={first.pk: "4", second.pk: "2"}
    )

    row = next(
        r
        for r in dashboard_rows(period=Period(2023, 11), user=admin)
        if r.figure.code == "investment_signed"
    )

    groups = {group.label: group for group in row.groups}
    assert (groups["一组"].value, groups["一组"].completion) == (2, Decimal("50.00"))
    # 二组's signing falls in December, after the period.
    assert (groups["二组"].value, groups["二组"].completion) == (0, Decimal("0.00"))
    assert groups["一组"].url.endswith(f"team={first.pk}")
    assert "signed_to=2023-11-30" in groups["一组"].url


def test_the_dashboard_shows_each_departments_closure_rate(client, role_users):
    from apps.accounts.models import Department
    from tests.services.factories import DemandFactory

    service = Department.objects.get(code="service")
    for closed in (True, False, False, True):
        done = {"status": "closed", "resolution": "已解决", "closed_on": date(2023, 11, 20)}
        DemandFactory(department=service, raised_on=date(2023, 11, 5), **(done if closed else {}))
    admin = role_users["系统管理员"]
    _year_save(admin, indicator="demand_closure_rate", annual="95", groups={service.pk: "90"})

    client.force_login(admin)
    content = client.get("/dashboard/?period=2023-11").content.decode()

    assert 'data-groups="demand_closure_rate"' in content
    row = next(
        r
        for r in dashboard_rows(period=Period(2023, 11), user=admin)
        if r.figure.code == "demand_closure_rate"
    )
    (group,) = row.groups
    assert (group.value, group.completion) == (Decimal("50.00"), Decimal("55.56"))  # 50 ÷ 90


def test_a_split_costs_the_cold_page_its_group_queries_and_the_warm_page_none(
    client, role_users, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(role_users["领导"])
    with CaptureQueriesContext(connection) as without_split:
        client.get("/dashboard/?period=2023-11")
    team = TeamFactory()
    _year_save(
        role_users["系统管理员"],
        indicator="investment_contract",
        annual="1000",
        groups={team.pk: "500"},
    )
    cache.clear()
    # Cold: the page's budget (test_dashboard) plus the teams' values (signings and contract
    # 1, funds 1).
    with django_assert_num_queries(len(without_split) + 2):
        assert client.get("/dashboard/?period=2023-11").status_code == 200
    # Warm: permissions (2), the latest month, the targets (with their groups' names, 1).
    with django_assert_num_queries(FRAME_QUERIES + 2 + 1 + 1):
        content = client.get("/dashboard/?period=2023-11").content.decode()
    assert 'data-groups="investment_contract"' in content


# --- The targets page ----------------------------------------------------------------------------


def test_the_targets_page_lists_every_indicator_of_the_year(
    client, role_users, django_assert_num_queries
):
    economy = role_users["经济发展"]
    _year_save(economy, months={6: "5000"})
    client.force_login(economy)
    # Permissions (2), the latest month (for the default year), the year's targets (1).
    with django_assert_num_queries(FRAME_QUERIES + 2 + 1 + 1):
        response = client.get("/dashboard/targets/?year=2023")
    content = response.content.decode()
    assert 'data-indicator="investment_signed"' in content
    assert "1.2 亿元" in content  # 12,000 万元 as leadership writes it
    assert "1至6月" in content


def test_a_malformed_year_shows_the_latest_with_a_note(client, role_users):
    client.force_login(role_users["领导"])
    response = client.get("/dashboard/targets/?year=abc")
    assert response.status_code == 200
    assert "年度应为2000到2100之间的整数" in response.content.decode()


def test_the_form_keeps_what_was_typed_when_refused(client, role_users):
    client.force_login(role_users["经济发展"])
    url = "/dashboard/targets/2023/industry_output_ytd/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"annual": "12000", "m6": "7000", "m7": "6000"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "1至7月累计目标不能小于1至6月的累计目标" in content
    assert 'value="7000"' in content and 'value="6000"' in content
    assert not Target.objects.exists()
    response = client.post(url, {"annual": "12000", "m6": "6000", "m7": "7000"})
    assert response.status_code == 302
    assert Target.objects.filter(indicator="industry_output_ytd").count() == 3


def test_the_form_refuses_junk_without_error(client, role_users):
    client.force_login(role_users["经济发展"])
    response = client.post(
        "/dashboard/targets/2023/investment_signed/", {"annual": "NaN", "m2": "1e400"}
    )
    assert response.status_code == 400
    assert client.get("/dashboard/targets/2023/no_such/").status_code == 404
    assert client.get("/dashboard/targets/1999/investment_signed/").status_code == 404


def test_the_team_split_is_offered_only_where_a_figure_is_measured_per_team(client, role_users):
    team = TeamFactory(name="驻沪招商组")
    client.force_login(role_users["经济发展"])
    assert "驻沪招商组" in client.get("/dashboard/targets/2023/investment_funds/").content.decode()
    response = client.get("/dashboard/targets/2023/industry_output_ytd/").content.decode()
    assert "驻沪招商组" not in response
    response = client.post(
        "/dashboard/targets/2023/investment_funds/", {"annual": "100", f"g{team.pk}": "120"}
    )
    assert "各小组目标之和（120）超过全年目标（100）" in response.content.decode()


def test_only_those_who_write_targets_see_them_in_the_navigation(client, role_users):
    client.force_login(role_users["经济发展"])
    assert 'href="/dashboard/targets/"' in client.get("/dashboard/").content.decode()
    client.force_login(role_users["领导"])
    assert 'href="/dashboard/targets/"' not in client.get("/dashboard/").content.decode()


# --- The API -------------------------------------------------------------------------------------


def test_the_api_reads_for_leadership_and_writes_for_the_bureau(
    client, role_users, django_assert_num_queries
):
    team = TeamFactory()
    client.force_login(role_users["经济发展"])
    created = client.post(
        "/api/dashboard/targets/",
        {"indicator": "investment_signed", "year": 2023, "value": "8"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    refused = client.post(
        "/api/dashboard/targets/",
        {"indicator": "investment_signed", "year": 2023, "team": team.pk, "value": "9"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["detail"] == "各小组目标之和（9）超过全年目标（8）"
    assert (
        client.post(
            "/api/dashboard/targets/",
            {"indicator": "investment_signed", "year": 2023, "team": team.pk, "value": "3"},
            content_type="application/json",
        ).status_code
        == 201
    )

    client.force_login(role_users["领导"])
    # Permissions (2), the count, the page (team and department joined).
    with django_assert_num_queries(FRAME_QUERIES + 2 + 1 + 1):
        body = client.get("/api/dashboard/targets/?year=2023&split=team").json()
    assert [(r["team_name"], r["value"]) for r in body["results"]] == [(team.name, "3.0000")]
    assert (
        client.post(
            "/api/dashboard/targets/",
            {"indicator": "investment_signed", "year": 2024, "value": "8"},
            content_type="application/json",
        ).status_code
        == 403
    )
