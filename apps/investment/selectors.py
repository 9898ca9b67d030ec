"""Reads of 招商引资: querysets already scoped to what the user may see and shaped for lists,
and the indicators, computed in the database."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.investment import permissions
from apps.investment.models import Activity, FundsArrival, Investor, Lead, Project, Signing

ZERO = Decimal("0")

# Days in a stage after which a project is amber and red (settings.INVESTMENT_STAGE_DAYS
# overrides any of them).
STAGE_DAYS = {
    "negotiating": (30, 60),
    "inspecting": (30, 60),
    "reviewing": (15, 30),
    "signed": (60, 90),
    "registered": (90, 180),
    "started": (365, 540),
    "producing": (365, 730),
    "shelved": (90, 180),
}


def stage_days() -> dict[str, tuple[int, int]]:
    return {**STAGE_DAYS, **getattr(settings, "INVESTMENT_STAGE_DAYS", {})}


def days_in_stage(project: Project, today: date | None = None) -> int:
    today = today or timezone.localdate()
    return (today - timezone.localdate(project.stage_entered_at)).days


def stage_light(project: Project, today: date | None = None) -> str:
    """green / amber / red against the stage's thresholds ("" for a closed stage)."""
    limits = stage_days().get(project.status)
    if limits is None:
        return ""
    days = days_in_stage(project, today)
    if days >= limits[1]:
        return "red"
    if days >= limits[0]:
        return "amber"
    return "green"


def red_q(today: date | None = None) -> Q:
    """Projects whose time in stage is red, as a filter (for the home page and the list)."""
    today = today or timezone.localdate()
    condition = Q(pk__in=[])
    for status, (_amber, red) in stage_days().items():
        since = timezone.make_aware(
            timezone.datetime.combine(today - timedelta(days=red - 1), timezone.datetime.min.time())
        )
        condition |= Q(status=status, stage_entered_at__lt=since)
    return condition


def _scoped(queryset, scope):
    return queryset if scope is None else queryset.filter(scope)


def investor_list(user):
    return _scoped(Investor.objects.all(), permissions.investor_scope(user)).distinct()


def lead_list(user):
    return _scoped(
        Lead.objects.select_related(
            "investor", "chain_node__chain", "owner", "team", "reported_by"
        ),
        permissions.lead_scope(user),
    )


def project_scoped(user):
    """The projects a user may see, unshaped (for aggregates)."""
    return _scoped(Project.objects.all(), permissions.project_scope(user))


def project_list(user):
    return _scoped(
        Project.objects.select_related(
            "investor", "chain_node__chain", "owner", "team", "enterprise", "loss_reason"
        ).annotate(
            funds_total=Coalesce(Sum("funds__fixed_assets"), ZERO)
            + Coalesce(Sum("funds__working_capital"), ZERO)
        ),
        permissions.project_scope(user),
    )


def activity_list(user):
    return _scoped(
        Activity.objects.select_related("team").annotate(lead_count=Count("leads", distinct=True)),
        permissions.activity_scope(user),
    )


# --- Judgement clocks -------------------------------------------------------------------------

# A new lead gets an owner within OWNER_DAYS working days of its first report, and a judgement
# (跟进 / 不跟进) within JUDGE_DAYS (settings.INVESTMENT_OWNER_DAYS / INVESTMENT_JUDGE_DAYS).
OWNER_DAYS = 1
JUDGE_DAYS = 3


def owner_days() -> int:
    return getattr(settings, "INVESTMENT_OWNER_DAYS", OWNER_DAYS)


def judge_days() -> int:
    return getattr(settings, "INVESTMENT_JUDGE_DAYS", JUDGE_DAYS)


def add_working_days(day: date, days: int) -> date:
    """The date `days` working days after `day` (Saturdays and Sundays skipped)."""
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def _overdue_before(days: int, today: date) -> date:
    """The earliest report date still within `days` working days today: a lead reported
    before it is overdue (its due date is before today)."""
    day = today
    while add_working_days(day - timedelta(days=1), days) >= today:
        day -= timedelta(days=1)
    return day


def _reported_on(lead: Lead) -> date:
    return timezone.localdate(lead.reported_at)


def owner_due_on(lead: Lead) -> date:
    return add_working_days(_reported_on(lead), owner_days())


def judgement_due_on(lead: Lead) -> date:
    return add_working_days(_reported_on(lead), judge_days())


def _open_lead_q() -> Q:
    return Q(merged=False, judgement=Lead.Judgement.PENDING)


def owner_overdue_q(today: date | None = None) -> Q:
    """Pending leads still without an owner past their 1-working-day clock."""
    today = today or timezone.localdate()
    cutoff = _overdue_before(owner_days(), today)
    return _open_lead_q() & Q(owner__isnull=True, reported_at__date__lt=cutoff)


def judgement_overdue_q(today: date | None = None) -> Q:
    """Leads not yet judged past their 3-working-day clock."""
    today = today or timezone.localdate()
    cutoff = _overdue_before(judge_days(), today)
    return _open_lead_q() & Q(reported_at__date__lt=cutoff)


def clock_overdue_q(today: date | None = None) -> Q:
    return owner_overdue_q(today) | judgement_overdue_q(today)


def clock(lead: Lead, today: date | None = None) -> dict:
    """Both clocks of a lead, for its page: due date, whether met (and when) or overdue."""
    today = today or timezone.localdate()
    owner_due, judge_due = owner_due_on(lead), judgement_due_on(lead)
    owned_on = timezone.localdate(lead.claimed_at) if lead.claimed_at else None
    if lead.owner_id and owned_on is None:
        owned_on = _reported_on(lead)
    judged_on = timezone.localdate(lead.judged_at) if lead.judged_at else None

    def state(due, done_on, open_):
        if done_on is not None:
            return {"due": due, "done_on": done_on, "late": done_on > due, "overdue": False}
        return {
            "due": due,
            "done_on": None,
            "late": False,
            "overdue": open_ and today > due,
            "days_over": (today - due).days if today > due else 0,
        }

    open_ = not lead.merged and lead.judgement == Lead.Judgement.PENDING
    return {
        "owner": state(owner_due, owned_on if lead.owner_id else None, open_),
        "judgement": state(judge_due, judged_on, open_),
    }


def pool_warning_q(today: date | None = None) -> Q:
    """Owned leads that return to the pool within POOL_WARN_DAYS."""
    from apps.investment import services

    cutoff = services.pool_return_before(today=today)
    warn = cutoff + timedelta(days=services.POOL_WARN_DAYS)
    return Q(
        owner__isnull=False,
        merged=False,
        project__isnull=True,
        last_follow_up_on__lt=warn,
        last_follow_up_on__gte=cutoff,
    ) & ~Q(judgement=Lead.Judgement.DROP)


def pool_return_on(lead: Lead) -> date | None:
    """The day a held lead goes back to the pool if nobody follows it up."""
    from apps.investment import services

    if lead.owner_id is None or lead.last_follow_up_on is None:
        return None
    return lead.last_follow_up_on + timedelta(
        days=getattr(settings, "INVESTMENT_POOL_DAYS", services.POOL_RETURN_DAYS) + 1
    )


# --- Indicators -------------------------------------------------------------------------------


def indicators(*, start: date, end: date, projects=None) -> dict:
    """The 招商 indicators for [start, end] (README, "Indicators"), in the database:

    - signings: projects whose first signing falls in the period; contract investment is the
      sum of their first-signing amounts plus capital increases signed in the period;
      亿元以上: of those projects, the ones with contract investment ≥ 10000 万元;
    - funds: funds arrived in months of the period;
    - 履约率 = signed projects (first signing in the period) now started, producing, at
      capacity, or registered (in approvals) ÷ those signed;
    - 开工率 = of those, started or later ÷ signed;
    - 资金到位率 = funds arrived to date on those projects ÷ their contract investment.
    """
    projects = Project.objects.all() if projects is None else projects
    signed = projects.filter(signed_on__range=(start, end))
    started_states = ("started", "producing", "capacity")
    figures = signed.aggregate(
        count=Count("pk"),
        contract=Coalesce(Sum("contract_investment"), ZERO),
        big=Count("pk", filter=Q(contract_investment__gte=10000)),
        performing=Count("pk", filter=Q(status__in=(*started_states, "registered"))),
        started=Count("pk", filter=Q(status__in=started_states)),
    )
    increases = Signing.objects.filter(
        project__in=projects.values("pk"), is_increase=True, signed_on__range=(start, end)
    ).aggregate(total=Coalesce(Sum("amount"), ZERO))["total"]
    funds = FundsArrival.objects.filter(project__in=projects.values("pk"))
    in_period = funds.filter(month__range=(start.replace(day=1), end)).aggregate(
        total=Coalesce(Sum("fixed_assets"), ZERO) + Coalesce(Sum("working_capital"), ZERO)
    )["total"]
    to_date_on_signed = funds.filter(project__in=signed.values("pk"), month__lte=end).aggregate(
        total=Coalesce(Sum("fixed_assets"), ZERO) + Coalesce(Sum("working_capital"), ZERO)
    )["total"]

    def rate(part, whole):
        return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01")) if whole else None

    return {
        "signed_count": figures["count"],
        "contract_investment": figures["contract"] + increases,
        "big_count": figures["big"],
        "funds": in_period,
        "performance_rate": rate(figures["performing"], figures["count"]),
        "start_rate": rate(figures["started"], figures["count"]),
        "funds_rate": rate(to_date_on_signed, figures["contract"]),
    }


def activity_counts(*, year: int, activities=None) -> dict:
    """Activities of a year by kind, and outbound trips by destination province."""
    activities = Activity.objects.all() if activities is None else activities
    of_year = activities.filter(starts_on__year=year)
    by_kind = dict(of_year.values_list("kind").annotate(n=Count("pk")).order_by())
    provinces = list(
        of_year.filter(kind=Activity.Kind.OUTBOUND)
        .values("province")
        .annotate(n=Count("pk"))
        .order_by("-n", "province")
    )
    return {"total": sum(by_kind.values()), "by_kind": by_kind, "provinces": provinces}
