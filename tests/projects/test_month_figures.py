"""The monthly summary (ProjectMonthFigure) behind the ledger: it always equals what the approved
reports give, after every report transition, and the ledger read from it shows the same figures
as the ledger summed from the reports, on hand-made and on demo data."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core.figures import Period
from apps.projects import selectors, services
from apps.projects.models import MonthlyReport, ProjectMonthFigure
from tests.projects.factories import PlanFactory, ProjectFactory, ReportFactory

pytestmark = pytest.mark.django_db
S = MonthlyReport.Status


def summary_from_reports() -> dict:
    """{(project, year, month): (invested, ytd, cumulative)} summed in Python from the
    approved reports: the reference the stored summary must equal."""
    expected = {}
    cumulative = defaultdict(Decimal)
    ytd = defaultdict(Decimal)
    approved = MonthlyReport.objects.filter(status=S.APPROVED).order_by("project", "year", "month")
    for project, year, month, invested in approved.values_list(
        "project", "year", "month", "invested"
    ):
        cumulative[project] += invested
        ytd[project, year] += invested
        expected[project, year, month] = (invested, ytd[project, year], cumulative[project])
    return expected


def stored_summary() -> dict:
    return {
        (row.project_id, row.year, row.month): (row.invested, row.ytd, row.cumulative)
        for row in ProjectMonthFigure.objects.all()
    }


def ledger_from_reports(project_ids, period: Period) -> dict:
    """The ledger's investment figures of each project, straight from the approved reports."""
    result = {}
    reports = list(
        MonthlyReport.objects.filter(project__in=project_ids, status=S.APPROVED).values_list(
            "project", "year", "month", "invested"
        )
    )
    for project_id in project_ids:
        mine = [r for r in reports if r[0] == project_id]
        before = sum((r[3] for r in mine if r[1] < period.year), Decimal(0))
        ytd = sum((r[3] for r in mine if r[1] == period.year and r[2] <= period.month), Decimal(0))
        month = next(
            (r[3] for r in mine if (r[1], r[2]) == (period.year, period.month)),
            None,
        )
        result[project_id] = (before, ytd, month)
    return result


def ledger_from_summary(project_ids, period: Period) -> dict:
    rows = selectors.project_list(None, period).filter(pk__in=project_ids)
    return {row.pk: (row.before_year, row.ytd, row.month_invested) for row in rows}


def assert_same_ledger(project_ids, periods):
    for period in periods:
        assert ledger_from_summary(project_ids, period) == ledger_from_reports(
            project_ids, period
        ), period.code


def months(first: Period, last: Period):
    period = first
    while (period.year, period.month) <= (last.year, last.month):
        yield period
        period = period.shifted(1)


@pytest.fixture
def history(liaison):
    """Three projects over three years: approved months with gaps (a year without any), reports
    in every other state, one project with an opening balance and one with no report at all."""
    busy = ProjectFactory(liaison=liaison, actual_start=datetime.date(2022, 2, 1))
    quiet = ProjectFactory(
        liaison=liaison, actual_start=datetime.date(2022, 11, 5), prior_investment=Decimal("700")
    )
    empty = ProjectFactory(liaison=liaison)
    amounts = iter(Decimal(f"{n * 37 % 500}.{n * 13 % 100:02d}") for n in range(1, 200))
    for year, month in [(2022, 2), (2022, 3), (2022, 7), (2022, 12), (2024, 1), (2024, 5)]:
        ReportFactory(
            project=busy, year=year, month=month, invested=next(amounts), status=S.APPROVED
        )
    for year, month, status in [
        (2022, 4, S.SUBMITTED),
        (2022, 5, S.RETURNED),
        (2022, 6, S.DRAFT),
        (2024, 2, S.SUBMITTED),
    ]:
        fields = {"return_reason": "凭证不符"} if status == S.RETURNED else {}
        ReportFactory(
            project=busy, year=year, month=month, invested=next(amounts), status=status, **fields
        )
    for year, month in [(2022, 11), (2023, 1), (2023, 2), (2023, 12)]:
        ReportFactory(
            project=quiet, year=year, month=month, invested=next(amounts), status=S.APPROVED
        )
    return [busy.pk, quiet.pk, empty.pk]


def test_the_summary_holds_one_row_per_approved_month_with_its_running_sums(history):
    assert stored_summary() == summary_from_reports()
    assert (
        ProjectMonthFigure.objects.count()
        == MonthlyReport.objects.filter(status=S.APPROVED).count()
    )


def test_the_ledger_from_the_summary_equals_the_ledger_summed_from_the_reports(history):
    assert_same_ledger(history, months(Period(2021, 12), Period(2025, 2)))


def test_the_ledger_figures_by_hand(history):
    busy = history[0]
    row = selectors.project_list(None, Period(2024, 3)).get(pk=busy)
    earlier = MonthlyReport.objects.filter(project=busy, year=2022, status=S.APPROVED)
    assert row.before_year == sum(r.invested for r in earlier)
    january = MonthlyReport.objects.get(project=busy, year=2024, month=1)
    # No approved report in February (submitted only) nor March: YTD is January's.
    assert row.ytd == january.invested and row.month_invested is None
    assert row.since_start == row.before_year + row.ytd


def test_the_summary_follows_every_report_transition(project, liaison, economy, leader):
    def check():
        assert stored_summary() == summary_from_reports()

    ReportFactory(project=project, year=2023, month=3, invested=Decimal("40"), status=S.APPROVED)
    check()
    report = services.report_save(
        by=liaison, project=project, year=2023, month=4, invested=Decimal("120.50")
    )
    check()
    report = services.report_transition(report=report, action="submit", by=liaison)
    check()
    report = services.report_transition(
        report=report, action="return_report", by=economy, reason="金额有误"
    )
    check()
    assert not ProjectMonthFigure.objects.filter(project=project, month=4).exists()
    report = services.report_save(
        by=liaison, project=project, report=report, year=2023, month=4, invested=Decimal("99")
    )
    report = services.report_transition(report=report, action="submit", by=liaison)
    check()
    report = services.report_transition(report=report, action="approve", by=leader)
    check()
    april = ProjectMonthFigure.objects.get(project=project, year=2023, month=4)
    assert (april.invested, april.ytd, april.cumulative) == (
        Decimal("99"),
        Decimal("139"),
        Decimal("139"),
    )
    # An earlier month approved late moves the later months' running sums.
    february = ReportFactory(project=project, year=2023, month=2, status=S.SUBMITTED)
    february.invested = Decimal("10")
    february.save()
    services.report_transition(report=february, action="approve", by=economy)
    check()
    assert ProjectMonthFigure.objects.get(project=project, month=4).cumulative == Decimal("149")


def test_a_refused_approval_leaves_the_summary_as_it_was(project, liaison, economy):
    from apps.core.errors import NotAllowed

    ReportFactory(project=project, year=2023, month=3, status=S.APPROVED)
    report = ReportFactory(project=project, year=2023, month=4, status=S.SUBMITTED)
    before = stored_summary()
    with pytest.raises(NotAllowed):
        services.report_transition(report=report, action="approve", by=liaison)
    assert stored_summary() == before


def test_the_ledger_reads_one_query_whatever_the_number_of_projects_and_years(
    history, django_assert_num_queries
):
    period = Period(2024, 5)
    # One query: the projects with their summary, plan, milestone and report subqueries.
    with django_assert_num_queries(1):
        list(selectors.project_list(None, period))
    for year in (2022, 2023):
        for month in range(1, 13):
            ReportFactory(
                project=ProjectFactory(actual_start=datetime.date(2022, 1, 1)),
                year=year,
                month=month,
                status=S.APPROVED,
            )
    with django_assert_num_queries(1):
        list(selectors.project_list(None, period))


def test_the_ledger_export_query_count_does_not_grow_with_rows(
    client, economy, history, django_assert_num_queries
):
    from tests.conftest import FRAME_QUERIES

    client.force_login(economy)
    PlanFactory(project_id=history[0], year=2024, planned=Decimal("1200"))
    url = reverse("projects:ledger")
    # Permissions (2), the filtered rows once with their summary figures, their problems (hook).
    with django_assert_num_queries(FRAME_QUERIES + 4):
        response = client.get(url, {"month": "2024-05", "export": "ledger"})
    assert response.status_code == 200
    for _ in range(5):
        ReportFactory(project=ProjectFactory(), status=S.APPROVED)
    with django_assert_num_queries(FRAME_QUERIES + 4):
        client.get(url, {"month": "2024-05", "export": "ledger"})


def test_on_the_demo_data_the_summary_and_the_ledger_equal_the_reports(demo):
    assert stored_summary() == summary_from_reports()
    project_ids = list(
        MonthlyReport.objects.values_list("project", flat=True).distinct().order_by("project")
    )
    latest = selectors.default_period()
    periods = [Period(2022, 12), Period(2023, 1), Period(2023, 11), latest.shifted(-1), latest]
    assert_same_ledger(project_ids, periods)
