"""The year's targets: the rules a year's targets hold, the targets page and API, and the
completion per team (targets read from investment.AnnualTarget) or department on the
dashboard."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache

from apps.core.errors import NotAllowed, Refused
from apps.core.figures import Period
from apps.dashboard import services
from apps.dashboard.models import Target
from apps.dashboard.selectors import dashboard_rows
from apps.investment import services as investment_services
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


def _team_target(team, signings=0, contract="0", funds="0", year=2023, by=None):
    """A team's annual target, set where 招商 sets it."""
    from apps.accounts.models import User

    admin = by or User.objects.filter(is_superuser=True).first()
    return investment_services.annual_target_save(
        by=admin,
        team=team,
        year=year,
        signings=signings,
        contract_investment=Decimal(contract),
        funds=Decimal(funds),
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
    assert errors == {"annual": ["请先填写全年目标，再按月份或部门分解"]}


def test_non_positive_targets_are_refused_on_their_field(role_users):
    errors = _refusal(lambda: _year_save(role_users["经济发展"], months={4: "-1"}))
    assert errors == {"m4": ["目标值应大于0"]}


def test_the_teams_targets_are_not_written_on_the_dashboard(role_users):
    """A team's targets are investment.AnnualTarget's: the dashboard refuses a team split."""
    economy = role_users["经济发展"]
    team = TeamFactory()
    errors = _refusal(
        lambda: _year_save(
            economy, indicator="investment_signed", annual="8", groups={team.pk: "5"}
        )
    )
    assert errors == {f"g{team.pk}": ["该指标无法按部门统计完成情况，不能分解"]}
    assert not Target.objects.exists()


def test_a_figure_not_measured_per_department_is_not_split(role_users):
    from apps.accounts.models import Department

    economy = role_users["经济发展"]
    service = Department.objects.get(code="service")
    services.target_save(by=economy, indicator="industry_output_ytd", year=2023, value=100)
    with pytest.raises(Refused) as caught:
        services.target_save(
            by=economy, indicator="industry_output_ytd", year=2023, value=10, department=service
        )
    assert caught.value.message_dict == {"department": ["该指标不能按部门分解"]}


def test_a_single_row_write_keeps_the_year_rules(role_users):
    """The admin site and the API write one row at a time: the year's rules still hold."""
    from apps.accounts.models import Department

    economy = role_users["经济发展"]
    service = Department.objects.get(code="service")
    with pytest.raises(Refused) as caught:  # a department's rate needs the year's first
        services.target_save(
            by=economy, indicator="demand_closure_rate", year=2023, value=90, department=service
        )
    assert caught.value.message_dict == {"value": ["请先填写全年目标，再按月份或部门分解"]}
    services.target_save(by=economy, indicator="demand_closure_rate", year=2023, value=95)
    services.target_save(
        by=economy, indicator="demand_closure_rate", year=2023, value=90, department=service
    )
    annual = Target.objects.get(department=None, month=None)
    with pytest.raises(Refused):  # the year's target may not go before its split
        services.target_delete(by=economy, target=annual)
    assert Target.objects.filter(indicator="demand_closure_rate").count() == 2


def test_leadership_reads_the_targets_but_does_not_set_them(role_users):
    with pytest.raises(NotAllowed):
        _year_save(role_users["领导"])


# --- Completion per group on the dashboard -------------------------------------------------------


def test_the_dashboard_shows_each_team_against_its_annual_target(role_users):
    first, second = TeamFactory(name="一组"), TeamFactory(name="二组")
    for team, day, amount in (
        (first, date(2023, 3, 1), 100),
        (first, date(2023, 9, 1), 300),
        (second, date(2023, 12, 1), 500),
    ):
        ProjectFactory(team=team, status="signed", signed_on=day, contract_investment=amount)
    admin = role_users["系统管理员"]
    _year_save(admin, indicator="investment_signed", annual="8")
    _team_target(first, signings=4, contract="1600")
    _team_target(second, signings=2, contract="0")  # no contract target: not in that table
    _team_target(TeamFactory(name="三组"), signings=1, year=2022)  # another year's

    rows = {
        r.figure.code: r
        for r in dashboard_rows(period=Period(2023, 11), user=admin)
        if r.figure.code in ("investment_signed", "investment_contract")
    }

    signed = {group.label: group for group in rows["investment_signed"].groups}
    assert list(signed) == ["一组", "二组"]
    # 一组: 2 signings of 4 = 50%; 二组's signing falls in December, after the period: 0 of 2.
    assert (signed["一组"].target, signed["一组"].value) == (4, 2)
    assert signed["一组"].completion == Decimal("50.00")
    assert (signed["二组"].value, signed["二组"].completion) == (0, Decimal("0.00"))
    assert signed["一组"].url.endswith(f"team={first.pk}")
    assert "signed_to=2023-11-30" in signed["一组"].url
    # Contract: 100 + 300 of 1,600 万元 = 25%; the zone has no contract target, the teams do.
    (contract,) = rows["investment_contract"].groups
    assert (contract.label, contract.value, contract.completion) == (
        "一组",
        Decimal(400),
        Decimal("25.00"),
    )


def test_a_new_team_target_shows_on_the_dashboard_at_once(role_users):
    """AnnualTarget writes invalidate the figures' cache the teams' targets are kept in."""
    team = TeamFactory(name="一组")
    leader = role_users["领导"]

    def groups():
        (row,) = [
            r
            for r in dashboard_rows(period=Period(2023, 11), user=leader)
            if r.figure.code == "investment_funds"
        ]
        return [(g.label, g.target) for g in row.groups]

    assert groups() == []
    target = _team_target(team, funds="500")
    assert groups() == [("一组", Decimal(500))]
    investment_services.annual_target_save(by=target.set_by, target=target, funds=Decimal(800))
    assert groups() == [("一组", Decimal(800))]


def test_who_may_not_read_the_teams_targets_sees_no_team_table(role_users):
    """The investment area's head sees the 招商 figures; a head without the 招商 targets'
    permission sees no team's target."""
    from django.contrib.auth.models import Permission

    _team_target(TeamFactory(), signings=3)
    head = role_users["经济发展"]
    head.user_permissions.add(Permission.objects.get(codename="view_investment_figures"))
    head = type(head).objects.get(pk=head.pk)
    rows = [
        r
        for r in dashboard_rows(period=Period(2023, 11), user=head)
        if r.figure.code == "investment_signed"
    ]
    assert rows and not rows[0].groups
    leader_rows = dashboard_rows(period=Period(2023, 11), user=role_users["领导"])
    assert next(r for r in leader_rows if r.figure.code == "investment_signed").groups


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

    from apps.core.dates import forget_local_calendar

    client.force_login(role_users["领导"])
    with CaptureQueriesContext(connection) as without_split:
        client.get("/dashboard/?period=2023-11")
    _year_save(role_users["系统管理员"], indicator="investment_contract", annual="1000")
    _team_target(TeamFactory(), contract="500")
    cache.clear()
    forget_local_calendar()  # read again, as for the page without a split
    # Cold: the page's budget (test_dashboard, the teams' targets included) plus the teams'
    # values (signings and contract 1, funds 1).
    with django_assert_num_queries(len(without_split) + 2):
        assert client.get("/dashboard/?period=2023-11").status_code == 200
    # Warm: permissions (2), the latest month, the targets (with their departments' names, 1),
    # the user's roles (1, the 招商 lists); the teams' targets are cached with the figures.
    with django_assert_num_queries(FRAME_QUERIES + 2 + 1 + 1 + 1):
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


def test_the_targets_page_shows_the_teams_targets_read_only_with_their_page(
    client, role_users, django_assert_num_queries
):
    _year_save(role_users["经济发展"], indicator="investment_signed", annual="8")
    _year_save(role_users["经济发展"], indicator="investment_funds", annual="30000")
    _team_target(TeamFactory(name="一组"), signings=5, funds="12000")
    _team_target(TeamFactory(name="二组"), signings=2, funds="8000")
    client.force_login(role_users["领导"])
    # Permissions (2), the latest month (for the default year), the year's targets (1), the
    # teams' targets (1).
    with django_assert_num_queries(FRAME_QUERIES + 2 + 1 + 1 + 1):
        content = client.get("/dashboard/targets/?year=2023").content.decode()

    signed = content.split('data-team-targets="investment_signed"')[1].split("</td>")[0]
    assert "一组 5 个" in signed and "二组 2 个" in signed
    assert 'href="/investment/targets/?year=2023"' in signed
    funds = content.split('data-team-targets="investment_funds"')[1].split("</td>")[0]
    assert "一组 1.2 亿元" in funds and "二组 0.8 亿元" in funds  # 万元 as leadership writes it
    # 5 + 2 = 7 signings within the zone's 8; 12,000 + 8,000 = 20,000 万元 within 30,000.
    assert "data-team-targets-over" not in content
    # Nothing to type for the teams: the form of a team-split figure has no group fields.
    client.force_login(role_users["经济发展"])
    form = client.get("/dashboard/targets/2023/investment_funds/").content.decode()
    assert "一组" not in form and 'name="g' not in form
    assert "data-team-targets-note" in form


def test_the_targets_page_warns_when_the_teams_targets_add_up_to_more_than_the_zones(
    client, role_users
):
    _year_save(role_users["经济发展"], indicator="investment_signed", annual="8")
    _year_save(role_users["经济发展"], indicator="investment_contract", annual="10000")
    _team_target(TeamFactory(name="一组"), signings=6, contract="6000")
    _team_target(TeamFactory(name="二组"), signings=3, contract="4000")
    client.force_login(role_users["领导"])
    content = client.get("/dashboard/targets/?year=2023").content.decode()
    # 6 + 3 = 9 signings > 8; 6,000 + 4,000 万元 = exactly the zone's 10,000: no warning.
    over = content.split('data-team-targets-over="investment_signed"')[1].split("</div>")[0]
    assert "各招商小组目标之和（9 个）超过全区目标（8 个）" in over
    assert 'data-team-targets-over="investment_contract"' not in content


def test_who_may_not_read_the_teams_targets_sees_only_where_they_are_set(client, role_users):
    """经济发展局 sets the zone's targets but does not read 招商's own targets."""
    _year_save(role_users["经济发展"], indicator="investment_signed", annual="8")
    _team_target(TeamFactory(name="驻沪招商组"), signings=9)
    client.force_login(role_users["经济发展"])
    content = client.get("/dashboard/targets/?year=2023").content.decode()
    assert "驻沪招商组" not in content
    assert "data-team-targets" not in content
    assert "/investment/targets/" not in content
    assert "按招商小组的目标由招商部门设定" in content


def test_only_those_who_write_targets_see_them_in_the_navigation(client, role_users):
    client.force_login(role_users["经济发展"])
    assert 'href="/dashboard/targets/"' in client.get("/dashboard/").content.decode()
    client.force_login(role_users["领导"])
    assert 'href="/dashboard/targets/"' not in client.get("/dashboard/").content.decode()


# --- The API -------------------------------------------------------------------------------------


def test_the_api_reads_for_leadership_and_writes_for_the_bureau(
    client, role_users, django_assert_num_queries
):
    from apps.accounts.models import Department

    service = Department.objects.get(code="service")
    client.force_login(role_users["经济发展"])
    created = client.post(
        "/api/dashboard/targets/",
        {"indicator": "investment_signed", "year": 2023, "value": "8"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    refused = client.post(
        "/api/dashboard/targets/",
        {"indicator": "investment_signed", "year": 2023, "department": service.pk, "value": "3"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["detail"] == "该指标不能按部门分解"
    for value, department in (("95", None), ("90", service.pk)):
        row = {"indicator": "demand_closure_rate", "year": 2023, "value": value}
        created = client.post(
            "/api/dashboard/targets/",
            row | {"department": department},
            content_type="application/json",
        )
        assert created.status_code == 201, created.json()
    # A team's targets are 招商's: a client still sending a team is refused, not taken for the
    # zone's target of a year that has none.
    refused = client.post(
        "/api/dashboard/targets/",
        {"indicator": "investment_signed", "year": 2024, "team": 1, "value": "3"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "年度招商目标" in refused.json()["errors"]["team"][0]
    assert not Target.objects.filter(year=2024).exists()

    client.force_login(role_users["领导"])
    # Permissions (2), the count, the page (department joined).
    with django_assert_num_queries(FRAME_QUERIES + 2 + 1 + 1):
        body = client.get("/api/dashboard/targets/?year=2023&split=department").json()
    assert [(r["department_name"], r["value"]) for r in body["results"]] == [
        (service.name, "90.0000")
    ]
    assert "team" not in body["results"][0]
    assert (
        client.post(
            "/api/dashboard/targets/",
            {"indicator": "investment_signed", "year": 2024, "value": "8"},
            content_type="application/json",
        ).status_code
        == 403
    )


def test_the_demo_teams_targets_add_up_to_the_zones():
    """The demo's 招商 teams' targets (investment) make the zone's (dashboard): the targets
    page shows no over-allocation warning on the demo."""
    from apps.dashboard.demo import TARGETS_2023
    from apps.investment.demo import TARGETS

    signings, contract, funds = (sum(team[i] for team in TARGETS.values()) for i in range(3))
    assert signings == TARGETS_2023["investment_signed"]
    assert contract == TARGETS_2023["investment_contract"]
    assert funds == TARGETS_2023["investment_funds"]
