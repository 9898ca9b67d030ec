"""Reads of 招商引资: querysets already scoped to what the user may see and shaped for lists,
and the indicators, computed in the database."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.core.dates import add_working_days, subtract_working_days
from apps.investment import permissions
from apps.investment.models import (
    Activity,
    AnnualTarget,
    FundsArrival,
    Investor,
    Lead,
    Project,
    Signing,
)

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


def _subquery_sum(queryset, link: str, expression):
    """A correlated SUM per row (no GROUP BY on the outer list, so its page is read in index
    order)."""
    from django.db.models import OuterRef, Subquery

    rows = (
        queryset.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(total=expression)
        .values("total")
    )
    return Coalesce(Subquery(rows), ZERO)


def _subquery_count(queryset, link: str):
    from django.db.models import IntegerField, OuterRef, Subquery, Value

    rows = (
        queryset.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


# The relations a project row shows: the page's table (PAGE_RELATED), and its export and the
# other readers (PROJECT_RELATED). Each join costs PostgreSQL's planner more than reading it:
# planning the page's statement with all seven took 12.9 ms, with the page's four 1.5 ms.
PAGE_RELATED = ("investor", "chain_node__chain", "owner", "team")
PROJECT_RELATED = (*PAGE_RELATED, "enterprise", "loss_reason")


def project_list(user, related=PROJECT_RELATED):
    """The projects `user` may see with their funds arrived (`funds_total`), the `related`
    rows joined."""
    return _scoped(
        Project.objects.select_related(*related).annotate(
            funds_total=_subquery_sum(
                FundsArrival.objects.all(),
                "project",
                Sum("fixed_assets") + Sum("working_capital"),
            )
        ),
        permissions.project_scope(user),
    )


def funds_arrival_list(user):
    """The funds arrived on the 招商 projects `user` may see (`total`: the row's 万元), behind
    the 到位资金 figures."""
    return (
        FundsArrival.objects.filter(project__in=project_scoped(user).values("pk"))
        .select_related("project__team")
        .order_by("-month", "project__name", "pk")
    )


STARTED_STATES = ("started", "producing", "capacity")


def activity_list(user):
    """Activities with their conversion: the leads they produced, those leads' projects, signed
    and started, and the funds arrived on them (counted for the activity whoever sees the
    leads: a figure, never a row). Correlated subqueries, so the page is read in index order."""
    projects = Project.objects.filter(lead__isnull=False)
    return _scoped(
        Activity.objects.select_related("team").annotate(
            lead_count=_subquery_count(Lead.objects.all(), "activity"),
            project_count=_subquery_count(projects, "lead__activity"),
            signed_count=_subquery_count(
                projects.filter(signed_on__isnull=False), "lead__activity"
            ),
            started_count=_subquery_count(
                projects.filter(status__in=STARTED_STATES), "lead__activity"
            ),
            funds_total=_subquery_sum(
                FundsArrival.objects.all(),
                "project__lead__activity",
                Sum("fixed_assets") + Sum("working_capital"),
            ),
        ),
        permissions.activity_scope(user),
    )


def activity_conversion(*, year: int, activities=None) -> list[dict]:
    """Per kind of activity in a year: activities → leads → projects → signed → started →
    funds arrived (万元), in the database."""
    activities = Activity.objects.all() if activities is None else activities
    of_year = activities.filter(starts_on__year=year)
    rows = {
        row["kind"]: row
        for row in of_year.order_by()
        .values("kind")
        .annotate(
            n_activities=Count("pk", distinct=True),
            n_leads=Count("leads", distinct=True),
            n_projects=Count("leads__project", distinct=True),
            n_signed=Count(
                "leads__project",
                filter=Q(leads__project__signed_on__isnull=False),
                distinct=True,
            ),
            n_started=Count(
                "leads__project",
                filter=Q(leads__project__status__in=STARTED_STATES),
                distinct=True,
            ),
        )
    }
    funds = dict(
        FundsArrival.objects.filter(project__lead__activity__in=of_year.values("pk"))
        .order_by()
        .values("project__lead__activity__kind")
        .annotate(total=Sum("fixed_assets") + Sum("working_capital"))
        .values_list("project__lead__activity__kind", "total")
    )
    result = []
    for kind, label in Activity.Kind.choices:
        row = rows.get(kind, {})
        result.append(
            {
                "kind": kind,
                "label": label,
                **{
                    key: row.get(f"n_{key}", 0)
                    for key in ("activities", "leads", "projects", "signed", "started")
                },
                "funds": funds.get(kind) or ZERO,
            }
        )
    return result


# --- Judgement clocks -------------------------------------------------------------------------

# A new lead gets an owner within OWNER_DAYS working days of its first report, and a judgement
# (跟进 / 不跟进) within JUDGE_DAYS (settings.INVESTMENT_OWNER_DAYS / INVESTMENT_JUDGE_DAYS).
OWNER_DAYS = 1
JUDGE_DAYS = 3


def owner_days() -> int:
    return getattr(settings, "INVESTMENT_OWNER_DAYS", OWNER_DAYS)


def judge_days() -> int:
    return getattr(settings, "INVESTMENT_JUDGE_DAYS", JUDGE_DAYS)


def _overdue_before(days: int, today: date) -> date:
    """The earliest report date still within `days` working days today: a lead reported
    before it is overdue. A lead reported on day R is due on add_working_days(R, days), which
    is before today exactly when `days` working days lie between R and yesterday, that is when
    R is before the `days`-th working day before today."""
    return subtract_working_days(today, days)


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


# A lead from a referrer (信息来源 引荐人) owes them feedback within REFERRER_FEEDBACK_DAYS
# calendar days of its first report (settings.INVESTMENT_REFERRER_FEEDBACK_DAYS), whatever its
# judgement: a 不跟进 is feedback the referrer is owed too.
REFERRER_FEEDBACK_DAYS = 7


def referrer_feedback_days() -> int:
    return getattr(settings, "INVESTMENT_REFERRER_FEEDBACK_DAYS", REFERRER_FEEDBACK_DAYS)


def referrer_feedback_due_on(lead: Lead) -> date:
    return _reported_on(lead) + timedelta(days=referrer_feedback_days())


def referrer_overdue_q(today: date | None = None) -> Q:
    """Leads from a referrer with no feedback recorded past their one-week clock."""
    today = today or timezone.localdate()
    return Q(
        channel=Lead.Channel.REFERRER,
        merged=False,
        referrer_feedback_on__isnull=True,
        reported_at__date__lt=today - timedelta(days=referrer_feedback_days()),
    )


def clock(lead: Lead, today: date | None = None) -> dict:
    """The clocks of a lead, for its page: due date, whether met (and when) or overdue; the
    owner's and the judgement's, and for a lead from a referrer the referrer's feedback."""
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
    clocks = {
        "owner": state(owner_due, owned_on if lead.owner_id else None, open_),
        "judgement": state(judge_due, judged_on, open_),
    }
    if lead.channel == Lead.Channel.REFERRER:
        clocks["referrer"] = state(
            referrer_feedback_due_on(lead), lead.referrer_feedback_on, not lead.merged
        )
    return clocks


def resident_report_list(user):
    """Resident teams' monthly reports: 招商 and the leadership read them all."""
    from apps.investment.models import ResidentReport

    return _scoped(
        ResidentReport.objects.select_related("team", "submitted_by"),
        permissions.activity_scope(user),
    )


def annual_target_list():
    return AnnualTarget.objects.select_related("team")


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


# --- Annual targets and the team ranking (赛马榜) ---------------------------------------------

# score = 100 × Σ weight × completion − penalty × signed projects past their committed start
# (settings.INVESTMENT_RANKING overrides any key).
RANKING = {
    "signings": Decimal("0.5"),
    "contract_investment": Decimal("0.5"),
    "funds": Decimal("0"),
    "late_start_penalty": Decimal("5"),
}


def ranking_weights() -> dict[str, Decimal]:
    return {
        key: Decimal(str(value))
        for key, value in {**RANKING, **getattr(settings, "INVESTMENT_RANKING", {})}.items()
    }


# The measures of AnnualTarget, each a team's target for the year.
TEAM_TARGET_MEASURES = ("signings", "contract_investment", "funds")


def team_targets(year: int) -> dict[str, list[tuple[int, str, Decimal]]]:
    """The teams' annual targets of a year per measure (TEAM_TARGET_MEASURES):
    {measure: [(team id, team name, target)]} by team name; a team whose target for a measure
    is 0 has none for it and is left out of that measure (1 query). The one source of a team's
    targets: the dashboard reads them here too."""
    result: dict[str, list[tuple[int, str, Decimal]]] = {m: [] for m in TEAM_TARGET_MEASURES}
    rows = (
        AnnualTarget.objects.filter(year=year)
        .order_by("team__name", "team_id")
        .values_list("team_id", "team__name", *TEAM_TARGET_MEASURES)
    )
    for team, name, *values in rows:
        for measure, value in zip(TEAM_TARGET_MEASURES, values, strict=True):
            if value:
                result[measure].append((team, name, Decimal(value)))
    return result


def percent(part, whole) -> Decimal | None:
    return _pct(part, whole)


def _pct(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def team_ranking(*, year: int, month: int, today: date | None = None) -> list[dict]:
    """The teams ranked for January to `month` of `year` (cumulative), each against its annual
    target, in the database (one aggregate per measure):

    - signings: projects whose first signing falls in the period (counted once), and those of
      the month alone; contract investment: their first-signing amounts plus capital increases
      signed in the period; funds: funds arrived in the period's months;
    - completion (完成率) = done ÷ annual target × 100; 超/欠序时 = completion − month/12 × 100
      (points ahead of, or behind, the calendar);
    - late starts: the team's signed projects not started whose committed start date is before
      the period's end (or today, if earlier);
    - score: see RANKING.
    """
    from apps.investment.models import Team

    today = today or timezone.localdate()
    start = date(year, 1, 1)
    end = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    month_start = date(year, month, 1)
    signed = (
        Project.objects.filter(signed_on__range=(start, end))
        .values("team")
        .annotate(
            n=Count("pk"),
            n_month=Count("pk", filter=Q(signed_on__gte=month_start)),
            amount=Coalesce(Sum("contract_investment"), ZERO),
            big=Count("pk", filter=Q(contract_investment__gte=10000)),
        )
        .order_by()
    )
    signed = {row["team"]: row for row in signed}
    increases = dict(
        Signing.objects.filter(is_increase=True, signed_on__range=(start, end))
        .values("project__team")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("project__team", "total")
    )
    funds = dict(
        FundsArrival.objects.filter(month__range=(start, end))
        .values("project__team")
        .annotate(total=Sum("fixed_assets") + Sum("working_capital"))
        .order_by()
        .values_list("project__team", "total")
    )
    late_by = min(end, today)
    late = dict(
        Project.objects.filter(status__in=("signed", "registered"), committed_start_on__lt=late_by)
        .values("team")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("team", "n")
    )
    targets = {t.team_id: t for t in AnnualTarget.objects.filter(year=year)}
    weights = ranking_weights()
    calendar = (Decimal(month) * 100 / 12).quantize(Decimal("0.01"))
    rows = []
    for team in Team.objects.order_by("name"):
        done = signed.get(team.pk, {})
        target = targets.get(team.pk)
        row = {
            "team": team,
            "target": target,
            "signings": done.get("n", 0),
            "signings_month": done.get("n_month", 0),
            "big": done.get("big", 0),
            "contract_investment": done.get("amount", ZERO) + (increases.get(team.pk) or ZERO),
            "funds": funds.get(team.pk) or ZERO,
            "late_starts": late.get(team.pk, 0),
        }
        score = Decimal(0)
        for measure in ("signings", "contract_investment", "funds"):
            goal = getattr(target, measure) if target else None
            completion = _pct(row[measure], goal)
            row[f"{measure}_rate"] = completion
            row[f"{measure}_ahead"] = None if completion is None else completion - calendar
            score += weights[measure] * (completion or 0)
        row["score"] = (score - weights["late_start_penalty"] * row["late_starts"]).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
        rows.append(row)
    rows.sort(key=lambda row: (-row["score"], -row["signings"], row["team"].name))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


# --- The chain map (产业链图谱) ----------------------------------------------------------------

CLOSED_PROJECT_STATES = ("lost", "terminated")


def chain_target_list(user):
    """Target enterprises; the linked lead's title only where the user may see the lead."""
    from django.db.models import Case, CharField, F, Value, When

    from apps.investment.models import ChainTarget

    scope = permissions.lead_scope(user)
    visible = Lead.objects.all() if scope is None else Lead.objects.filter(scope)
    return ChainTarget.objects.select_related("chain_node__chain").annotate(
        lead_title=Case(
            When(lead__in=visible.values("pk"), then=F("lead__title")),
            default=Value(""),
            output_field=CharField(),
        ),
        visible_lead_id=Case(When(lead__in=visible.values("pk"), then=F("lead_id")), default=None),
    )


def chain_map(user) -> list[dict]:
    """Each chain of the registry with its nodes upstream → downstream; per node the zone's
    enterprises (not moved out), the leads and open projects in the pipeline the user may see,
    the target enterprises, and its tag: 补链 where the zone has no enterprise on the node,
    强链 where it has; 延链 leads (tagged so) are counted apart. Five queries."""
    from apps.enterprises.models import ChainNode, Enterprise
    from apps.investment.models import ChainTarget

    nodes = list(
        ChainNode.objects.select_related("chain").order_by(
            "chain__sort_order", "chain__id", "position", "id"
        )
    )
    enterprises = dict(
        Enterprise.objects.exclude(status=Enterprise.Status.MOVED_OUT)
        .filter(chain_node__isnull=False)
        .values("chain_node")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("chain_node", "n")
    )
    leads = {
        row["chain_node"]: row
        for row in lead_list(user)
        .filter(merged=False, chain_node__isnull=False)
        .exclude(judgement=Lead.Judgement.DROP)
        .values("chain_node")
        .annotate(n=Count("pk"), extend=Count("pk", filter=Q(chain_role="extend")))
        .order_by()
    }
    projects = {
        row["chain_node"]: row
        for row in project_scoped(user)
        .filter(chain_node__isnull=False)
        .exclude(status__in=CLOSED_PROJECT_STATES)
        .values("chain_node")
        .annotate(n=Count("pk"), signed=Count("pk", filter=Q(signed_on__isnull=False)))
        .order_by()
    }
    targets = {
        row["chain_node"]: row
        for row in ChainTarget.objects.values("chain_node")
        .annotate(n=Count("pk"), linked=Count("lead"))
        .order_by()
    }
    chains: dict[int, dict] = {}
    for node in nodes:
        chain = chains.setdefault(node.chain_id, {"chain": node.chain, "nodes": []})
        existing = enterprises.get(node.pk, 0)
        lead_row = leads.get(node.pk, {})
        project_row = projects.get(node.pk, {})
        target_row = targets.get(node.pk, {})
        chain["nodes"].append(
            {
                "node": node,
                "enterprises": existing,
                "leads": lead_row.get("n", 0),
                "extend_leads": lead_row.get("extend", 0),
                "projects": project_row.get("n", 0),
                "signed": project_row.get("signed", 0),
                "targets": target_row.get("n", 0),
                "targets_linked": target_row.get("linked", 0),
                "tag": "strengthen" if existing else "fill",
            }
        )
    return list(chains.values())


# --- Board and forecast -----------------------------------------------------------------------

BOARD_STAGES = (
    "negotiating",
    "inspecting",
    "reviewing",
    "signed",
    "registered",
    "started",
    "producing",
    "shelved",
)
BOARD_CARDS = 30
BOARD_CARD_FIELDS = (
    "pk",
    "name",
    "status",
    "stage_entered_at",
    "contract_investment",
    "planned_investment",
    "investor__name",
)

# The chance a project in each stage before signing is signed (settings.
# INVESTMENT_STAGE_PROBABILITY overrides any of them).
STAGE_PROBABILITY = {
    "negotiating": Decimal("0.2"),
    "inspecting": Decimal("0.4"),
    "reviewing": Decimal("0.7"),
}


def stage_probability() -> dict[str, Decimal]:
    custom = getattr(settings, "INVESTMENT_STAGE_PROBABILITY", {})
    return {key: Decimal(str(value)) for key, value in {**STAGE_PROBABILITY, **custom}.items()}


def board(projects) -> list[dict]:
    """The pipeline board: per stage its count and its first BOARD_CARDS cards, longest in the
    stage first. Two queries whatever the number of stages (the counts, and the cards through
    a window function)."""
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    counts = dict(
        projects.filter(status__in=BOARD_STAGES)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk", distinct=True))
    )
    # A card shows a name, the investor, two amounts and the time in stage: the list's joins
    # and funds subquery are not read for it.
    shown = (
        Project.objects.filter(pk__in=projects.filter(status__in=BOARD_STAGES).values("pk"))
        .select_related("investor")
        .only(*BOARD_CARD_FIELDS)
    )
    ranked = (
        shown.annotate(
            card_rank=Window(
                RowNumber(), partition_by=[F("status")], order_by=[F("stage_entered_at").asc()]
            )
        )
        # Filtering on the window (Django wraps it in a subquery): only the cards shown are
        # read, not every project before signing.
        .filter(card_rank__lte=BOARD_CARDS)
        .order_by("stage_entered_at", "pk")
    )
    cards: dict[str, list] = {stage: [] for stage in BOARD_STAGES}
    for project in ranked:
        cards[project.status].append(project)
    labels = dict(Project.Status.choices)
    return [
        {
            "stage": stage,
            "label": labels[stage],
            "count": counts.get(stage, 0),
            "cards": cards[stage],
        }
        for stage in BOARD_STAGES
    ]


def forecast(projects, *, today: date | None = None) -> dict:
    """Signings expected by month: open projects before signing with an expected signing
    month, each weighted by its stage's probability (STAGE_PROBABILITY). Amounts are the
    planned total investment (万元). A month already past is shown as overdue."""
    from django.db.models import Case, DecimalField, Value, When

    today = today or timezone.localdate()
    weights = stage_probability()
    probability = Case(
        *[When(status=stage, then=Value(p)) for stage, p in weights.items()],
        default=Value(Decimal(0)),
        output_field=DecimalField(max_digits=4, decimal_places=2),
    )
    open_ = projects.filter(status__in=tuple(weights), expected_signing_month__isnull=False)
    months = list(
        open_.order_by()
        .values("expected_signing_month")
        .annotate(
            n=Count("pk"),
            amount=Coalesce(Sum("planned_investment"), ZERO),
            weighted_count=Coalesce(Sum(probability), ZERO),
            weighted=Coalesce(Sum(probability * Coalesce("planned_investment", ZERO)), ZERO),
        )
        .order_by("expected_signing_month")
    )
    for row in months:
        row["overdue"] = row["expected_signing_month"] < today.replace(day=1)
        row["weighted"] = Decimal(row["weighted"]).quantize(Decimal("0.01"))
        row["weighted_count"] = Decimal(row["weighted_count"]).quantize(Decimal("0.01"))
    unscheduled = projects.filter(
        status__in=tuple(weights), expected_signing_month__isnull=True
    ).count()
    return {"months": months, "unscheduled": unscheduled, "weights": weights}
