"""Each colour rule on its boundaries (thresholds from settings.PROJECTS_RAG), and the colour
being the worst of the dimensions, each listed with its reason."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import F

from apps.core.figures import Period
from apps.projects import rag, selectors
from apps.projects.hooks import ProblemCounts
from apps.projects.models import MonthlyReport, Project
from tests.projects.factories import MilestoneFactory, PlanFactory, ProjectFactory, ReportFactory

pytestmark = pytest.mark.django_db
S = MonthlyReport.Status


def _assess(project, period, problems=None):
    row = selectors.project_list(None, period).get(pk=project.pk)
    assessment = rag.assess(row, period, problems)
    if problems is None:
        # The colour in SQL (filter, counts, totals) agrees with the one explained in Python.
        rows = rag.with_colour(selectors.project_list(None, period), period)
        code = rows.annotate(code=F("colour")).values_list("code", flat=True).get(pk=project.pk)
        assert code == assessment.colour
    return assessment


def _dimension(assessment, dimension):
    found = [r.colour for r in assessment.reasons if r.dimension == dimension]
    return found[0] if found else rag.GREEN


def _not_started(planned_start):
    return ProjectFactory(
        status=Project.Status.PREPARING,
        actual_start=None,
        registered_on=None,
        planned_start=planned_start,
    )


@pytest.mark.parametrize(
    "period,colour",
    [
        (Period(2023, 2), rag.GREEN),  # before the planned month
        (Period(2023, 3), rag.AMBER),  # due this month, not started
        (Period(2023, 5), rag.AMBER),  # two months late
        (Period(2023, 6), rag.RED),  # three months late
    ],
)
def test_start_rule(period, colour):
    project = _not_started(datetime.date(2023, 3, 10))
    assert _dimension(_assess(project, period), "start") == colour


def _on_plan(ytd: str):
    """Plan 1200 spread evenly: at June 序时 is 600 (50%); 10 points = 120, 30 points = 360."""
    project = ProjectFactory(actual_start=datetime.date(2023, 1, 10))
    PlanFactory(project=project, year=2023, planned=Decimal("1200"))
    ReportFactory(project=project, year=2023, month=1, invested=Decimal(ytd), status=S.APPROVED)
    for month in range(2, 7):
        ReportFactory(project=project, year=2023, month=month, invested=0, status=S.APPROVED)
    return project


@pytest.mark.parametrize(
    "ytd,colour",
    [
        ("600", rag.GREEN),  # on schedule
        ("481", rag.GREEN),  # 9.92 points behind
        ("480", rag.AMBER),  # exactly 10 points behind
        ("240", rag.AMBER),  # exactly 30 points behind
        ("239", rag.RED),  # 30.08 points behind
    ],
)
def test_investment_rule(ytd, colour):
    project = _on_plan(ytd)
    assessment = _assess(project, Period(2023, 6))
    assert _dimension(assessment, "investment") == colour
    if colour != rag.GREEN:
        assert "序时进度50.0%" in assessment.explanation


def test_investment_uses_the_monthly_plan_when_given():
    project = _on_plan("0")
    project.plans.update(monthly=[Decimal("0")] * 6 + [Decimal("200")] * 6)
    assert _dimension(_assess(project, Period(2023, 6)), "investment") == rag.GREEN


@pytest.mark.parametrize(
    "period,colour",
    [
        (Period(2023, 4), rag.GREEN),  # day 04-30: 0 whole months after 03-31? see below
        (Period(2023, 5), rag.AMBER),  # 05-31: one month after the start
        (Period(2023, 6), rag.RED),  # 06-30: two months
    ],
)
def test_registration_rule(period, colour):
    project = ProjectFactory(actual_start=datetime.date(2023, 4, 1), registered_on=None)
    assert _dimension(_assess(project, period), "registration") == colour


def test_registration_boundary_is_one_calendar_month():
    assert rag.months_between(datetime.date(2023, 4, 15), datetime.date(2023, 5, 14)) == 0
    assert rag.months_between(datetime.date(2023, 4, 15), datetime.date(2023, 5, 15)) == 1


def test_a_small_project_need_not_register():
    project = ProjectFactory(
        actual_start=datetime.date(2023, 1, 1),
        registered_on=None,
        total_investment=Decimal("499"),
        fund_own=0,
        fund_loan=0,
    )
    assert _dimension(_assess(project, Period(2023, 6)), "registration") == rag.GREEN


@pytest.mark.parametrize(
    "due_on,colour",
    [
        (datetime.date(2023, 6, 30), rag.GREEN),  # due on the day: not late
        (datetime.date(2023, 6, 23), rag.AMBER),  # 7 days late
        (datetime.date(2023, 6, 22), rag.RED),  # 8 days late
    ],
)
def test_milestone_rule(due_on, colour):
    project = ProjectFactory()
    MilestoneFactory(project=project, due_on=due_on)
    MilestoneFactory(
        project=project, due_on=datetime.date(2023, 1, 1), done_on=datetime.date(2023, 1, 5)
    )
    assert _dimension(_assess(project, Period(2023, 6)), "milestone") == colour


def test_reporting_rule_after_the_due_day(settings):
    settings.PROJECTS_REPORT_DUE_DAY = 5
    project = ProjectFactory(actual_start=datetime.date(2023, 3, 15))
    # On 2023-06-30, May's report was due on 06-05.
    assert _dimension(_assess(project, Period(2023, 6)), "report") == rag.AMBER
    ReportFactory(project=project, year=2023, month=5, status=S.SUBMITTED)
    assert _dimension(_assess(project, Period(2023, 6)), "report") == rag.GREEN


def test_the_due_month_moves_after_the_due_day(settings):
    settings.PROJECTS_REPORT_DUE_DAY = 5
    assert selectors.due_period(datetime.date(2023, 6, 5)) == Period(2023, 4)
    assert selectors.due_period(datetime.date(2023, 6, 6)) == Period(2023, 5)


def test_overdue_problems_are_amber():
    project = ProjectFactory()
    assessment = _assess(project, Period(2023, 6), ProblemCounts(open=2, overdue=1))
    assert _dimension(assessment, "problem") == rag.AMBER


def test_the_colour_is_the_worst_dimension_and_lists_every_reason():
    project = ProjectFactory(actual_start=datetime.date(2023, 1, 2), registered_on=None)
    MilestoneFactory(project=project, due_on=datetime.date(2023, 6, 28))
    assessment = _assess(project, Period(2023, 6))
    assert assessment.colour == rag.RED
    dimensions = {r.dimension: r.colour for r in assessment.reasons}
    assert dimensions["registration"] == rag.RED and dimensions["milestone"] == rag.AMBER
    assert "入库纳统" in assessment.explanation and "逾期2天" in assessment.explanation


def test_a_green_project_says_so():
    project = ProjectFactory(actual_start=datetime.date(2023, 3, 15))
    for month in range(3, 6):
        ReportFactory(project=project, year=2023, month=month, status=S.APPROVED)
    assessment = _assess(project, Period(2023, 6))
    assert assessment.colour == rag.GREEN and assessment.explanation == "各项均正常"


def test_an_overdue_problem_is_amber_in_python_and_in_sql():
    from tests.services.factories import DemandFactory

    project = ProjectFactory(actual_start=datetime.date(2023, 3, 15))
    for month in range(3, 6):
        ReportFactory(project=project, year=2023, month=month, status=S.APPROVED)
    period = Period(2023, 6)
    rows = rag.with_colour(selectors.project_list(None, period), period).annotate(code=F("colour"))
    demand = DemandFactory(
        enterprise=project.enterprise,
        project=project,
        source="project",
        raised_on=datetime.date(2023, 6, 1),
        deadline=datetime.date(2023, 6, 30),
    )
    # Due on the day judged: not yet overdue.
    assert rows.values_list("code", flat=True).get(pk=project.pk) == rag.GREEN
    demand.deadline = datetime.date(2023, 6, 29)
    demand.save()
    assert rows.values_list("code", flat=True).get(pk=project.pk) == rag.AMBER
    assert rag.attach([selectors.project_list(None, period).get(pk=project.pk)], period)[
        0
    ].rag.colour == (rag.AMBER)


@pytest.mark.parametrize(
    "ytd,colour",
    [
        ("540", rag.GREEN),  # 序时 from the split: 600 by June; 5 points behind
        ("480", rag.AMBER),  # exactly 10 points
        ("239", rag.RED),  # 30.08 points
    ],
)
def test_the_monthly_split_sets_the_schedule_on_its_boundaries(ytd, colour):
    project = _on_plan(ytd)
    project.plans.update(monthly=[Decimal("50")] * 4 + [Decimal("200")] * 2 + [Decimal("0")] * 6)
    assert _dimension(_assess(project, Period(2023, 6)), "investment") == colour


def test_the_even_share_rounds_half_up_as_the_database_does():
    # 100.02 / 12 = 8.335 and 100.14 / 12 = 8.345: half up gives 8.34 and 8.35 a month.
    assert selectors.planned_by_month(Decimal("100.02"), None)[0] == Decimal("8.34")
    assert selectors.planned_by_month(Decimal("100.14"), None)[0] == Decimal("8.35")
    project = ProjectFactory(actual_start=datetime.date(2023, 1, 10))
    PlanFactory(project=project, year=2023, planned=Decimal("100.14"))
    # 序时 to June = 6 × 8.35 = 50.10 (half even would give 50.04); 10 points of 100.14 =
    # 10.014: a YTD of 40.08 is 10.02 behind, amber (9.96, green, with half even).
    ReportFactory(project=project, year=2023, month=1, invested=Decimal("40.08"), status=S.APPROVED)
    assert _dimension(_assess(project, Period(2023, 6)), "investment") == rag.AMBER


def _amber_project_with_overdue_demand():
    """A project green but for an open problem (a demand about it) past its deadline, judged
    in June 2023."""
    from apps.services import services as demand_services
    from tests.accounts.factories import UserFactory
    from tests.services.factories import category

    project = ProjectFactory(actual_start=datetime.date(2023, 3, 15))
    for month in range(3, 6):
        ReportFactory(project=project, year=2023, month=month, status=S.APPROVED)
    officer = UserFactory(is_superuser=True)
    demand = demand_services.demand_create(
        enterprise=project.enterprise,
        source="project",
        project=project,
        category=category("utilities"),
        description="施工用电接入",
        raised_on=datetime.date(2023, 6, 1),
        deadline=datetime.date(2023, 6, 20),
        by=officer,
    )
    return project, demand, officer


def test_a_write_of_a_demand_about_a_project_recomputes_the_kept_colours():
    from apps.services import services as demand_services

    period = Period(2023, 6)
    project, demand, officer = _amber_project_with_overdue_demand()
    assert project.pk in rag.colour_ids(period)[rag.AMBER]
    demand_services.demand_accept(demand=demand, by=officer)
    demand_services.demand_close(
        demand=demand, by=officer, resolution="已接入", closed_on=datetime.date(2023, 6, 25)
    )
    # Closed: no open problem any more, green on the next read (the kept ids were discarded).
    assert project.pk in rag.colour_ids(period)[rag.GREEN]


def test_a_demand_without_a_project_leaves_the_kept_colours(django_assert_num_queries):
    from apps.services import services as demand_services
    from tests.enterprises.factories import EnterpriseFactory
    from tests.services.factories import category

    period = Period(2023, 6)
    project, _demand, officer = _amber_project_with_overdue_demand()
    kept = rag.colour_ids(period)
    other = demand_services.demand_create(
        enterprise=EnterpriseFactory(),
        source="phone",
        category=category("utilities"),
        description="企业用电报装",
        raised_on=datetime.date(2023, 6, 1),
        deadline=datetime.date(2023, 6, 20),
        by=officer,
    )
    demand_services.demand_accept(demand=other, by=officer)
    with django_assert_num_queries(0):  # read from the cache, not computed again
        assert rag.colour_ids(period) == kept


def test_the_kept_statement_is_built_again_for_another_day_or_other_settings(settings, monkeypatch):
    built = []
    real = rag.with_colour
    monkeypatch.setattr(rag, "with_colour", lambda *a: built.append(a) or real(*a))
    rag._ledger_fact_rows.forget()
    period, day = Period(2023, 6), datetime.date(2023, 7, 1)
    for _ in range(2):
        rag._ledger_fact_rows(period, day)
    assert len(built) == 1
    rag._ledger_fact_rows(period, day + datetime.timedelta(days=1))
    settings.PROJECTS_RAG = {**settings.PROJECTS_RAG, "investment_red_points": 99}
    rag._ledger_fact_rows(period, day)
    settings.PROJECTS_REPORT_DUE_DAY = settings.PROJECTS_REPORT_DUE_DAY + 1
    rag._ledger_fact_rows(period, day)
    assert len(built) == 4


def test_a_demand_about_a_project_written_outside_the_services_recomputes_the_colours(
    django_capture_on_commit_callbacks,
):
    from apps.services.models import Demand

    period = Period(2023, 6)
    project, demand, _officer = _amber_project_with_overdue_demand()
    assert project.pk in rag.colour_ids(period)[rag.AMBER]
    # As a shell or a script would: the signal's net names the projects' area too.
    with django_capture_on_commit_callbacks(execute=True):
        Demand.objects.get(pk=demand.pk).delete()
    assert project.pk in rag.colour_ids(period)[rag.GREEN]
