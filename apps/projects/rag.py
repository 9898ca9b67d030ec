"""红黄绿灯: a project's warning colour, the worst of its dimensions, each with its reason.

Judged on the period's day (the month's last day, today at the latest) from a project annotated
by selectors.with_ledger(); thresholds in settings.PROJECTS_RAG (README, "项目台账"):

- start (开工): not started — amber from the planned month, red from `start_red_months` after it;
- investment (投资): YTD approved against 序时 (the monthly plan to date, or month/12 of the year's
  plan) — amber `investment_amber_points` to `investment_red_points` points behind, red beyond;
- registration (入库纳统): 500万+ started and not registered — amber after
  `registration_amber_months`, red after `registration_red_months`;
- milestones (节点): an open milestone past due — amber up to `milestone_amber_days` days late,
  red beyond;
- reporting (月报): the latest due month's report not handed in — amber;
- problems (问题): an open problem (demand) past its deadline — amber.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models import When as _When
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core import figures
from apps.core.figures import Period
from apps.core.prepared import prepared
from apps.projects import hooks, selectors
from apps.projects.models import AMOUNT, REGISTRATION_THRESHOLD, AnnualPlan, Project

GREEN, AMBER, RED = "green", "amber", "red"
ORDER = {GREEN: 0, AMBER: 1, RED: 2}
LABELS = {GREEN: gettext_lazy("绿灯"), AMBER: gettext_lazy("黄灯"), RED: gettext_lazy("红灯")}
BOOTSTRAP = {GREEN: "success", AMBER: "warning", RED: "danger"}
# The same colours for a chart's bars (Bootstrap's danger, warning and success).
HEX = {GREEN: "#198754", AMBER: "#ffc107", RED: "#dc3545"}
COLOUR_CHOICES = [(code, LABELS[code]) for code in (RED, AMBER, GREEN)]


@dataclass(frozen=True)
class Reason:
    dimension: str
    colour: str
    text: str


@dataclass
class Assessment:
    reasons: list[Reason] = field(default_factory=list)

    @property
    def colour(self) -> str:
        return max((r.colour for r in self.reasons), key=ORDER.get, default=GREEN)

    @property
    def label(self) -> str:
        return str(LABELS[self.colour])

    @property
    def css(self) -> str:
        return BOOTSTRAP[self.colour]

    @property
    def explanation(self) -> str:
        if not self.reasons:
            return _("各项均正常")
        return "；".join(r.text for r in self.reasons)


def _rules() -> dict:
    return settings.PROJECTS_RAG


def months_between(start: date, end: date) -> int:
    """Whole calendar months from `start` to `end` (negative if end is before start)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def assess(project: Project, period: Period, problems: hooks.ProblemCounts | None = None):
    rules = _rules()
    day = period.day
    reasons: list[Reason] = []
    status = project.status
    halted = status == Project.Status.HALTED and project.halted_on <= day
    if halted:
        reasons.append(
            Reason("status", RED, _("停缓建：%(reason)s") % {"reason": project.halt_reason})
        )
    started = project.actual_start is not None and project.actual_start <= day
    finished = project.actual_completion is not None and project.actual_completion <= day

    # Start.
    if not started and not halted:
        late = (
            (day.year - project.planned_start.year) * 12 + day.month - project.planned_start.month
        )
        if late >= rules["start_red_months"]:
            reasons.append(
                Reason(
                    "start",
                    RED,
                    _("计划%(month)s开工，已延迟%(n)d个月未开工")
                    % {"month": project.planned_start.strftime("%Y-%m"), "n": late},
                )
            )
        elif late >= 0:
            reasons.append(
                Reason(
                    "start",
                    AMBER,
                    _("计划%(month)s开工，尚未开工")
                    % {"month": project.planned_start.strftime("%Y-%m")},
                )
            )

    # Investment against 序时.
    planned = getattr(project, "plan_planned", None)
    if started and not finished and planned and planned > 0 and not halted:
        schedule = selectors.schedule_share(planned, project.plan_monthly, period.month)
        ytd = project.ytd or Decimal(0)
        done_pct = ytd * 100 / planned
        due_pct = schedule * 100 / planned
        text = _("年度计划完成%(done).1f%%，序时进度%(due).1f%%，落后%(behind).1f个百分点") % {
            "done": done_pct,
            "due": due_pct,
            "behind": due_pct - done_pct,
        }
        # Compared without dividing (planned > 0), exactly as with_colour() does in SQL.
        behind_x_planned = (schedule - ytd) * 100
        if behind_x_planned > rules["investment_red_points"] * planned:
            reasons.append(Reason("investment", RED, text))
        elif behind_x_planned >= rules["investment_amber_points"] * planned:
            reasons.append(Reason("investment", AMBER, text))

    # Registration (入库纳统).
    if (
        started
        and project.total_investment >= REGISTRATION_THRESHOLD
        and (project.registered_on is None or project.registered_on > day)
    ):
        months = months_between(project.actual_start, day)
        text = _("总投资500万元以上，开工%(n)d个月未入库纳统") % {"n": max(months, 0)}
        if months >= rules["registration_red_months"]:
            reasons.append(Reason("registration", RED, text))
        elif months >= rules["registration_amber_months"]:
            reasons.append(Reason("registration", AMBER, text))

    # Milestones.
    late_due = getattr(project, "late_milestone_due", None)
    if late_due is not None:
        days = (day - late_due).days
        text = _("有节点逾期%(n)d天未完成") % {"n": days}
        reasons.append(
            Reason("milestone", AMBER if days <= rules["milestone_amber_days"] else RED, text)
        )

    # Reporting.
    if getattr(project, "owes_due_report", False) and not getattr(project, "due_handed_in", True):
        due = selectors.due_period(day)
        reasons.append(Reason("report", AMBER, _("%(month)s月报逾期未报") % {"month": due.code}))

    # Problems.
    if problems and problems.overdue:
        reasons.append(
            Reason("problem", AMBER, _("%(n)d个问题超期未解决") % {"n": problems.overdue})
        )
    return Assessment(reasons)


def assess_all(projects, period: Period) -> dict[int, Assessment]:
    """The colours of annotated projects (one more query, for the problems)."""
    projects = list(projects)
    problems = hooks.problems_for([p.pk for p in projects], period.day)
    return {p.pk: assess(p, period, problems.get(p.pk)) for p in projects}


def attach(projects, period: Period) -> list:
    """The projects, each with `.rag` (its Assessment)."""
    projects = list(projects)
    assessments = assess_all(projects, period)
    for project in projects:
        project.rag = assessments[project.pk]
    return projects


# --- The colour in SQL ------------------------------------------------------------------------
# The same rules as assess(), as one CASE over a row of selectors.with_ledger(), so that the
# colour filter, the colour counts and the ledger's totals read every filtered row in the
# database and only a page's rows are explained in Python. tests/projects/test_rag.py checks
# every boundary case both ways.


def _schedule(period: Period):
    """序时 of the period's year to its month (selectors.schedule_share in SQL): the monthly
    plan's first months, or the even share (rounded half up, as planned_by_month does) times
    the month, December taking the whole plan."""
    month = period.month
    monthly_sum = Func(
        F("monthly"),
        template=f"(SELECT COALESCE(SUM(v), 0) FROM unnest((%(expressions)s)[1:{month}]) AS v)",
        output_field=DecimalField(**AMOUNT),
    )
    if month == 12:
        even = F("planned")
    else:
        even = Round(F("planned") / Value(12), 2, output_field=DecimalField(**AMOUNT)) * Value(
            month
        )
    plans = AnnualPlan.objects.filter(project=OuterRef("pk"), year=period.year).annotate(
        schedule=Case(
            _When(monthly__len__gt=0, then=monthly_sum),
            default=even,
            output_field=DecimalField(**AMOUNT),
        )
    )
    return Subquery(plans.values("schedule")[:1], output_field=DecimalField(**AMOUNT))


def _month_day(period: Period, day_of_month: int) -> date:
    """`day_of_month` in `period`, clipped to its last day."""
    last = calendar.monthrange(period.year, period.month)[1]
    return date(period.year, period.month, min(day_of_month, last))


def colour_conditions(period: Period) -> dict[str, Q]:
    """{RED: Q, AMBER: Q} over a row of with_colour(): assess()'s rules, each threshold turned
    into a constant date or a product, so that no row needs Python."""
    rules = _rules()
    day = period.day
    month = Period(day.year, day.month)
    halted = Q(status=Project.Status.HALTED, halted_on__lte=day)
    started = Q(actual_start__lte=day)
    not_started = Q(actual_start__isnull=True) | Q(actual_start__gt=day)

    def start_late(n: int) -> Q:
        # Months late (day's month − planned month) ≥ n ⇔ planned before the first day of the
        # month n − 1 months before the day's.
        return not_started & ~halted & Q(planned_start__lt=month.shifted(1 - n).first)

    def investment(points: int, lookup: str) -> Q:
        # (序时 − YTD) × 100 against points × plan, as assess() compares.
        return (
            started
            & ~Q(actual_completion__lte=day)
            & ~halted
            & Q(plan_planned__gt=0)
            & Q(**{f"investment_behind__{lookup}": F("plan_planned") * Value(points)})
        )

    def unregistered_for(n: int) -> Q:
        # months_between(start, day) ≥ n ⇔ started on or before the day's day of the month
        # n months earlier (clipped to that month's end).
        return (
            started
            & Q(total_investment__gte=REGISTRATION_THRESHOLD)
            & (Q(registered_on__isnull=True) | Q(registered_on__gt=day))
            & Q(actual_start__lte=_month_day(month.shifted(-n), day.day))
        )

    milestone_edge = day - timedelta(days=rules["milestone_amber_days"])
    return {
        RED: halted
        | start_late(rules["start_red_months"])
        | investment(rules["investment_red_points"], "gt")
        | unregistered_for(rules["registration_red_months"])
        | Q(late_milestone_due__lt=milestone_edge),
        AMBER: start_late(0)
        | investment(rules["investment_amber_points"], "gte")
        | unregistered_for(rules["registration_amber_months"])
        | Q(late_milestone_due__gte=milestone_edge)
        | Q(owes_due_report=True, due_handed_in=False)
        | hooks.overdue_problems_q(day),
    }


def with_colour(queryset, period: Period):
    """Rows of selectors.with_ledger(period) with the alias `colour` ("red", "amber" or
    "green"): assess(...).colour computed in the database."""
    # The conditions read the alias investment_behind, added first.
    conditions = colour_conditions(period)
    return queryset.alias(investment_behind=(_schedule(period) - F("ytd")) * Value(100)).alias(
        colour=Case(
            _When(conditions[RED], then=Value(RED)),
            _When(conditions[AMBER], then=Value(AMBER)),
            default=Value(GREEN),
            output_field=CharField(),
        )
    )


# What a colour reads: the projects' reports, plans and milestones, and the problems raised
# about them (services' demands with a project, through hooks.register_overdue_problems). A
# write of such a demand invalidates the projects' area too (services.demand_also_changes),
# so the demands without a project, most of them, leave the colours computed.
COLOUR_AREAS = ("projects",)


def _statement_key(period: Period, today: date) -> tuple:
    """What the ledger facts' statement depends on besides the data: the period, the day, the
    colour rules and the reports' due day (selectors.due_period)."""
    return (period, today, tuple(sorted(_rules().items())), settings.PROJECTS_REPORT_DUE_DAY)


@prepared(_statement_key)
def _ledger_fact_rows(period: Period, today: date):
    """{pk, colour, ytd, constructing, started, overdue} of every project in `period`, judged
    on `today` with the settings of the time: built once per _statement_key (the ledger's
    subqueries and the colour's conditions take 12 ms to build)."""
    rows = with_colour(selectors.with_ledger(Project.objects.all(), period), period)
    return rows.values(
        "pk",
        "ytd",
        colour=F("colour"),
        **{
            name: ExpressionWrapper(condition, output_field=BooleanField())
            for name, condition in _facts_counted(period, today).items()
        },
    ).order_by("pk")


def _facts_counted(period: Period, today: date) -> dict[str, Q]:
    """The conditions ledger_facts counts the projects of."""
    return {
        "constructing": selectors.constructing_q(period.day),
        "started": Q(actual_start__gte=period.year_start, actual_start__lte=period.last),
        "overdue": selectors.report_overdue_q(today),
    }


def ledger_facts(period: Period) -> dict:
    """What the dashboard and the ledger's colour filter read of every project in `period`,
    from one statement over the ledger's rows (with_colour), kept until a write in
    COLOUR_AREAS (apps.core.figures.cached; today is in the key, the colours and "overdue"
    move with it):

    - ``colours``: {colour: ids of every project of that colour};
    - ``constructing`` (在建 on the period's day), ``started`` (started in the year up to the
      period), ``overdue`` (the latest due report missing today): how many projects;
    - ``invested``: the sum of the projects' year to date (approved reports, 万元)."""

    def compute():
        today = timezone.localdate()
        counted = list(_facts_counted(period, today))
        facts = {"colours": {code: [] for code in ORDER}, "invested": Decimal(0)}
        facts |= dict.fromkeys(counted, 0)
        for row in _ledger_fact_rows(period, today):
            facts["colours"][row["colour"]].append(row["pk"])
            facts["invested"] += row["ytd"] or 0
            for name in counted:
                facts[name] += bool(row[name])
        return facts

    return figures.cached("project-ledger-facts", compute, period.code, areas=COLOUR_AREAS)


def colour_ids(period: Period) -> dict[str, list[int]]:
    """{colour: ids of every project of that colour in `period`} (ledger_facts). The colour
    filter of the ledger and the API reads it, so that a page filtered by colour does not
    evaluate the CASE for every project (twice: its rows and its page's keys)."""
    return ledger_facts(period)["colours"]
