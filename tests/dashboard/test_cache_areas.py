"""The figures' cache is invalidated per area (the app whose writes change them): a write in one
area leaves the other areas' cached figures, breakdowns and trends in place, and refreshes its
own, so a figure read after the write equals its list."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.core import figures
from apps.core.figures import Period, breakdown_values, figure_values
from apps.dashboard import selectors
from apps.dashboard import services as dashboard_services
from apps.enterprises import selectors as enterprise_selectors
from apps.enterprises import services as enterprise_services
from apps.enterprises.imports import ReportRow
from apps.services import services
from apps.staff import services as staff_services
from apps.staff.models import StaffMember
from tests.dashboard.test_dashboard import _member
from tests.enterprises.factories import EnterpriseFactory, MonthlyStatisticFactory
from tests.services.factories import DemandFactory, VisitFactory, category
from tests.staff.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db

NOVEMBER = Period(2023, 11)
# The listed figures' groups of areas: what one area's write leaves cached.
ENTERPRISE_CODES = ("industry_output_ytd", "four_above", "zone_enterprises")
SERVICE_CODES = ("demands_raised", "visits", "loan_intents")


def _warm(period=NOVEMBER):
    values = figure_values(period)
    breakdown_values(period)
    selectors.section_trend("economy", period)
    selectors.section_trend("investment", period)
    return values


def _committed(write):
    """Run `write` in a transaction whose commit callbacks run (the test's own never commits)."""
    with transaction.atomic():
        result = write()
    return result


def _count(api_client, url) -> int:
    return api_client.get(url).json()["count"]


def test_a_demand_transition_keeps_the_enterprise_figures_and_the_output_trend(
    role_users, django_assert_num_queries, django_capture_on_commit_callbacks
):
    _member("1000")
    demand = DemandFactory(raised_on=date(2023, 11, 3), deadline=date(2023, 12, 3))
    before = _warm()
    with django_capture_on_commit_callbacks(execute=True):
        _committed(lambda: services.demand_accept(demand=demand, by=role_users["系统管理员"]))
    # Recomputed: the services' sources (visits 1, the year's demands 1, loan intents 1; the
    # demands overdue and escalated today 1) and its two demand-category link look-ups. The
    # projects' colours read only the demands about a project: this one is about none, so they
    # stay cached, as do the enterprises', investment's and staff's groups (one round trip, no
    # query).
    with django_assert_num_queries(4 + 2):
        after = figure_values(NOVEMBER)
    for code in ENTERPRISE_CODES:
        assert after[code] == before[code]
    # The breakdowns are the enterprises' and investment's, the trends theirs and the targets':
    # all still cached.
    with django_assert_num_queries(0):
        breakdown_values(NOVEMBER)
        selectors.section_trend("economy", NOVEMBER)
        selectors.section_trend("investment", NOVEMBER)


def test_a_transition_of_a_demand_about_a_project_recomputes_the_colours_too(
    role_users, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from tests.projects.factories import ProjectFactory

    project = ProjectFactory()
    demand = DemandFactory(
        enterprise=project.enterprise,
        project=project,
        source="project",
        raised_on=date(2023, 11, 3),
        deadline=date(2023, 12, 3),
    )
    _warm()
    with django_capture_on_commit_callbacks(execute=True):
        _committed(lambda: services.demand_accept(demand=demand, by=role_users["系统管理员"]))
    # The services' sources and their look-ups (4 + 2), and the projects' area: one statement over
    # the ledger's rows gives the counts and the colours, the problems read in it
    # (rag.ledger_facts).
    with django_assert_num_queries(4 + 2 + 1):
        figure_values(NOVEMBER)


def test_a_monthly_import_keeps_the_service_figures_and_refreshes_its_own(
    role_users, django_assert_num_queries, django_capture_on_commit_callbacks
):
    _member("1000")
    DemandFactory(raised_on=date(2023, 11, 3), deadline=date(2023, 12, 3))
    before = _warm()
    assert before["industry_output_ytd"].value == Decimal(11000)
    with django_capture_on_commit_callbacks(execute=True):
        _committed(lambda: _member("300"))  # saved rows invalidate "enterprises" (signals)
    after = figure_values(NOVEMBER)
    assert after["industry_output_ytd"].value == Decimal(14300)
    for code in SERVICE_CODES:
        assert after[code] == before[code]
    # The output trend is recomputed, the 招商 one kept.
    with django_assert_num_queries(0):
        selectors.section_trend("investment", NOVEMBER)
    # Each year's months (rows saved one by one invalidate every year); the goal line is kept.
    with django_assert_num_queries(2):
        trend = selectors.section_trend("economy", NOVEMBER)
    assert trend["current"][10] == 1.43  # 14,300 万元 in 亿元


def test_after_a_write_the_figure_of_its_area_equals_its_list(
    client, role_users, django_capture_on_commit_callbacks
):
    enterprise = EnterpriseFactory()
    client.force_login(role_users["系统管理员"])
    assert figure_values(NOVEMBER)["demands_raised"].value == 0  # cached
    with django_capture_on_commit_callbacks(execute=True):
        _committed(
            lambda: services.demand_create(
                enterprise=enterprise,
                source="phone",
                category=category("procedure"),
                description="用电增容",
                raised_on=date(2023, 11, 6),
                by=role_users["系统管理员"],
            )
        )
    raised = figure_values(NOVEMBER)["demands_raised"]
    assert raised.value == 1
    assert _count(client, raised.list_url) == 1


def test_a_new_enterprise_in_the_zone_refreshes_the_coverage_it_is_part_of(
    role_users, django_capture_on_commit_callbacks
):
    """visit_coverage is a rate of two areas: the visits (services) over the enterprises in
    the zone (enterprises); a write in either changes it."""
    EnterpriseFactory()
    VisitFactory(visited_on=date(2023, 11, 6))
    before = figure_values(NOVEMBER)
    assert before["visit_coverage"].value == Decimal("50.00")
    with django_capture_on_commit_callbacks(execute=True):
        _committed(EnterpriseFactory)  # settled in 2016 (a move-in registered late)
    after = figure_values(NOVEMBER)
    assert (after["zone_enterprises"].value, after["visited_enterprises"].value) == (3, 1)
    assert after["visit_coverage"].value == Decimal("33.33")


def test_a_staff_record_refreshes_the_staff_in_post(role_users, django_capture_on_commit_callbacks):
    member = StaffMemberFactory()
    assert figure_values(NOVEMBER)["staff_in_post"].value == 1
    with django_capture_on_commit_callbacks(execute=True):
        _committed(
            lambda: staff_services.staff_member_update(
                member=member, by=role_users["系统管理员"], status=StaffMember.Status.LEFT
            )
        )
    assert figure_values(NOVEMBER)["staff_in_post"].value == 0


def test_a_target_refreshes_the_goal_line_and_keeps_the_figures(
    role_users, django_assert_num_queries, django_capture_on_commit_callbacks
):
    _member("1000")
    _warm()
    assert selectors.section_trend("economy", NOVEMBER)["goal"] == []
    with django_capture_on_commit_callbacks(execute=True):
        _committed(
            lambda: dashboard_services.target_save(
                by=role_users["经济发展"], indicator="industry_output_ytd", year=2023, value=12000
            )
        )
    with django_assert_num_queries(0):
        figure_values(NOVEMBER)
        breakdown_values(NOVEMBER)
    # The goal line is drawn again, the months' totals (a year of monthly rows) are kept.
    with django_assert_num_queries(1):
        trend = selectors.section_trend("economy", NOVEMBER)
    assert trend["goal"][11] == 1.2  # 亿元
    assert trend["current"][10] == 1.1  # 11 months of 1,000 万元, in 亿元


def test_one_transaction_writing_in_two_areas_renews_both_once(
    django_capture_on_commit_callbacks,
):
    _warm()
    generations = figures._generations(["services", "enterprises", "staff"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        figures.invalidate("services")
        figures.invalidate("enterprises")
        figures.invalidate("services")
    assert len(callbacks) == 1
    after = figures._generations(["services", "enterprises", "staff"])
    assert after["services"] != generations["services"]
    assert after["enterprises"] != generations["enterprises"]
    assert after["staff"] == generations["staff"]


def test_an_invalidation_names_a_real_area():
    with pytest.raises(TypeError):
        figures.invalidate()
    with pytest.raises(LookupError):
        figures.invalidate("enterprise")  # misspelt: it would never renew anything


def test_every_figure_and_breakdown_names_real_areas():
    areas = {area for item in figures.all_figures().values() for area in item.areas}
    areas |= {area for item in figures.all_breakdowns().values() for area in item.areas}
    assert areas == {"enterprises", "investment", "projects", "services", "staff"}


def test_the_year_before_is_computed_for_the_figures_with_a_year_on_year_alone(monkeypatch):
    _member("1000", year=2022)
    StaffMemberFactory()
    year_ago = NOVEMBER.previous_year
    values = figures.year_ago_values(year_ago)
    registry = figures.all_figures()
    assert set(values) == {
        code for code, figure in registry.items() if figure.ratio is None and figure.has_yoy
    }
    # Judged today (no year on year) or a rate: not computed for the year before.
    assert not {"staff_in_post", "demands_overdue", "demand_closure_rate"} & set(values)
    full = figure_values(year_ago)
    assert values == {code: full[code].value for code in values}
    assert values["industry_output_ytd"] == Decimal(11000)
    # The values alone: no link is built (nor its reference look-ups run).
    cache.clear()

    def no_links(self, period):
        raise AssertionError("a link was built for the year before")

    monkeypatch.setattr(figures.Figure, "urls", no_links)
    assert figures.year_ago_values(year_ago) == values


def _import(enterprise, *, year, month, output, by):
    row = ReportRow(
        number=2,
        credit_code=enterprise.credit_code,
        year=year,
        month=month,
        output_value=Decimal(output),
        revenue=Decimal("100"),
        enterprise=enterprise,
        exists=True,
    )
    _committed(
        lambda: enterprise_services.monthly_statistics_import(
            rows=[row], year=year, month=month, by=by
        )
    )


def test_a_monthly_import_keeps_what_reads_other_years(
    role_users, django_assert_num_queries, django_capture_on_commit_callbacks
):
    enterprise = _member("1000", year=2022)
    for month in range(1, 11):
        MonthlyStatisticFactory(enterprise=enterprise, year=2023, month=month, output_value=500)
    year_ago = NOVEMBER.previous_year
    _warm()
    kept_before = figures.year_ago_values(year_ago)
    assert figure_values(NOVEMBER)["industry_output_ytd"].value == Decimal(5000)
    # Not bound to years (another page's tables): forgotten by any write of the area.
    other = []
    figures.cached("other", lambda: other.append(1) or 1, areas=("enterprises",))
    registry = enterprise_selectors.cached_registry_summary(on=NOVEMBER.day)

    with django_capture_on_commit_callbacks(execute=True):
        _import(enterprise, year=2023, month=11, output="700", by=role_users["经济发展"])

    # The registry reads no monthly rows: kept.
    with django_assert_num_queries(0):
        assert enterprise_selectors.cached_registry_summary(on=NOVEMBER.day) == registry

    # November 2022 reads 2021 and 2022: kept, and last year's line of the trend too.
    with django_assert_num_queries(0):
        assert figures.year_ago_values(year_ago) == kept_before
    with django_assert_num_queries(1):  # this year's months alone
        trend = selectors.section_trend("economy", NOVEMBER)
    assert trend["current"][10] == 0.57 and trend["previous"][10] == 1.1
    # November 2023 reads 2023: recomputed, and equals its list.
    assert figure_values(NOVEMBER)["industry_output_ytd"].value == Decimal(5700)
    figures.cached("other", lambda: other.append(1) or 1, areas=("enterprises",))
    assert len(other) == 2


def test_a_monthly_import_of_last_year_changes_this_years_year_on_year(
    role_users, django_capture_on_commit_callbacks
):
    enterprise = _member("1000", year=2022)
    for month in range(1, 12):
        MonthlyStatisticFactory(enterprise=enterprise, year=2023, month=month, output_value=500)
    assert figure_values(NOVEMBER)["industry_output_comparable_previous"].value == Decimal(11000)
    with django_capture_on_commit_callbacks(execute=True):
        _import(enterprise, year=2022, month=11, output="1300", by=role_users["经济发展"])
    # November 2023's 同口径 base is read from 2022: recomputed.
    assert figure_values(NOVEMBER)["industry_output_comparable_previous"].value == Decimal(11300)


def test_a_write_of_every_year_in_the_same_transaction_forgets_every_year(
    django_capture_on_commit_callbacks,
):
    _member("1000", year=2022)
    kept = figures.year_ago_values(NOVEMBER.previous_year)
    assert kept["industry_output_ytd"] == Decimal(11000)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        figures.invalidate("enterprises", years=(2023,))
        _member("300", year=2022)  # its rows' signals: every year
    assert figures.year_ago_values(NOVEMBER.previous_year)["industry_output_ytd"] == Decimal(14300)


def test_figures_and_breakdowns_read_together_share_their_sources():
    def queries(shared: bool) -> int:
        from apps.core.dates import forget_local_calendar

        cache.clear()
        forget_local_calendar()  # the 招商 clocks' holiday calendar, read by both
        with CaptureQueriesContext(connection) as captured:
            if shared:
                with figures.one_context_per_period():
                    figure_values(NOVEMBER)
                    breakdown_values(NOVEMBER)
            else:
                figure_values(NOVEMBER)
                breakdown_values(NOVEMBER)
        return len(captured)

    # The 招商 source (4 queries: projects, funds, leads, activities) feeds the figures and the
    # pipeline's stages: run once when both are read together.
    assert queries(shared=True) == queries(shared=False) - 4


def test_a_team_renamed_in_the_admin_is_on_the_dashboard_at_once(db):
    """Teams have no service (the admin writes them): their signals invalidate 招商's area."""
    from datetime import date
    from decimal import Decimal

    from apps.core.figures import breakdown_values
    from tests.investment.factories import ProjectFactory, TeamFactory

    team = TeamFactory(name="招商甲组")
    ProjectFactory(
        team=team, status="signed", signed_on=date(2023, 5, 1), contract_investment=Decimal(1)
    )
    cache.clear()
    labels = [row.label for row in breakdown_values(NOVEMBER)["investment_by_team"]]
    assert labels == ["招商甲组"]
    team.name = "招商乙组"
    team.save()
    labels = [row.label for row in breakdown_values(NOVEMBER)["investment_by_team"]]
    assert labels == ["招商乙组"]
