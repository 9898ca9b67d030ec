"""Reads of enterprise service: shaped querysets and statistics computed in the database.

Overdue and escalation are derived from the deadline and today's date in every query, never
stored, so they cannot go stale:
  overdue    open (待受理/办理中) and today is after the deadline
  escalated  overdue by more than SERVICES_ESCALATE_AFTER_DAYS days (default 7): flagged for
             the leadership
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.accounts.models import Department, User
from apps.accounts.roles import Role
from apps.core.prepared import prepared
from apps.enterprises.models import Enterprise
from apps.services.models import (
    Demand,
    DemandEvent,
    FinancialInstitution,
    FinancingNeed,
    LoanIntent,
    MatchmakingMeeting,
    PolicyApplication,
    Visit,
)


def responsible_departments() -> QuerySet[Department]:
    """The five bodies a demand can be routed to (the leadership is not one)."""
    return Department.objects.exclude(code=Department.Code.LEADERSHIP)


def escalate_after_days() -> int:
    return getattr(settings, "SERVICES_ESCALATE_AFTER_DAYS", 7)


def weekly_visit_target() -> int:
    return getattr(settings, "SERVICES_WEEKLY_VISIT_TARGET", 2)


def not_visited_days() -> int:
    return getattr(settings, "SERVICES_NOT_VISITED_DAYS", 90)


# --- Demands --------------------------------------------------------------------------------


def open_q() -> Q:
    return Q(status__in=Demand.OPEN_STATUSES)


def overdue_q(today: date | None = None) -> Q:
    today = today or timezone.localdate()
    return open_q() & Q(deadline__lt=today)


def escalated_q(today: date | None = None, days: int | None = None) -> Q:
    """Open and overdue by more than `days` (default: the SERVICES_ESCALATE_AFTER_DAYS
    setting)."""
    today = today or timezone.localdate()
    days = escalate_after_days() if days is None else days
    return open_q() & Q(deadline__lt=today - timedelta(days=days))


def with_overdue(
    queryset: QuerySet[Demand], today: date | None = None, escalate_days: int | None = None
) -> QuerySet[Demand]:
    """Annotate is_overdue, is_escalated and overdue_days (0 when not overdue)."""
    today = today or timezone.localdate()
    return queryset.annotate(
        is_overdue=Case(When(overdue_q(today), then=Value(True)), default=Value(False)),
        is_escalated=Case(
            When(escalated_q(today, escalate_days), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        overdue_days=Case(
            When(
                overdue_q(today),
                then=Func(
                    Value(today),
                    F("deadline"),
                    template="(%(expressions)s)",
                    arg_joiner=" - ",
                    output_field=IntegerField(),
                ),
            ),
            default=Value(0),
            output_field=IntegerField(),
        ),
    )


def demand_list(today: date | None = None) -> QuerySet[Demand]:
    """Every demand with its overdue flags as of `today` (default: today), the relations the
    list shows joined; built once per day and escalation setting (prepared_demand_list)."""
    return prepared_demand_list(today or timezone.localdate(), escalate_after_days())


@prepared(lambda today, escalate_days: (today, escalate_days))
def prepared_demand_list(today: date, escalate_days: int) -> QuerySet[Demand]:
    return with_overdue(
        Demand.objects.select_related("enterprise", "category", "department", "assignee"),
        today,
        escalate_days,
    )


def department_inbox(*, department: Department | None, today: date | None = None) -> dict:
    """A department's new / in progress / overdue demands (one query per box)."""
    base = demand_list(today).filter(department=department).order_by("deadline", "id")
    today = today or timezone.localdate()
    return {
        "new": base.filter(status=Demand.Status.PENDING),
        "in_progress": base.filter(status=Demand.Status.IN_PROGRESS),
        "overdue": base.filter(overdue_q(today)),
    }


def leadership_inbox(today: date | None = None) -> dict:
    """What the leadership watches across all departments: escalated, then other overdue
    demands, most overdue first (one query per box)."""
    today = today or timezone.localdate()
    base = demand_list(today).order_by("deadline", "id")
    return {
        "escalated": base.filter(escalated_q(today)),
        "overdue": base.filter(overdue_q(today)).exclude(escalated_q(today)),
    }


def demands_assigned_to(user: User, today: date | None = None) -> QuerySet[Demand]:
    return demand_list(today).filter(assignee=user, status=Demand.Status.IN_PROGRESS)


def demand_detail(pk: int) -> Demand:
    events = DemandEvent.objects.select_related("by").order_by("at", "id")
    return (
        demand_list()
        .select_related("visit", "created_by")
        .prefetch_related(Prefetch("events", queryset=events))
        .get(pk=pk)
    )


def demand_counts(*, department: Department | None, user: User, today: date | None = None) -> dict:
    """The home panel's figures in one query."""
    today = today or timezone.localdate()
    return Demand.objects.aggregate(
        new=Count("id", filter=Q(department=department, status=Demand.Status.PENDING)),
        overdue=Count("id", filter=Q(department=department) & overdue_q(today)),
        mine=Count("id", filter=Q(assignee=user, status=Demand.Status.IN_PROGRESS)),
        escalated=Count("id", filter=escalated_q(today)),
    )


@dataclass(frozen=True)
class Outcome:
    start: date
    end: date
    raised: int
    closed: int
    procedures_closed: int
    disputes_closed: int
    resolution_rate: Decimal | None
    median_days_to_close: float | None
    followed_up: int
    satisfied: int
    satisfaction_rate: Decimal | None


def latest_demand_day() -> date | None:
    """The day the newest demand was raised (the outcomes page opens on its year)."""
    return Demand.objects.order_by("-raised_on").values_list("raised_on", flat=True).first()


def outcome_figures(*, start: date, end: date) -> Outcome:
    """What the service achieved in a period: demands raised in it, and of those raised,
    how many were closed (办结 or 回访), with the median days to close."""
    raised = Demand.objects.filter(raised_on__range=(start, end))
    done = Q(status__in=Demand.DONE_STATUSES)
    figures = raised.aggregate(
        raised=Count("id"),
        closed=Count("id", filter=done),
        procedures_closed=Count("id", filter=done & Q(category__code="procedure")),
        disputes_closed=Count("id", filter=done & Q(category__code="construction_dispute")),
        followed_up=Count("id", filter=Q(status=Demand.Status.FOLLOWED_UP)),
        satisfied=Count(
            "id",
            filter=Q(status=Demand.Status.FOLLOWED_UP, satisfaction=Demand.Satisfaction.SATISFIED),
        ),
    )
    median = _median_days_to_close(raised.filter(done))
    rate = (
        (Decimal(figures["closed"]) * 100 / figures["raised"]).quantize(Decimal("0.1"))
        if figures["raised"]
        else None
    )
    satisfaction_rate = (
        (Decimal(figures["satisfied"]) * 100 / figures["followed_up"]).quantize(Decimal("0.1"))
        if figures["followed_up"]
        else None
    )
    return Outcome(
        start=start,
        end=end,
        resolution_rate=rate,
        median_days_to_close=median,
        satisfaction_rate=satisfaction_rate,
        **figures,
    )


def _median_days_to_close(queryset: QuerySet[Demand]) -> float | None:
    from django.db import connection

    sql, params = queryset.values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY closed_on - raised_on) "
            f"FROM services_demand WHERE id IN ({sql})",
            params,
        )
        (value,) = cursor.fetchone()
    return float(value) if value is not None else None


# --- Visits and coverage ------------------------------------------------------------------------


@prepared(lambda: None)
def visit_list() -> QuerySet[Visit]:
    return (
        Visit.objects.select_related("enterprise", "created_by")
        .prefetch_related("staff")
        # A correlated count, not a join with GROUP BY: the page and the paginator's count
        # then read only the visits they need.
        .annotate(
            demand_count=Coalesce(
                Subquery(
                    Demand.objects.filter(visit=OuterRef("pk"))
                    .order_by()
                    .values("visit")
                    .annotate(n=Count("id"))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            )
        )
        .order_by("-visited_on", "-id")
    )


@prepared(lambda: None)
def visit_officers() -> QuerySet:
    """(visit id, officer id, shown name) of every visit's officers, in the order
    ``visit.staff.all()`` gives them (User's Meta.ordering); filter by ``visit_id__in``."""
    return (
        Visit.staff.through.objects.order_by(*(f"user__{name}" for name in User._meta.ordering))
        .annotate(name=User.name_expression("user__"))
        .values_list("visit_id", "user_id", "name")
    )


def week_bounds(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


@dataclass
class StaffWeek:
    user: User
    visits: int
    target: int

    @property
    def short(self) -> bool:
        return self.visits < self.target


def service_staff() -> QuerySet[User]:
    """The 企业服务局 staff expected to visit: active users holding the 企业服务 role."""
    return (
        User.objects.filter(is_active=True, groups__name=Role.SERVICE)
        .select_related("department")
        .distinct()
        .order_by("department__sort_order", "full_name")
    )


def visit_staff_choices(visit: Visit) -> QuerySet[User]:
    """The officers a visit's form offers: 企业服务局 staff, plus whoever went on it."""
    return (
        User.objects.filter(
            Q(id__in=service_staff().values("id")) | Q(id__in=visit.staff.values("id"))
        )
        .select_related("department")
        .order_by("department__sort_order", "full_name")
    )


def weekly_visit_report(*, week_of: date, target: int | None = None) -> dict:
    """Visits per staff member (and per department) in the week containing `week_of`, against
    the target, plus the last eight weeks' shortfalls per person. Two queries."""
    target = weekly_visit_target() if target is None else target
    start, end = week_bounds(week_of)
    history_start = start - timedelta(weeks=7)
    staff = list(service_staff())
    per_week = (
        Visit.staff.through.objects.filter(
            user__in=[user.pk for user in staff],
            visit__visited_on__range=(history_start, end),
        )
        .annotate(week=_week_start("visit__visited_on"))
        .values("user_id", "week")
        .annotate(n=Count("visit_id"))
    )
    counts: dict[tuple[int, date], int] = {
        (row["user_id"], row["week"]): row["n"] for row in per_week
    }
    weeks = [history_start + timedelta(weeks=i) for i in range(8)]
    rows = []
    for user in staff:
        visits = counts.get((user.pk, start), 0)
        short_weeks = [week for week in weeks if counts.get((user.pk, week), 0) < target]
        rows.append(
            {"user": user, "visits": visits, "short": visits < target, "short_weeks": short_weeks}
        )
    departments: dict[str, dict] = {}
    for row in rows:
        name = row["user"].department.name if row["user"].department else "—"
        entry = departments.setdefault(name, {"name": name, "staff": 0, "visits": 0, "target": 0})
        entry["staff"] += 1
        entry["visits"] += row["visits"]
        entry["target"] += target
    return {
        "start": start,
        "end": end,
        "target": target,
        "rows": rows,
        "departments": list(departments.values()),
        "weeks": weeks,
        "short_count": sum(1 for row in rows if row["short"]),
    }


def _week_start(field: str):
    from django.db.models.functions import TruncWeek

    return TruncWeek(field)


def last_visit_subquery():
    return Subquery(
        Visit.objects.filter(enterprise=OuterRef("pk"))
        .order_by("-visited_on")
        .values("visited_on")[:1]
    )


def _covered(queryset, responsible: User | None):
    if responsible is not None:
        queryset = queryset.filter(responsible_staff=responsible)
    return queryset


def enterprises_not_visited(
    *, days: int | None = None, today: date | None = None, responsible: User | None = None
):
    """Enterprises in operation or construction with no visit in the last `days` days (never
    visited first); only those `responsible` is the 包联干部 of, when given."""
    today = today or timezone.localdate()
    days = not_visited_days() if days is None else days
    since = today - timedelta(days=days)
    return _not_visited_since(
        _covered(Enterprise.objects.exclude(status=Enterprise.Status.MOVED_OUT), responsible),
        since,
    )


def _not_visited_since(enterprises: QuerySet[Enterprise], since: date) -> QuerySet[Enterprise]:
    """The enterprises with no visit on or after `since`, annotated with their last visit
    (never visited first). "No visit since" is an anti-join and the last visit one lookup per
    enterprise kept, both on the (enterprise, visited_on) index: nothing groups all visits."""
    recent = Visit.objects.filter(enterprise=OuterRef("pk"), visited_on__gte=since)
    return (
        enterprises.filter(~Exists(recent))
        .annotate(last_visit=last_visit_subquery())
        .select_related("park", "responsible_staff")
        .order_by(F("last_visit").asc(nulls_first=True), "name")
    )


def decline_enterprises_not_visited(
    *, today: date | None = None, days: int = 30, responsible: User | None = None
):
    """Enterprises on the decline warning list (output falling, from the enterprises app)
    with no visit in the last `days` days; only `responsible`'s, when given."""
    from apps.enterprises import selectors as enterprise_selectors

    today = today or timezone.localdate()
    period = enterprise_selectors.latest_reported_period()
    if period is None:
        return Enterprise.objects.none(), None
    year, month = period
    warned = enterprise_selectors.decline_warning_enterprises(year=year, month=month)
    since = today - timedelta(days=days)
    queryset = _not_visited_since(
        _covered(Enterprise.objects.filter(pk__in=warned.values("pk")), responsible), since
    )
    return queryset, period


def responsible_summary(user: User, *, days: int | None = None, today: date | None = None):
    """How many enterprises `user` is the 包联干部 of, and how many of them had no visit in
    the last `days` days (one query)."""
    today = today or timezone.localdate()
    days = not_visited_days() if days is None else days
    recent = Visit.objects.filter(
        enterprise=OuterRef("pk"), visited_on__gte=today - timedelta(days=days)
    )
    return (
        Enterprise.objects.filter(responsible_staff=user)
        .exclude(status=Enterprise.Status.MOVED_OUT)
        .aggregate(total=Count("id"), stale=Count("id", filter=~Exists(recent)))
    )


# --- Matchmaking ----------------------------------------------------------------------------------


def loan_intent_list() -> QuerySet[LoanIntent]:
    return LoanIntent.objects.select_related("enterprise", "institution", "meeting")


def financing_need_list() -> QuerySet[FinancingNeed]:
    return FinancingNeed.objects.select_related("enterprise", "meeting")


def meeting_list() -> QuerySet[MatchmakingMeeting]:
    return MatchmakingMeeting.objects.annotate(
        institution_count=Count("institutions", distinct=True),
        enterprise_count=Count("enterprises", distinct=True),
        intent_count=Count("loan_intents", distinct=True),
    ).order_by("-held_on", "-id")


def loan_totals_by_institution(queryset: QuerySet[LoanIntent] | None = None):
    """Per institution: intents, intended / credited / disbursed amounts, and counts per status."""
    queryset = LoanIntent.objects.all() if queryset is None else queryset
    status_counts = {
        f"n_{status}": Count("id", filter=Q(status=status)) for status in LoanIntent.Status.values
    }
    return (
        queryset.values("institution_id", "institution__name", "institution__short_name")
        .annotate(
            intents=Count("id"),
            enterprises=Count("enterprise", distinct=True),
            amount=Sum("amount"),
            credit=Coalesce(Sum("credit_amount"), Decimal(0)),
            disbursed=Coalesce(Sum("disbursed_amount"), Decimal(0)),
            **status_counts,
        )
        .order_by("institution__sort_order", "institution_id")
    )


def loan_totals(queryset: QuerySet[LoanIntent] | None = None) -> dict:
    queryset = LoanIntent.objects.all() if queryset is None else queryset
    return queryset.aggregate(
        intents=Count("id"),
        enterprises=Count("enterprise", distinct=True),
        amount=Coalesce(Sum("amount"), Decimal(0)),
        credit=Coalesce(Sum("credit_amount"), Decimal(0)),
        disbursed=Coalesce(Sum("disbursed_amount"), Decimal(0)),
    )


def institutions() -> QuerySet[FinancialInstitution]:
    return FinancialInstitution.objects.all()


# --- Policy applications ------------------------------------------------------------------------


def application_list() -> QuerySet[PolicyApplication]:
    return PolicyApplication.objects.select_related("enterprise", "programme").prefetch_related(
        "helpers"
    )


# --- The enterprise page ----------------------------------------------------------------------


def enterprise_service_summary(enterprise: Enterprise) -> dict:
    """The enterprise page's financing and policy section: two queries."""
    loans = list(loan_intent_list().filter(enterprise=enterprise))
    applications = list(
        PolicyApplication.objects.filter(enterprise=enterprise).select_related("programme")
    )
    return {
        "loans": loans,
        "loan_amount": sum((loan.amount for loan in loans), Decimal(0)),
        "applications": applications,
    }


# --- Export columns read in SQL (apps.core.lists.Col.source) ------------------------------


def full_name_sql(prefix: str):
    """User.get_full_name() in SQL (User.name_expression), "" without a user."""
    return Coalesce(User.name_expression(f"{prefix}__"), Value(""))


def visit_staff_names_sql():
    """ "、".join of a visit's officers' names, ordered as User's default (username)."""
    name = User.name_expression()
    names = (
        User.objects.filter(visits=OuterRef("pk"))
        .order_by()
        .values("visits")
        .annotate(joined=StringAgg(name, "、", order_by="username"))
        .values("joined")
    )
    return Coalesce(Subquery(names, output_field=CharField()), Value(""))
