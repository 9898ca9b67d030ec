"""Reads of 项目台账: the ledger of a month (every derived figure annotated in the database),
the definitions of "under construction", "report due" and "report overdue" shared by the
figures, the filters and the warning colours."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.core.figures import Period
from apps.projects.models import (
    AMOUNT,
    AnnualPlan,
    Milestone,
    MonthlyReport,
    Project,
    ProjectMonthFigure,
    ProjectPhoto,
)

ZERO = Value(Decimal("0"), output_field=DecimalField(**AMOUNT))
APPROVED = MonthlyReport.Status.APPROVED
# A report counts as handed in once submitted (review may take longer than the due day).
HANDED_IN = (MonthlyReport.Status.SUBMITTED, MonthlyReport.Status.APPROVED)


def default_period(today: date | None = None) -> Period:
    """The ledger's month by default: the last month whose reports are due (the previous one)."""
    today = today or timezone.localdate()
    return Period(today.year, today.month).shifted(-1)


def period_from(text: str | None) -> Period:
    """The ledger's month from a `month=YYYY-MM` parameter; the default for anything else
    (the filter form refuses a bad value and says so)."""
    try:
        return Period.parse(text or "")
    except ValueError:
        return default_period()


def due_period(day: date) -> Period:
    """The latest month whose report was due before `day`: last month once its due day
    (PROJECTS_REPORT_DUE_DAY of this month) has passed, the month before otherwise."""
    shift = -1 if day.day > settings.PROJECTS_REPORT_DUE_DAY else -2
    return Period(day.year, day.month).shifted(shift)


def due_date(period: Period) -> date:
    following = period.shifted(1)
    return date(following.year, following.month, settings.PROJECTS_REPORT_DUE_DAY)


def constructing_q(day: date) -> Q:
    """在建 on `day`: started by then, not completed by then, not halted then."""
    return (
        Q(actual_start__lte=day)
        & (Q(actual_completion__isnull=True) | Q(actual_completion__gt=day))
        & ~Q(status=Project.Status.HALTED, halted_on__lte=day)
    )


def nature_q(code: str, year: int) -> Q:
    """Project.nature_code(year) == code, in SQL: 新开工 started in the year; 续建 started
    before it and not completed before it began."""
    first = date(year, 1, 1)
    if code == Project.Nature.NEW:
        return Q(actual_start__year=year)
    if code == Project.Nature.CONTINUING:
        return Q(actual_start__lt=first) & (
            Q(actual_completion__isnull=True) | Q(actual_completion__gte=first)
        )
    raise ValueError(code)


def reporting_q(period: Period) -> Q:
    """Owes a report for `period`: under construction for at least part of the month."""
    return (
        Q(actual_start__lte=period.last)
        & (Q(actual_completion__isnull=True) | Q(actual_completion__gte=period.first))
        & ~Q(status=Project.Status.HALTED, halted_on__lt=period.first)
    )


def _handed_in(period: Period):
    return Exists(
        MonthlyReport.objects.filter(
            project=OuterRef("pk"), year=period.year, month=period.month, status__in=HANDED_IN
        )
    )


def report_overdue_q(day: date | None = None) -> Q:
    """The report of the latest due month is missing (not submitted) on `day` (today)."""
    period = due_period(day or timezone.localdate())
    return reporting_q(period) & ~Q(_handed_in(period))


def report_to_write_q(period: Period) -> Q:
    """The liaison's to-do: a project owing `period`'s report not yet handed in."""
    return reporting_q(period) & ~Q(_handed_in(period))


def _figure(period: Period, field: str, **filters):
    """A field of the project's latest monthly summary row (ProjectMonthFigure) matching
    `filters`: one index probe per project instead of a sum over its reports."""
    rows = ProjectMonthFigure.objects.filter(project=OuterRef("pk"), **filters).order_by(
        "-year", "-month"
    )
    return Subquery(rows.values(field)[:1], output_field=DecimalField(**AMOUNT))


def _month_report(period: Period, field: str):
    return Subquery(
        MonthlyReport.objects.filter(
            project=OuterRef("pk"), year=period.year, month=period.month, status=APPROVED
        ).values(field)[:1]
    )


def _plan(year: int, field: str):
    return Subquery(AnnualPlan.objects.filter(project=OuterRef("pk"), year=year).values(field)[:1])


def with_ledger(queryset: QuerySet, period: Period) -> QuerySet:
    """Annotate each project with the month's ledger figures (approved reports only):
    plan_planned / plan_monthly / plan_is_key, before_year (开工至上年底累计 less the opening
    balance), ytd (1–N月完成), month_invested (本月完成), month_progress / month_problems,
    month_photo (the month's latest photo), late_milestone_due (the earliest milestone open
    and past due on the period's day),
    due_handed_in / owes_due_report (the report of the latest due month: handed in, owed)."""
    day = period.day
    due = due_period(day)
    late = (
        Milestone.objects.filter(project=OuterRef("pk"), due_on__lt=day)
        .filter(Q(done_on__isnull=True) | Q(done_on__gt=day))
        .order_by()
        .values("project")
        .annotate(first=Min("due_on"))
        .values("first")
    )
    return queryset.annotate(
        plan_planned=_plan(period.year, "planned"),
        plan_monthly=_plan(period.year, "monthly"),
        plan_is_key=_plan(period.year, "is_key"),
        # From the summary: the year to date is that of the latest approved month of the year
        # up to the period; the earlier years' sum is the cumulative of the latest month before.
        before_year=Coalesce(_figure(period, "cumulative", year__lt=period.year), ZERO),
        ytd=Coalesce(_figure(period, "ytd", year=period.year, month__lte=period.month), ZERO),
        month_invested=_figure(period, "invested", year=period.year, month=period.month),
        month_progress=_month_report(period, "progress"),
        month_problems=_month_report(period, "problems"),
        # The month's latest progress photo (its thumbnail on the ledger).
        month_photo=Subquery(
            ProjectPhoto.objects.filter(
                project=OuterRef("pk"), report__year=period.year, report__month=period.month
            )
            .order_by("-id")
            .values("pk")[:1]
        ),
        late_milestone_due=Subquery(late),
        due_handed_in=_handed_in(due),
        owes_due_report=ExpressionWrapper(reporting_q(due), output_field=BooleanField()),
    )


# The relations a ledger row shows: the page's table and cards (PAGE_RELATED), the exports, the
# API and a project's own page (LEDGER_RELATED). PostgreSQL plans every join order: the
# page's statement with all seven planned in 5.1 ms and ran in 3.9 (bench database).
PAGE_RELATED = ("enterprise", "park", "liaison", "leader", "department")
LEDGER_RELATED = (*PAGE_RELATED, "chain", "chain_node")


def project_list(
    user, period: Period | None = None, related: tuple[str, ...] = LEDGER_RELATED
) -> QuerySet:
    """The ledger's rows for `period` (default: the previous month), shaped for the list, the
    export, the API and the colours; the `related` rows joined."""
    period = period or default_period()
    return with_ledger(Project.objects.select_related(*related), period)


@dataclass
class LedgerSummary:
    """The ledger's filtered rows in figures (one query, whatever the page): how many, by
    colour and by status, and the 合计 of the amount columns (万元)."""

    count: int = 0
    colours: dict = field(default_factory=dict)
    statuses: dict = field(default_factory=dict)
    total_investment: Decimal = Decimal(0)
    before: Decimal = Decimal(0)
    planned: Decimal = Decimal(0)
    ytd: Decimal = Decimal(0)
    month_invested: Decimal = Decimal(0)

    @property
    def since_start(self) -> Decimal:
        return self.before + self.ytd


def ledger_summary(queryset: QuerySet, period: Period) -> LedgerSummary:
    """Counts and 合计 over every row of `queryset` (rows of with_ledger(period), filtered): the
    colour in SQL (rag.with_colour), grouped by colour and status, summed in the database."""
    from apps.projects import rag  # rag reads this module's rules; the colour is its own

    rows = (
        rag.with_colour(queryset, period)
        .order_by()
        .values(code=F("colour"), state=F("status"))
        .annotate(
            n=Count("pk"),
            total=Sum("total_investment"),
            before=Sum(F("prior_investment") + F("before_year")),
            planned=Sum("plan_planned"),
            ytd_sum=Sum("ytd"),
            month_sum=Sum("month_invested"),
        )
    )
    summary = LedgerSummary()
    for row in rows:
        summary.count += row["n"]
        summary.colours[row["code"]] = summary.colours.get(row["code"], 0) + row["n"]
        summary.statuses[row["state"]] = summary.statuses.get(row["state"], 0) + row["n"]
        summary.total_investment += row["total"] or 0
        summary.before += row["before"] or 0
        summary.planned += row["planned"] or 0
        summary.ytd += row["ytd_sum"] or 0
        summary.month_invested += row["month_sum"] or 0
    return summary


def report_list(user) -> QuerySet:
    return MonthlyReport.objects.select_related(
        "project", "project__enterprise", "project__liaison", "written_by", "approved_by"
    )


def project_detail(pk: int) -> Project:
    return (
        Project.objects.select_related(
            "enterprise",
            "park",
            "liaison",
            "leader",
            "department",
            "chain",
            "chain_node",
            "investment_project",
        )
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.select_related("department")),
            "approvals",
            "plans",
        )
        .get(pk=pk)
    )


def _percent(part, whole) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))


def plan_share(row) -> Decimal | None:
    """占年计划 %: YTD (approved) ÷ the year's plan."""
    return _percent(row.ytd, row.plan_planned)


def total_share(row) -> Decimal | None:
    """占总投资 %: since start ÷ total investment."""
    return _percent(row.since_start, row.total_investment)


# --- 停缓建 in the project's history -------------------------------------------------------------


@dataclass(frozen=True)
class HaltSpell:
    """One time a project was halted (停缓建): from its halt date, why, who recorded it; until
    it resumed (None while still halted), to which state and who resumed it."""

    halted_on: date | None
    reason: str
    recorded_at: object
    recorded_by: object
    resumed_at: object = None
    resumed_by: object = None
    resumed_to: str = ""

    @property
    def days(self) -> int | None:
        if self.halted_on is None:
            return None
        end = timezone.localdate(self.resumed_at) if self.resumed_at else timezone.localdate()
        return max(0, (end - self.halted_on).days)


def halt_spells(project: Project) -> list[HaltSpell]:
    """The project's spells of 停缓建 from its saved versions (django-simple-history), oldest
    first: a version that enters 停缓建 opens a spell with its reason and date, the next version
    out of it closes the spell. One query."""
    spells: list[HaltSpell] = []
    current = None
    versions = project.history.order_by("history_date", "history_id").select_related("history_user")
    labels = dict(Project.Status.choices)
    for version in versions:
        halted = version.status == Project.Status.HALTED
        if halted and current is None:
            current = HaltSpell(
                halted_on=version.halted_on,
                reason=version.halt_reason,
                recorded_at=version.history_date,
                recorded_by=version.history_user,
            )
        elif not halted and current is not None:
            spells.append(
                HaltSpell(
                    **{
                        **current.__dict__,
                        "resumed_at": version.history_date,
                        "resumed_by": version.history_user,
                        "resumed_to": str(labels.get(version.status, version.status)),
                    }
                )
            )
            current = None
    if current is not None:
        spells.append(current)
    return spells


# --- The S-curve ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Curve:
    months: list[str]
    planned: list[float]
    actual: list[float | None]


def planned_by_month(planned: Decimal | None, monthly: list | None) -> list[Decimal]:
    """The year's plan month by month: the given split, else twelve equal shares (the
    remainder on December)."""
    if planned is None:
        return [Decimal(0)] * 12
    if monthly:
        return [Decimal(str(value)) for value in monthly]
    # Half up, as PostgreSQL's round() in rag.with_colour's 序时.
    share = (Decimal(planned) / 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return [share] * 11 + [Decimal(planned) - share * 11]


def schedule_share(planned: Decimal | None, monthly: list | None, month: int) -> Decimal | None:
    """序时: the part of the year's plan due by the end of `month` (万元)."""
    if not planned:
        return None
    return sum(planned_by_month(planned, monthly)[:month], Decimal(0))


def planned_in_year(year: int, projects: QuerySet | None = None) -> list[Decimal]:
    """The year's plans of `projects` (default: every project) month by month, summed (万元,
    one query)."""
    plans = AnnualPlan.objects.filter(year=year)
    if projects is not None:
        plans = plans.filter(project__in=projects.values("pk"))
    planned = [Decimal(0)] * 12
    for plan in plans:
        for index, value in enumerate(planned_by_month(plan.planned, plan.monthly)):
            planned[index] += value
    return planned


def invested_in_year(year: int, projects: QuerySet | None = None) -> dict[int, Decimal]:
    """{month: the approved investment of `projects` (default: every project) in that month
    of `year`} (万元, one query over the month figures)."""
    rows = ProjectMonthFigure.objects.filter(year=year)
    if projects is not None:
        rows = rows.filter(project__in=projects.values("pk"))
    return dict(rows.values_list("month").annotate(total=Sum("invested")).order_by())


def s_curve(projects: QuerySet, year: int, through: Period) -> Curve:
    """Cumulative planned against actual (approved) investment by month of `year`, over
    `projects` (one project or the zone): two queries."""
    planned = planned_in_year(year, projects)
    actual_rows = invested_in_year(year, projects)
    months, cum_planned, cum_actual = [], [], []
    running_plan = running_actual = Decimal(0)
    for month in range(1, 13):
        running_plan += planned[month - 1]
        running_actual += actual_rows.get(month, Decimal(0))
        months.append(f"{month}月")
        cum_planned.append(float(running_plan))
        cum_actual.append(
            float(running_actual) if (year, month) <= (through.year, through.month) else None
        )
    return Curve(months=months, planned=cum_planned, actual=cum_actual)
