"""The dashboard page and API: what they show, for whom, in how many queries; targets."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from apps.core.errors import NotAllowed, Refused
from apps.core.figures import Period
from apps.dashboard import selectors, services
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
    assert "截至2023年11月份，1家规上工业企业工业总产值0.5亿元" in content
    assert 'id="chart-industry_output_by_chain"' in content
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
    # the month (23: enterprises 3 — the month's tables: one statement, the chain and park
    # names; none declines here — + 3 + 2 link look-ups, services 4 + the demands overdue and
    # escalated today 1 + 2 link look-ups, staff 3,
    # investment 4, projects 1: the ledger's rows, their counts and colours) and for the same
    # month a year before (18: the same sources without the link look-ups, year_ago_values),
    # the targets, the 招商 teams' targets (investment.AnnualTarget, 1), the breakdowns
    # (enterprises none: the month's tables are cached by the figures; investment: the teams 1,
    # the stages from the figures' own source, one_context_per_period, the red projects
    # named 1, the leads past their clocks named 1, the 赛马榜 6:
    # investment.selectors.team_ranking's signings, increases, funds, late starts,
    # targets and teams; projects: the statuses 1, the colours from the figures'
    # ledger facts, no red project to explain here), the three trends' months (one statement
    # a year: 6), their goal lines (the targets': 3) and the projects' plans (1), and the
    # holiday calendar the 招商 leads' clocks count working days with (1, then kept), and the
    # user's roles (1: whether they may read every lead and project the 招商 lists name).
    with django_assert_num_queries(
        FRAME_QUERIES + 2 + 1 + 23 + 18 + 1 + 1 + 1 + 1 + 1 + 1 + 6 + 10 + 1 + 1
    ):
        assert client.get("/dashboard/?period=2023-11").status_code == 200
    # Warm: permissions, the latest month, the targets (the trends are cached with the
    # figures), the user's roles (the 招商 lists).
    with django_assert_num_queries(FRAME_QUERIES + 2 + 1 + 1 + 1):
        assert client.get("/dashboard/?period=2023-11").status_code == 200
    # The API, warm: permissions, the latest month and the targets.
    with django_assert_num_queries(FRAME_QUERIES + 2 + 1 + 1):
        assert client.get("/api/dashboard/?period=2023-11").status_code == 200


def _signed_project(day, amount, status="signed"):
    from tests.investment.factories import ProjectFactory

    landed = {} if status == "signed" else {"enterprise": EnterpriseFactory()}
    return ProjectFactory(
        status=status, signed_on=day, contract_investment=Decimal(amount), **landed
    )


def test_the_zone_investment_figures_are_for_who_reads_every_project(client, role_users):
    from datetime import date

    _signed_project(date(2023, 3, 1), "12000", status="started")
    _signed_project(date(2023, 10, 1), "8000")
    _signed_project(date(2023, 12, 1), "5000")  # after the period
    client.force_login(role_users["经济发展"])
    codes = {f["code"] for f in client.get("/api/dashboard/?period=2023-11").json()["figures"]}
    assert not {code for code in codes if code.startswith("investment_")}
    client.force_login(role_users["领导"])
    body = client.get("/api/dashboard/?period=2023-11").json()
    figures = {f["code"]: f for f in body["figures"]}
    assert figures["investment_signed"]["value"] == "2.0000"
    assert Decimal(figures["investment_contract"]["value"]) == Decimal(20000)
    assert Decimal(figures["investment_start_rate"]["value"]) == Decimal(50)
    content = client.get("/dashboard/?period=2023-11").content.decode()
    assert 'data-section="investment"' in content
    assert 'data-source="breakdown-investment_pipeline"' in content


def test_an_investment_target_gives_completion_and_schedule(role_users):
    from datetime import date

    _signed_project(date(2023, 3, 1), "20000")
    admin = role_users["系统管理员"]
    services.target_save(by=admin, indicator="investment_contract", year=2023, value=40000)

    row = _row(dashboard_rows(period=Period(2023, 6), user=admin), "investment_contract")

    assert row.completion == Decimal("50.00")  # 20,000 ÷ 40,000
    assert row.schedule_gap == Decimal("0.00")  # 50 − 6/12


def test_a_signing_after_the_figures_were_read_is_seen_at_once(role_users):
    from datetime import date

    from apps.core import figures

    leader = role_users["领导"]
    before = _row(dashboard_rows(period=Period(2023, 11), user=leader), "investment_signed")
    _signed_project(date(2023, 5, 1), "1000")
    figures.invalidate("investment")  # what every investment write does (apps.investment.services)
    after = _row(dashboard_rows(period=Period(2023, 11), user=leader), "investment_signed")
    assert (before.value, after.value) == (0, 1)


def _head(user_of, role, username):
    from django.contrib.auth.models import Permission

    head = user_of(role, username=username)
    head.user_permissions.add(Permission.objects.get(codename="view_area_dashboard"))
    return type(head).objects.get(pk=head.pk)  # a fresh permission cache


def test_a_department_head_sees_the_sections_of_their_area_only(client, user_of, role_users):
    from apps.accounts.roles import Role

    # A person's permission, never a role's: the bureau's staff are not its head.
    assert not any(u.has_perm("dashboard.view_area_dashboard") for u in role_users.values()
                   if not u.is_superuser)  # fmt: skip

    client.force_login(user_of(Role.SERVICE, username="staff-li"))
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/api/dashboard/").status_code == 403

    client.force_login(_head(user_of, Role.SERVICE, "head-li"))
    figures = client.get("/api/dashboard/?period=2023-11").json()["figures"]
    assert figures and {f["section"] for f in figures} == {"service"}
    content = client.get("/dashboard/?period=2023-11").content.decode()
    assert 'data-section="service"' in content
    assert 'data-section="economy"' not in content

    # The head of 招商局 sees the zone's 招商 figures (a plain 招商 officer does not).
    client.force_login(_head(user_of, Role.INVESTMENT, "head-chen"))
    body = client.get("/api/dashboard/?period=2023-11").json()
    assert {f["section"] for f in body["figures"]} == {"investment"}
    assert "investment_signed" in {f["code"] for f in body["figures"]}


def test_a_new_apps_section_appears_from_the_registry_alone(client, role_users, monkeypatch):
    """A new app declares figures of a new section; the dashboard, which never names that app,
    shows the section under the app's name, after the known sections and before 队伍."""
    from types import SimpleNamespace

    from apps.core import figures as registry
    from apps.core.figures import Breakdown, BreakdownRow, Figure

    module = SimpleNamespace(
        FIGURES=[
            Figure(
                code="parks_land_supplied",
                label="供地面积",
                unit="亩",
                definition="test",
                section="parks",
                compute=lambda ctx: 24,
                api_list="enterprise-list",
                filters=lambda period: {"on": period.day.isoformat()},
            )
        ],
        BREAKDOWNS=[
            Breakdown(
                code="parks_land_by_park",
                label="供地按园区",
                unit="亩",
                definition="test",
                section="parks",
                rows=lambda ctx: [BreakdownRow("一园", 2, 2, {"q": "one"})],
                api_list="enterprise-list",
            )
        ],
    )
    # Its figures are cached in its own area, the app's label (an installed app's, here).
    config = SimpleNamespace(verbose_name="园区建设", label="enterprises")
    real = registry.app_modules

    def with_parks(name):
        yield from real(name)
        if name == "figures":
            yield config, module

    monkeypatch.setattr(registry, "app_modules", with_parks)
    # The registry is read once per process: read it again with the new app, and again after.
    registry.all_figures.cache_clear()
    registry.all_breakdowns.cache_clear()
    client.force_login(role_users["领导"])
    try:
        content = client.get("/dashboard/?period=2023-11").content.decode()
    finally:
        monkeypatch.undo()
        registry.all_figures.cache_clear()
        registry.all_breakdowns.cache_clear()
    assert 'data-code="parks_land_supplied"' in content
    assert 'id="chart-parks_land_by_park"' in content
    order = [
        content.index(f'data-section="{code}"')
        for code in ("economy", "investment", "projects", "service", "parks", "staff")
    ]
    assert order == sorted(order)
    assert "园区建设" in content  # the app's name, as the section's label


def test_the_projects_section_has_its_figures_charts_and_trend(client, role_users):
    """项目建设: the projects' figures, by status and by colour, and the investment completed
    against last year and the plans' 序时 line; after 招商引资, before 企业服务."""
    client.force_login(role_users["领导"])
    content = client.get("/dashboard/?period=2023-11").content.decode()
    assert "项目建设" in content
    for code in ("projects_constructing", "projects_investment_ytd", "projects_red"):
        assert f'data-code="{code}"' in content
    assert 'id="chart-projects_by_status"' in content
    assert 'id="chart-projects_by_colour"' in content
    # Its bars in the ledger's colours, red first; the other charts' bars in the one colour.
    assert '"colours": ["#dc3545", "#ffc107", "#198754"]' in content
    assert '"colours": []' in content
    assert 'id="chart-trend-projects"' in content
    order = [content.index(f'data-section="{code}"') for code in ("investment", "projects")]
    assert order == sorted(order)
    assert content.index('data-section="projects"') < content.index('data-section="service"')


def test_a_signing_through_the_pipeline_is_on_the_dashboard_at_once(role_users):
    """The cache is never stale after a write: the 招商 pipeline's transitions invalidate."""
    from django.utils import timezone

    from apps.investment import services as investment_services
    from apps.investment.models import AdmissionReview
    from tests.investment.factories import ProjectFactory

    leader, admin = role_users["领导"], role_users["系统管理员"]
    today = timezone.localdate()
    period = Period(today.year, today.month)
    project = ProjectFactory(status="reviewing")
    AdmissionReview.objects.create(
        project=project,
        reviewed_on=today,
        environment=True,
        energy=True,
        safety=True,
        conclusion="passed",
        by=admin,
    )
    before = _row(dashboard_rows(period=period, user=leader), "investment_signed")  # cached
    investment_services.PROJECT_WORKFLOW.perform(
        project, "sign", by=admin, kind="contract", amount=Decimal(30000), signed_on=today
    )
    after = dashboard_rows(period=period, user=leader)
    assert (before.value, _row(after, "investment_signed").value) == (0, 1)
    assert _row(after, "investment_contract").value == Decimal(30000)


def test_the_projects_trend_is_the_investment_figure_and_the_plans_line(role_users):
    """Each month's point is the investment completed to date as the figure counts it (approved
    reports only); beside the target's goal line, the year's plans, cumulative (计划序时, 亿元)."""
    from apps.core.figures import figure_values
    from tests.projects.factories import PlanFactory, ProjectFactory, ReportFactory

    approved = "approved"
    first, second = ProjectFactory(), ProjectFactory()
    PlanFactory(project=first, year=2023, planned=Decimal("12000"))
    PlanFactory(project=second, year=2023, planned=Decimal("24000"), monthly=[2000] * 12)
    ReportFactory(project=first, year=2023, month=3, invested=Decimal("5000"), status=approved)
    ReportFactory(project=second, year=2023, month=3, invested=Decimal("1000"), status=approved)
    ReportFactory(project=first, year=2023, month=5, invested=Decimal("7000"), status=approved)
    ReportFactory(project=second, year=2023, month=6, invested=Decimal("9000"))  # a draft
    ReportFactory(project=first, year=2022, month=11, invested=Decimal("4000"), status=approved)

    cache.clear()
    trend = selectors.section_trend("projects", Period(2023, 5))
    assert trend["current"] == [0.0, 0.0, 0.6, 0.6, 1.3] + [None] * 7
    assert trend["previous"] == [0.0] * 10 + [0.4, 0.4]
    # 1,000 + 2,000 万元 a month: 0.3 亿元 a month to 3.6 in December.
    assert trend["plan"] == [round(0.3 * month, 2) for month in range(1, 13)]
    assert trend["plan_label"] == "计划序时"
    assert trend["goal"] == []  # no target for the year
    services.target_save(
        by=role_users["系统管理员"],
        indicator="projects_investment_ytd",
        year=2023,
        value=Decimal("24000"),
    )
    trend = selectors.section_trend("projects", Period(2023, 5))
    # The target's 序时 line beside the plans': 0.2 亿元 a month.
    assert trend["goal"] == [round(0.2 * month, 2) for month in range(1, 13)]
    assert trend["plan"] == [round(0.3 * month, 2) for month in range(1, 13)]
    value = figure_values(Period(2023, 5))["projects_investment_ytd"].value
    assert Decimal(str(trend["current"][4])) * 10000 == value == Decimal("13000")


def test_the_red_projects_are_listed_with_their_reasons_and_each_links_to_its_row(
    client, role_users
):
    """项目建设's red projects: each with its red reasons (not its amber ones), linking to the
    ledger filtered to that one project; the same in the briefing's 存在问题."""
    from datetime import date

    from apps.dashboard.briefing import build_snapshot
    from apps.projects.models import Project
    from tests.projects.factories import ProjectFactory

    late = ProjectFactory(
        name="迟迟未开工项目",
        status=Project.Status.PREPARING,
        actual_start=None,
        registered_on=None,
        planned_start=date(2023, 3, 10),
    )
    ProjectFactory(
        name="另一红灯项目",
        status=Project.Status.PREPARING,
        actual_start=None,
        registered_on=None,
        planned_start=date(2023, 2, 10),
    )
    ProjectFactory(name="正常推进项目")
    cache.clear()
    client.force_login(role_users["领导"])
    content = client.get("/dashboard/?period=2023-06").content.decode()
    table = content[content.index('data-breakdown="projects_red_list"') :]
    table = table[: table.index("</table>")]
    assert "迟迟未开工项目" in table and "正常推进项目" not in table
    assert "计划2023-03开工，已延迟3个月未开工" in table
    assert f"id={late.pk}" in table
    api = client.get(f"/api/projects/projects/?month=2023-06&colour=red&id={late.pk}").json()
    assert [row["id"] for row in api["results"]] == [late.pk]
    assert client.get("/api/projects/projects/?id=x").status_code == 400
    problems = build_snapshot(Period(2023, 6))["problems"]
    assert any("迟迟未开工项目（计划2023-03开工" in line for line in problems), problems


def test_the_pipelines_red_projects_are_named_with_their_days_but_not_confidential_ones(
    client, role_users
):
    """招商: the projects longest past their stage's red line, each with its stage and days,
    linking to that one project in the list; a confidential one is counted, never named."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.investment import selectors as investment_selectors
    from tests.investment.factories import ProjectFactory

    red_days = investment_selectors.stage_days()["negotiating"][1]
    long_ago = timezone.now() - timedelta(days=red_days + 5)
    stuck = ProjectFactory(name="久谈未签项目", status="negotiating", stage_entered_at=long_ago)
    ProjectFactory(
        name="保密久谈项目", status="negotiating", stage_entered_at=long_ago, confidential=True
    )
    ProjectFactory(name="新近洽谈项目", status="negotiating", stage_entered_at=timezone.now())
    cache.clear()
    client.force_login(role_users["领导"])
    today = timezone.localdate()
    content = client.get(f"/dashboard/?period={today:%Y-%m}").content.decode()
    table = content[content.index('data-breakdown="investment_red_list"') :]
    table = table[: table.index("</table>")]
    assert "久谈未签项目" in table
    assert "保密久谈项目" not in table and "新近洽谈项目" not in table
    assert f"已停留{red_days + 5}天（红灯线{red_days}天）" in table
    assert f"id={stuck.pk}" in table
    rows = dashboard_rows(period=Period(today.year, today.month), user=role_users["领导"])
    assert _row(rows, "investment_red_projects").value == 2


def test_the_team_scores_are_the_ranking_pages_and_link_to_each_teams_signings(client, role_users):
    """赛马榜 on the dashboard: the investment app's ranking (score, order) for the year to the
    period; each bar links to the team's signings of the year, whose count it carries."""
    from datetime import date

    from apps.core.figures import compute_breakdowns
    from apps.investment.models import AnnualTarget
    from apps.investment.selectors import team_ranking
    from tests.investment.factories import ProjectFactory, TeamFactory

    fast, slow = TeamFactory(name="甲组"), TeamFactory(name="乙组")
    admin = role_users["系统管理员"]
    for team, signings, contract in ((fast, 2, 10000), (slow, 4, 40000)):
        AnnualTarget.objects.create(
            team=team,
            year=2023,
            signings=signings,
            contract_investment=contract,
            funds=0,
            set_by=admin,
        )
    for team, amount in ((fast, 6000), (fast, 6000), (slow, 5000)):
        ProjectFactory(
            team=team, status="signed", signed_on=date(2023, 5, 1), contract_investment=amount
        )
    period = Period(2023, 11)
    groups = compute_breakdowns(period)["investment_team_scores"]
    ranking = team_ranking(year=2023, month=11)
    assert [g.label for g in groups] == [row["team"].name for row in ranking]
    assert [g.value for g in groups] == [row["score"] for row in ranking]
    assert groups[0].label == "甲组" and groups[0].count == 2
    client.force_login(admin)
    listed = client.get(groups[0].list_url).json()
    assert listed["count"] == 2
    assert compute_breakdowns(period, scope="public")["investment_team_scores"] == []


def test_the_red_list_is_the_projects_furthest_past_their_stages_red_line():
    """The red lines differ by stage (30 to 730 days): the list is ordered by the days past
    the line, not by the days in the stage."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.core.figures import compute_breakdowns
    from tests.investment.factories import ProjectFactory

    now = timezone.now()
    for index in range(10):  # 搁置 is red at 180 days: one day past
        ProjectFactory(
            name=f"搁置{index}", status="shelved", stage_entered_at=now - timedelta(days=181)
        )
    ProjectFactory(name="审核久滞", status="reviewing", stage_entered_at=now - timedelta(days=150))
    today = timezone.localdate()
    rows = compute_breakdowns(Period(today.year, today.month), codes=["investment_red_list"])
    labels = [row.label for row in rows["investment_red_list"]]
    assert labels[0] == "审核久滞" and len(labels) == 10


def test_a_department_head_sees_no_names_of_projects_outside_her_scope(client, user_of):
    """The 招商局 head sees the 招商 section's counts through the area view, but not the red
    list naming projects she may not read (its link would show her nothing)."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.accounts.roles import Role
    from apps.investment import selectors as investment_selectors
    from tests.investment.factories import ProjectFactory

    red_days = investment_selectors.stage_days()["negotiating"][1]
    other = ProjectFactory(
        name="他组久谈项目",
        status="negotiating",
        stage_entered_at=timezone.now() - timedelta(days=red_days + 5),
    )
    cache.clear()
    head = _head(user_of, Role.INVESTMENT, "head-chen")
    client.force_login(head)
    assert client.get(f"/api/investment/projects/?red=true&id={other.pk}").json()["count"] == 0
    today = timezone.localdate()
    content = client.get(f"/dashboard/?period={today:%Y-%m}").content.decode()
    assert 'data-code="investment_red_projects"' in content  # the count, through her area
    assert "他组久谈项目" not in content
    assert 'data-breakdown="investment_red_list"' not in content


def test_the_leads_past_their_clocks_are_counted_and_link_to_those_leads(client, role_users):
    """招商: leads not judged past their clock today, counted (confidential ones too, for who
    reads the zone's figures) and linking to the lead list of exactly those leads."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.core.figures import PUBLIC, compute_figures
    from tests.investment.factories import LeadFactory

    long_ago = timezone.now() - timedelta(days=30)
    LeadFactory(title="久未研判线索", reported_at=long_ago)
    LeadFactory(title="保密久未研判线索", reported_at=long_ago, confidential=True)
    LeadFactory(title="今日新报线索")
    today = timezone.localdate()
    period = Period(today.year, today.month)
    value = compute_figures(period)["investment_leads_overdue"]
    assert value.value == 2
    client.force_login(role_users["系统管理员"])
    listed = client.get(value.list_url).json()
    assert listed["count"] == 2
    assert compute_figures(period, PUBLIC)["investment_leads_overdue"].value == 1


def test_the_leads_past_their_clocks_are_named_with_the_clock_and_link_to_each(
    client, role_users, django_assert_num_queries
):
    """招商: the leads past their clocks are named on the dashboard, reported longest ago
    first, each with the clock it is past and by how many days, linking to that one lead; a
    confidential lead is counted, never named; an unowned lead is past both clocks."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.core.dates import add_working_days
    from apps.core.figures import compute_breakdowns
    from tests.investment.factories import LeadFactory

    now = timezone.now()
    oldest = LeadFactory(title="久未研判线索", reported_at=now - timedelta(days=30))
    unowned = LeadFactory(
        title="无人认领线索", reported_at=now - timedelta(days=20), owner=None, team=None
    )
    LeadFactory(title="保密久未研判线索", reported_at=now - timedelta(days=40), confidential=True)
    LeadFactory(title="今日新报线索")
    today = timezone.localdate()
    period = Period(today.year, today.month)
    from apps.core.dates import working_calendar

    working_calendar()  # the holiday calendar, read once and kept
    with django_assert_num_queries(1):  # the leads, whatever their number: no field deferred
        rows = compute_breakdowns(period, codes=["investment_overdue_leads"])
    rows = rows["investment_overdue_leads"]
    assert [row.label for row in rows] == ["久未研判线索", "无人认领线索"]
    judged_due = add_working_days(timezone.localdate(oldest.reported_at), 3)
    assert rows[0].note == f"未研判超时{(today - judged_due).days}天"
    owner_due = add_working_days(timezone.localdate(unowned.reported_at), 1)
    assert rows[1].note.startswith(f"未分派超时{(today - owner_due).days}天，未研判超时")
    client.force_login(role_users["领导"])
    assert client.get(rows[0].list_url).json()["results"][0]["id"] == oldest.pk
    cache.clear()
    content = client.get(f"/dashboard/?period={today:%Y-%m}").content.decode()
    table = content[content.index('data-breakdown="investment_overdue_leads"') :]
    table = table[: table.index("</table>")]
    assert "久未研判线索" in table and "无人认领线索" in table
    assert "保密久未研判线索" not in table and "今日新报线索" not in table
    assert f"id={oldest.pk}" in table


def test_a_named_list_is_shown_only_to_who_may_open_every_row_it_names(client):
    """The 系统管理员 role reads the zone's 招商 figures but not 招商's leads and projects: it
    sees their counts, never the names of the leads past their clocks or of the red projects
    (each name would open a list answering 403)."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.accounts.roles import Role
    from tests.investment.factories import LeadFactory, ProjectFactory

    lead = LeadFactory(title="管理员不可见线索", reported_at=timezone.now() - timedelta(days=30))
    ProjectFactory(
        name="管理员不可见项目",
        status="negotiating",
        stage_entered_at=timezone.now() - timedelta(days=400),
    )
    from django.contrib.auth.models import Group

    from apps.accounts.models import User

    admin = User.objects.create_user(username="sysadmin-plain", password="x")
    admin.groups.add(Group.objects.get(name=Role.ADMIN))
    admin = User.objects.get(pk=admin.pk)
    client.force_login(admin)
    assert client.get("/api/investment/leads/", {"id": lead.pk}).status_code == 403
    today = timezone.localdate()
    cache.clear()
    content = client.get(f"/dashboard/?period={today:%Y-%m}").content.decode()
    assert 'data-code="investment_leads_overdue"' in content  # the count
    assert 'data-code="investment_red_projects"' in content
    assert "管理员不可见线索" not in content and "管理员不可见项目" not in content
    assert 'data-breakdown="investment_overdue_leads"' not in content
    assert 'data-breakdown="investment_red_list"' not in content


def test_the_groups_labels_and_notes_follow_each_readers_language(client, role_users):
    """Breakdowns are kept per language: an English reader computing them first does not give
    a Chinese reader English notes, nor the other way round."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.investment.factories import LeadFactory

    LeadFactory(title="语言线索", reported_at=timezone.now() - timedelta(days=30))
    cache.clear()
    client.force_login(role_users["领导"])
    url = f"/dashboard/?period={timezone.localdate():%Y-%m}"
    from django.utils import translation

    with translation.override(None):  # the requests activate their language in this thread
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "days past the clock" in english
    assert "days past the clock" not in chinese and "未研判超时" in chinese


def test_amounts_are_in_yi_in_every_language(client, role_users):
    """万元 amounts are shown in 亿元 whatever the reader's language: in English the unit's
    label is "CNY 10,000", and the page showed raw 万元 under a "CNY 100 million" headline."""
    _member("100000")  # 11 months × 100,000 万元 = 110 亿元
    client.force_login(role_users["领导"])
    from django.utils import translation

    for language, unit in (("zh-hans", "亿元"), ("en", "CNY 100 million")):
        cache.clear()
        # The request activates its language in this thread: restored after it.
        with translation.override(None):
            content = client.get(
                "/dashboard/?period=2023-11", HTTP_ACCEPT_LANGUAGE=language
            ).content.decode()
        card = content[content.index('data-code="industry_output_ytd"') :]
        card = card[: card.index("</div></div>")] if "</div></div>" in card else card[:800]
        assert ">110<" in card and unit in card, language
        assert "1100000" not in content, language
    # The trend's axis, tooltip and legend words come with its data, in the reader's language.
    assert '"unit": "CNY 100 million"' in content and '"current_label": "2023"' in content
