"""招商引资's figures (see apps/core/figures.py): signings, contract investment and funds arrived
for the year to the period's month, the rates of the projects signed in it, the pipeline by stage,
the teams' signings, red projects and new leads.

Counting follows apps.investment.selectors.indicators: a project counts once, in the year of its
first signing (`signed_on`); its contract investment is the project's (with its later increases);
funds count in the month they arrived. The rates judge the signed projects' stage today, as the
indicators page does. Zone figures include confidential projects, so they are shown only to who
may read every project (`dashboard.view_investment_figures`: the leadership and the
administrator)."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.figures import PUBLIC, Breakdown, BreakdownRow, Figure, Period
from apps.investment import permissions, selectors
from apps.investment.models import Activity, FundsArrival, Lead, Project, Team

PERMISSION = "dashboard.view_investment_figures"
SECTION_LABELS = {"investment": _("招商引资")}

# 履约 (performing): registered (in approvals) or started or later; 开工: started or later.
STARTED = ("started", "producing", "capacity")
PERFORMING = ("registered", *STARTED)
# The pipeline's open stages, in order (the funnel).
PIPELINE = (
    "negotiating",
    "inspecting",
    "reviewing",
    "signed",
    "registered",
    "started",
    "producing",
    "capacity",
)
ZERO = Decimal(0)


def _signed_q(period: Period, prefix: str = "") -> Q:
    return Q(**{f"{prefix}signed_on__range": (period.year_start, period.last)})


def _investment(period: Period, scope) -> dict:
    """Signed projects and the pipeline (1 query), funds (1), new leads and those past their
    clocks today (1), activities (1).
    The PUBLIC scope leaves confidential projects, their funds and confidential leads out."""
    public = scope == PUBLIC
    projects = _public(Project.objects.all(), public).aggregate(
        signed=Count("pk", filter=_signed_q(period)),
        contract=Coalesce(Sum("contract_investment", filter=_signed_q(period)), ZERO),
        performing=Count("pk", filter=_signed_q(period) & Q(status__in=PERFORMING)),
        started=Count("pk", filter=_signed_q(period) & Q(status__in=STARTED)),
        red=Count("pk", filter=selectors.red_q()),
        **{f"stage_{stage}": Count("pk", filter=Q(status=stage)) for stage in PIPELINE},
    )
    funds = _public(FundsArrival.objects.filter(month__lte=period.last), public, "project__")
    arrived = funds.aggregate(
        ytd=Coalesce(Sum("fixed_assets", filter=Q(month__gte=period.year_start)), ZERO)
        + Coalesce(Sum("working_capital", filter=Q(month__gte=period.year_start)), ZERO),
        on_signed=Coalesce(Sum("fixed_assets", filter=_signed_q(period, "project__")), ZERO)
        + Coalesce(Sum("working_capital", filter=_signed_q(period, "project__")), ZERO),
    )
    leads = _public(Lead.objects.filter(merged=False), public).aggregate(
        new=Count("pk", filter=Q(reported_at__date__range=(period.first, period.last))),
        overdue=Count("pk", filter=selectors.clock_overdue_q()),
    )
    activities = Activity.objects.filter(starts_on__year=period.year).aggregate(
        activities=Count("pk"),
        receptions=Count("pk", filter=Q(kind=Activity.Kind.RECEPTION)),
        trips=Count("pk", filter=Q(kind=Activity.Kind.OUTBOUND)),
    )
    return {**projects, "funds": arrived["ytd"], "funds_on_signed": arrived["on_signed"],
            "leads": leads["new"], "leads_overdue": leads["overdue"], **activities}  # fmt: skip


def _public(queryset, public: bool, prefix: str = ""):
    return queryset.filter(**{f"{prefix}confidential": False}) if public else queryset


def _by_team(period: Period, scope) -> list[BreakdownRow]:
    """The year's signings by team, most first (1 query, teams without signings left out)."""
    signed = _signed_q(period, "projects__")
    if scope == PUBLIC:
        signed &= Q(projects__confidential=False)
    rows = (
        Team.objects.annotate(
            signed=Count("projects", filter=signed),
            contract=Sum("projects__contract_investment", filter=signed),
        )
        .filter(signed__gt=0)
        .order_by("-signed", "-contract", "name")
    )
    return [BreakdownRow(team.name, team.signed, team.signed, {"team": team.pk}) for team in rows]


def _team_scores(ctx) -> list[BreakdownRow]:
    """The 赛马榜 for the year to the period (selectors.team_ranking: each team's completion
    of its targets, less late starts), in rank order: the score is the bar, and the team's
    signings of the year (its list) the rows it links to. The whole zone's data: none in the
    PUBLIC scope (the briefing), whose figures leave confidential projects out."""
    if ctx.scope == PUBLIC:
        return []
    ranking = selectors.team_ranking(year=ctx.period.year, month=ctx.period.month)
    return [
        BreakdownRow(row["team"].name, row["score"], row["signings"], {"team": row["team"].pk})
        for row in ranking
    ]


# The pipeline's red projects listed on the dashboard (the red figure counts all of them).
RED_LISTED = 10


def _red_rows(ctx) -> list[BreakdownRow]:
    """The projects furthest past their stage's red line today, the first RED_LISTED, each
    with its stage and days (1 query; the red lines differ by stage, so the order is taken
    here). Confidential projects are counted by the figure but never named."""
    today = timezone.localdate()
    labels = dict(Project.Status.choices)
    limits = selectors.stage_days()
    red = Project.objects.filter(selectors.red_q(today), confidential=False).only(
        "pk", "name", "status", "stage_entered_at"
    )
    past = sorted(
        (
            (selectors.days_in_stage(project, today), project)
            for project in red.order_by("stage_entered_at", "pk")
        ),
        key=lambda pair: -(pair[0] - limits[pair[1].status][1]),
    )
    return [
        BreakdownRow(
            project.name,
            None,
            1,
            {"red": "true", "id": project.pk},
            note=_("%(stage)s阶段已停留%(days)d天（红灯线%(red)d天）")
            % {"stage": labels[project.status], "days": days, "red": limits[project.status][1]},
        )
        for days, project in past[:RED_LISTED]
    ]


# The leads past their clocks listed on the dashboard (the figure counts all of them).
LEADS_LISTED = 10
# What selectors.clock() reads of a lead, and its title.
CLOCK_FIELDS = (
    "pk",
    "title",
    "reported_at",
    "owner_id",
    "claimed_at",
    "judged_at",
    "merged",
    "judgement",
    "channel",
    "referrer_feedback_on",
)


def _overdue_lead_rows(ctx) -> list[BreakdownRow]:
    """The leads past their assignment or judgement clock today, reported longest ago first
    (the furthest past their clocks), the first LEADS_LISTED, each with the clock it is past
    and by how many days (1 query). Confidential leads are counted by the figure but never
    named."""
    today = timezone.localdate()
    leads = (
        Lead.objects.filter(selectors.clock_overdue_q(today), confidential=False)
        .only(*CLOCK_FIELDS)
        .order_by("reported_at", "pk")[:LEADS_LISTED]
    )
    rows = []
    for lead in leads:
        clocks = selectors.clock(lead, today)
        late = [
            _("%(clock)s超时%(days)d天") % {"clock": label, "days": clocks[key]["days_over"]}
            for key, label in (("owner", _("未分派")), ("judgement", _("未研判")))
            if clocks[key]["overdue"]
        ]
        rows.append(
            BreakdownRow(
                lead.title, None, 1, {"clock": "overdue", "id": lead.pk}, note="，".join(late)
            )
        )
    return rows


def _signed(period: Period) -> dict:
    return {"signed_from": period.year_start.isoformat(), "signed_to": period.last.isoformat()}


def _signed_in(states):
    def filters(period: Period) -> dict:
        return {**_signed(period), "status": list(states)}

    return filters


def _funds(period: Period) -> dict:
    return {"month_from": period.year_start.isoformat(), "month_to": period.last.isoformat()}


def _funds_on_signed(period: Period) -> dict:
    return {**_signed(period), "month_to": period.last.isoformat()}


def _value(key):
    return lambda ctx: ctx.source(_investment)[key]


def _pipeline(ctx) -> list[BreakdownRow]:
    values = ctx.source(_investment)
    labels = dict(Project.Status.choices)
    return [
        BreakdownRow(
            str(labels[stage]),
            values[f"stage_{stage}"],
            values[f"stage_{stage}"],
            {"status": stage},
        )
        for stage in PIPELINE
    ]


_PROJECTS = {"api_list": "investment-project-list", "page": "investment:project_list"}
_ACTIVITIES = {"api_list": "investment-activity-list", "page": "investment:activity_list"}
_LEADS = {"api_list": "investment-lead-list", "page": "investment:lead_list"}
_FUNDS = {"api_list": "investment-fundsarrival-list", "page": "investment:funds_arrival_list"}

FIGURES = [
    Figure(
        code="investment_signed",
        label=_("签约项目（累计）"),
        unit=_("个"),
        definition=_("当年1月至该月首次签约的招商项目数（一个项目只在首次签约时计一次）"),
        section="investment",
        compute=_value("signed"),
        filters=_signed,
        target="cumulative",
        order=10,
        permission=PERMISSION,
        **_PROJECTS,
    ),
    Figure(
        code="investment_contract",
        label=_("合同投资（累计）"),
        unit=_("万元"),
        definition=_("上述签约项目的合同投资之和（含其后增资）"),
        section="investment",
        compute=_value("contract"),
        filters=_signed,
        sum_field="contract_investment",
        target="cumulative",
        order=11,
        permission=PERMISSION,
        **_PROJECTS,
    ),
    Figure(
        code="investment_funds",
        label=_("到位资金（累计）"),
        unit=_("万元"),
        definition=_("当年1月至该月各月登记的到位资金（固定资产与流动资金）之和"),
        section="investment",
        compute=_value("funds"),
        filters=_funds,
        sum_field="total",
        target="cumulative",
        order=12,
        permission=PERMISSION,
        **_FUNDS,
    ),
    Figure(
        code="investment_performance_rate",
        label=_("履约率"),
        unit="%",
        definition=_("当年签约项目中已注册（报批中）、开工、投产或达产的比例（按今日阶段）"),
        section="investment",
        ratio=("share", "investment_signed_performing", "investment_signed"),
        target="level",
        order=13,
        permission=PERMISSION,
    ),
    Figure(
        code="investment_start_rate",
        label=_("开工率"),
        unit="%",
        definition=_("当年签约项目中已开工、投产或达产的比例（按今日阶段）"),
        section="investment",
        ratio=("share", "investment_signed_started", "investment_signed"),
        target="level",
        order=14,
        permission=PERMISSION,
    ),
    Figure(
        code="investment_funds_rate",
        label=_("资金到位率"),
        unit="%",
        definition=_("当年签约项目截至该月末的到位资金 ÷ 其合同投资"),
        section="investment",
        ratio=("share", "investment_funds_on_signed", "investment_contract"),
        target="level",
        order=15,
        permission=PERMISSION,
    ),
    Figure(
        code="investment_red_projects",
        label=_("停留超期项目（红灯）"),
        unit=_("个"),
        definition=_("在当前阶段停留超过该阶段红灯天数的项目（按今日）"),
        section="investment",
        compute=_value("red"),
        filters=lambda period: {"red": "true"},
        current=True,
        order=16,
        permission=PERMISSION,
        **_PROJECTS,
    ),
    Figure(
        code="investment_leads_new",
        label=_("新增线索"),
        unit=_("条"),
        definition=_("该月首报的招商线索数（不含已合并的重复线索）"),
        section="investment",
        compute=_value("leads"),
        api_list="investment-lead-list",
        filters=lambda period: {
            "reported_from": period.first.isoformat(),
            "reported_to": period.last.isoformat(),
        },
        page="investment:lead_list",
        order=17,
        permission=PERMISSION,
    ),
    Figure(
        code="investment_leads_overdue",
        label=_("分派或研判超时线索"),
        unit=_("条"),
        definition=_("今天已超过分派或研判时限（按工作日）、尚未研判的线索"),
        section="investment",
        compute=_value("leads_overdue"),
        **_LEADS,
        filters=lambda period: {"clock": "overdue"},
        current=True,
        order=18,
        permission=PERMISSION,
    ),
    Figure(
        code="investment_activities",
        label=_("招商活动（全年）"),
        unit=_("场"),
        definition=_("该年度开始的招商活动（外出招商、来访接待、驻地招商、推介会、展会）"),
        section="investment",
        compute=_value("activities"),
        filters=lambda period: {"year": period.year},
        order=18,
        permission="investment.view_activity",
        **_ACTIVITIES,
    ),
    Figure(
        code="investment_receptions",
        label=_("来访接待（全年）"),
        unit=_("场"),
        definition=_("该年度开始的来访接待活动"),
        section="investment",
        compute=_value("receptions"),
        filters=lambda period: {"year": period.year, "kind": Activity.Kind.RECEPTION.value},
        order=19,
        permission="investment.view_activity",
        **_ACTIVITIES,
    ),
    Figure(
        code="investment_trips",
        label=_("外出招商（全年）"),
        unit=_("次"),
        definition=_("该年度开始的外出招商活动"),
        section="investment",
        compute=_value("trips"),
        filters=lambda period: {"year": period.year, "kind": Activity.Kind.OUTBOUND.value},
        order=20,
        permission="investment.view_activity",
        **_ACTIVITIES,
    ),
    Figure(
        code="investment_signed_performing",
        label=_("履约项目"),
        unit=_("个"),
        definition=_("当年签约项目中已注册、开工、投产或达产的项目数"),
        section=None,
        compute=_value("performing"),
        filters=_signed_in(PERFORMING),
        permission=PERMISSION,
        **_PROJECTS,
    ),
    Figure(
        code="investment_signed_started",
        label=_("开工项目"),
        unit=_("个"),
        definition=_("当年签约项目中已开工、投产或达产的项目数"),
        section=None,
        compute=_value("started"),
        filters=_signed_in(STARTED),
        permission=PERMISSION,
        **_PROJECTS,
    ),
    Figure(
        code="investment_funds_on_signed",
        label=_("签约项目到位资金"),
        unit=_("万元"),
        definition=_("当年签约项目截至该月末的到位资金之和"),
        section=None,
        compute=_value("funds_on_signed"),
        filters=_funds_on_signed,
        sum_field="total",
        permission=PERMISSION,
        **_FUNDS,
    ),
]

BREAKDOWNS = [
    Breakdown(
        code="investment_pipeline",
        label=_("招商项目阶段漏斗"),
        unit=_("个"),
        definition=_("各阶段的在谈及在建招商项目数（按今日阶段）"),
        section="investment",
        rows=_pipeline,
        chart="funnel",
        current=True,
        permission=PERMISSION,
        order=10,
        **_PROJECTS,
    ),
    Breakdown(
        code="investment_by_team",
        label=_("招商小组签约排名"),
        unit=_("个"),
        definition=_("当年1月至该月各招商小组首次签约的项目数"),
        section="investment",
        rows=lambda ctx: ctx.source(_by_team),
        filters=_signed,
        permission=PERMISSION,
        order=20,
        **_PROJECTS,
    ),
    Breakdown(
        code="investment_team_scores",
        label=_("招商小组赛马榜（得分）"),
        unit=_("分"),
        definition=_(
            "当年1月至该月各招商小组的赛马得分：签约、合同投资、到位资金完成率加权，"
            "减逾期未开工扣分（与赛马榜页面同一口径）"
        ),
        section="investment",
        rows=_team_scores,
        filters=_signed,
        permission=PERMISSION,
        order=25,
        # The bar is the score: it opens the 赛马榜 of the period, which shows it; the team's
        # signings of the year (the API list) are the rows its count counts.
        api_list=_PROJECTS["api_list"],
        page="investment:ranking",
        page_filters=lambda period: {"year": period.year, "month": period.month},
    ),
    Breakdown(
        code="investment_overdue_leads",
        label=_("分派或研判超时线索"),
        unit=_("条"),
        definition=_("今天已超过分派或研判时限的线索（首报最早的前10条，不含保密线索）"),
        section="investment",
        rows=_overdue_lead_rows,
        chart="list",
        current=True,
        permission=PERMISSION,
        reads_rows=lambda user: permissions.lead_scope(user) is None,
        order=28,
        **_LEADS,
    ),
    Breakdown(
        code="investment_red_list",
        label=_("停留超期项目及天数"),
        unit=_("个"),
        definition=_("超过所在阶段红灯天数最多的项目（前10个，不含保密项目，按今日）"),
        section="investment",
        rows=_red_rows,
        chart="list",
        current=True,
        permission=PERMISSION,
        reads_rows=lambda user: permissions.project_scope(user) is None,
        order=30,
        **_PROJECTS,
    ),
]
