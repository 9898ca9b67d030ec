"""The 招商 report pages: annual targets and the team ranking (赛马榜), the chain map, the
weekly ledger and the monthly 通报, the pipeline board and the signings forecast. Reads only:
each page calls selectors and writes its Excel through apps.core.excel."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core import figures
from apps.core.excel import xlsx_response
from apps.core.lists import Col, FilterForm, status_badge
from apps.core.views import ListPage, WorkflowActionView, form_page, workflow_panel
from apps.investment import filters, forms, layouts, selectors, services

_l = gettext_lazy


def year_month(request, *, default_month=None) -> tuple[int, int]:
    """The period asked for (?year=&month=), bounded; bad input falls back to today's."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    try:
        month = int(request.GET.get("month") or default_month or today.month)
    except ValueError:
        month = today.month
    year = min(max(year, 2000), 2100)
    month = min(max(month, 1), 12)
    if year == today.year and month > today.month and "month" not in request.GET:
        month = today.month
    return year, month


# --- Annual targets ---------------------------------------------------------------------------


class AnnualTargetListView(ListPage):
    permission_required = "investment.view_annualtarget"
    filterset_class = filters.AnnualTargetFilter
    filter_form = FilterForm(primary=("q", "year"))
    title = _l("年度招商目标")
    export_filename = _l("年度招商目标")
    columns = [
        Col(_l("年度"), "year", fmt="int", card="badge", width=8),
        Col(_l("招商小组"), "team.name", card="title", width=20),
        Col(_l("签约项目目标（个）"), "signings", fmt="int", css="text-end", width=12),
        Col(_l("合同投资目标（万元）"), "contract_investment", fmt="amount", css="text-end"),
        Col(_l("到位资金目标（万元）"), "funds", fmt="amount", css="text-end"),
    ]

    def get_base_queryset(self):
        return selectors.annual_target_list()


# --- The team ranking (赛马榜) ----------------------------------------------------------------


def _rate(key):
    return lambda row: row[key]


RANKING_COLUMNS = [
    Col(_l("名次"), _rate("rank"), fmt="int", width=6),
    Col(_l("招商小组"), lambda row: row["team"].name, width=20),
    Col(_l("当月签约（个）"), _rate("signings_month"), fmt="int", width=10),
    Col(_l("累计签约（个）"), _rate("signings"), fmt="int", width=10),
    Col(_l("签约目标（个）"), lambda r: r["target"].signings if r["target"] else None, fmt="int"),
    Col(_l("签约完成率"), _rate("signings_rate"), fmt="percent", width=10),
    Col(_l("签约超/欠序时（百分点）"), _rate("signings_ahead"), width=12),
    Col(_l("合同投资（万元）"), _rate("contract_investment"), fmt="amount", width=14),
    Col(
        _l("合同投资目标（万元）"),
        lambda r: r["target"].contract_investment if r["target"] else None,
        fmt="amount",
    ),
    Col(_l("合同投资完成率"), _rate("contract_investment_rate"), fmt="percent", width=10),
    Col(_l("合同投资超/欠序时（百分点）"), _rate("contract_investment_ahead"), width=12),
    Col(_l("到位资金（万元）"), _rate("funds"), fmt="amount", width=14),
    Col(
        _l("到位资金目标（万元）"),
        lambda r: r["target"].funds if r["target"] else None,
        fmt="amount",
    ),
    Col(_l("到位资金完成率"), _rate("funds_rate"), fmt="percent", width=10),
    Col(_l("超期未开工（个）"), _rate("late_starts"), fmt="int", width=10),
    Col(_l("得分"), _rate("score"), width=8),
]


@login_required
@permission_required("investment.view_annualtarget", raise_exception=True)
def ranking(request):
    year, month = year_month(request)
    rows = selectors.team_ranking(year=year, month=month)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            filename=_("赛马榜%(year)s年1-%(month)s月") % {"year": year, "month": month},
            sheet_title=_("赛马榜"),
            columns=RANKING_COLUMNS,
            rows=rows,
        )
    today = timezone.localdate()
    return render(
        request,
        "investment/ranking.html",
        {
            "rows": rows,
            "year": year,
            "month": month,
            "years": range(today.year, 2022, -1),
            "months": range(1, 13),
            "calendar": round(month * 100 / 12, 2),
            "weights": selectors.ranking_weights(),
            "print": request.GET.get("print") == "1",
        },
    )


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)


# --- The chain map (产业链图谱) and its target enterprises -------------------------------------


def _lead_link(target):
    if not target.visible_lead_id:
        return ""
    return reverse("investment:lead_detail", args=[target.visible_lead_id])


class ChainTargetListView(ListPage):
    permission_required = "investment.view_chaintarget"
    filterset_class = filters.ChainTargetFilter
    filter_form = FilterForm(primary=("q", "chain", "role"))
    title = _l("招商目标企业")
    export_filename = _l("招商目标企业")
    create_url = reverse_lazy("investment:chain_target_create")
    create_perm = "investment.add_chaintarget"
    create_label = _l("登记目标企业")
    columns = [
        Col(_l("目标企业"), "name", card="title", width=30),
        Col(_l("产业链"), "chain_node.chain.name", card="line", width=16),
        Col(_l("产业链环节"), "chain_node.name", card="line", width=16),
        Col(_l("链条作用"), "get_role_display", card="badge", width=8),
        Col(_l("所在地"), lambda t: f"{t.province}{t.city}", card="meta", width=14),
        Col(_l("对应线索"), "lead_title", link=_lead_link, card="meta", width=30),
        Col(_l("说明"), "note", card=None, width=30),
    ]

    def get_base_queryset(self):
        return selectors.chain_target_list(self.request.user)


@login_required
@permission_required("investment.add_chaintarget", raise_exception=True)
def chain_target_create(request):
    initial = {}
    if request.GET.get("chain_node", "").isdigit():
        initial["chain_node"] = int(request.GET["chain_node"])
    return form_page(
        request,
        form=forms.ChainTargetForm(request.POST or None, user=request.user, initial=initial),
        save=lambda data: services.chain_target_save(by=request.user, **data),
        success=lambda target: (
            _("目标企业已登记"),
            reverse("investment:chain_target_list") + f"?chain_node={target.chain_node_id}",
        ),
        template="investment/form.html",
        context={"title": _("登记招商目标企业")},
    )


TAG_LABELS = {"strengthen": gettext_lazy("强链"), "fill": gettext_lazy("补链")}


@login_required
@permission_required("investment.view_chaintarget", raise_exception=True)
def chain_map(request):
    chains = selectors.chain_map(request.user)
    tree = [
        {
            "name": item["chain"].name,
            "children": [
                {
                    "name": node["node"].name,
                    "value": node["enterprises"],
                    "tag": str(TAG_LABELS[node["tag"]]),
                    "leads": node["leads"],
                    "targets": node["targets"],
                }
                for node in item["nodes"]
            ],
        }
        for item in chains
    ]
    return render(
        request,
        "investment/chain_map.html",
        {"chains": chains, "tree": tree, "tag_labels": TAG_LABELS},
    )


# --- The ledger (招商项目台账) and the monthly bulletin (招商通报) --------------------------------


def _g(key):
    return lambda row: row[key]


LEDGER_GROUPS = [
    layouts.Group(_l("序号"), [Col(_l("序号"), "ledger_index", width=6)]),
    layouts.Group(_l("项目名称"), [Col(_l("项目名称"), "name", width=30)]),
    layouts.Group(
        _l("投资方"),
        [
            Col(_l("名称"), "investor.name", width=28),
            Col(_l("来源地"), "investor.origin", width=12),
        ],
    ),
    layouts.Group(_l("产业链环节"), [Col(_l("产业链环节"), "chain_node", width=16)]),
    layouts.Group(
        _l("投资额（万元）"),
        [
            Col(_l("拟总投资"), "planned_investment", fmt="amount", width=12),
            Col(_l("固定资产投资"), "fixed_asset_investment", fmt="amount", width=12),
            Col(_l("合同投资"), "contract_investment", fmt="amount", width=12),
        ],
    ),
    layouts.Group(_l("用地（亩）"), [Col(_l("用地（亩）"), "land_mu", fmt="amount", width=10)]),
    layouts.Group(
        _l("进展"),
        [
            Col(_l("阶段"), "get_status_display", width=10),
            Col(_l("本阶段天数"), selectors.days_in_stage, fmt="int", width=10),
            Col(_l("首次签约"), "signed_on", width=12),
            Col(_l("承诺开工"), "committed_start_on", width=12),
        ],
    ),
    layouts.Group(
        _l("到位资金（万元）"), [Col(_l("到位资金（万元）"), "funds_total", fmt="amount")]
    ),
    layouts.Group(
        _l("责任"),
        [
            Col(_l("小组"), "team.name", width=14),
            Col(_l("负责人"), "owner.get_full_name", width=10),
        ],
    ),
]
LEDGER_SUMS = ("拟总投资", "固定资产投资", "合同投资", "用地（亩）", "到位资金（万元）")


@login_required
@permission_required("investment.view_project", raise_exception=True)
def ledger(request):
    """招商项目台账: the project list's rows (same filters and scope) in the customary layout."""
    filterset = filters.ProjectFilter(
        request.GET or None, queryset=selectors.project_list(request.user), request=request
    )
    rows = list(filterset.qs[:5000])
    for index, row in enumerate(rows, start=1):
        row.ledger_index = index
    today = timezone.localdate()
    title = _("招商项目台账（截至 %(day)s）") % {"day": today.isoformat()}
    table = layouts.Table(groups=LEDGER_GROUPS, rows=rows, sums=LEDGER_SUMS, total_label=_("合计"))
    if request.GET.get("export") == "xlsx":
        return layouts.response(filename=_("招商项目台账"), title=title, tables=[table])
    filterset.form.is_valid()
    query = request.GET.copy()
    query.pop("export", None)
    query.pop("print", None)
    return render(
        request,
        "investment/layout_page.html",
        {
            "title": title,
            "tables": [table],
            "print": request.GET.get("print") == "1",
            "querystring": query.urlencode(),
            "filter": filterset,
        },
    )


LEAD_LEDGER_GROUPS = [
    layouts.Group(_l("序号"), [Col(_l("序号"), "ledger_index", width=6)]),
    layouts.Group(_l("项目名称"), [Col(_l("项目名称"), "title", width=30)]),
    layouts.Group(
        _l("客商"),
        [
            Col(_l("名称"), "investor.name", width=28),
            Col(_l("来源地"), "investor.origin", width=12),
        ],
    ),
    layouts.Group(_l("产业链环节"), [Col(_l("产业链环节"), "chain_node", width=16)]),
    layouts.Group(
        _l("信息来源"),
        [
            Col(_l("渠道"), "get_channel_display", width=10),
            Col(_l("引荐人"), "referrer", width=10),
        ],
    ),
    layouts.Group(
        _l("投资额（万元）"),
        [
            Col(_l("拟总投资"), "planned_investment", fmt="amount", width=12),
            Col(_l("固定资产投资"), "fixed_asset_investment", fmt="amount", width=12),
        ],
    ),
    layouts.Group(_l("用地（亩）"), [Col(_l("用地（亩）"), "land_mu", fmt="amount", width=10)]),
    layouts.Group(
        _l("首报"),
        [
            Col(_l("首报人"), "reported_by.get_full_name", width=10),
            Col(_l("首报时间"), "reported_at", width=16),
        ],
    ),
    layouts.Group(
        _l("研判"),
        [
            Col(_l("结论"), "get_judgement_display", width=8),
            Col(
                _l("研判时限"),
                lambda lead: (
                    selectors.judgement_due_on(lead) if lead.judgement == "pending" else None
                ),
                width=12,
            ),
        ],
    ),
    layouts.Group(
        _l("责任"),
        [
            Col(_l("小组"), "team", width=14),
            Col(
                _l("负责人"),
                lambda lead: lead.owner.get_full_name() if lead.owner else _("公海池"),
                width=10,
            ),
        ],
    ),
    layouts.Group(_l("最近跟进"), [Col(_l("最近跟进"), "last_follow_up_on", width=12)]),
]
LEAD_LEDGER_SUMS = ("拟总投资", "固定资产投资", "用地（亩）")


@login_required
@permission_required("investment.view_lead", raise_exception=True)
def lead_ledger(request):
    """线索台账 (weekly): the lead list's rows (same filters and scope) in the customary layout."""
    filterset = filters.LeadFilter(
        request.GET or None,
        queryset=selectors.lead_list(request.user).filter(merged=False),
        request=request,
    )
    rows = list(filterset.qs[:5000])
    for index, row in enumerate(rows, start=1):
        row.ledger_index = index
    title = _("招商线索台账（截至 %(day)s）") % {"day": timezone.localdate().isoformat()}
    table = layouts.Table(
        groups=LEAD_LEDGER_GROUPS, rows=rows, sums=LEAD_LEDGER_SUMS, total_label=_("合计")
    )
    if request.GET.get("export") == "xlsx":
        return layouts.response(filename=_("招商线索台账"), title=title, tables=[table])
    query = request.GET.copy()
    query.pop("export", None)
    query.pop("print", None)
    return render(
        request,
        "investment/layout_page.html",
        {
            "title": title,
            "tables": [table],
            "print": request.GET.get("print") == "1",
            "querystring": query.urlencode(),
        },
    )


def _growth(now, before):
    if not before:
        return None
    return ((Decimal(now) - Decimal(before)) * 100 / Decimal(before)).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )


def bulletin_tables(*, user, year: int, month: int) -> list[layouts.Table]:
    """The monthly 招商通报: the headline figures (month, year to date, a year before, growth,
    against the zone's annual targets, the dashboard's, through apps.core.figures), the teams'
    ranking (each against its own target), and the month's signings."""
    end = month_end(year, month)
    month_figures = selectors.indicators(start=datetime.date(year, month, 1), end=end)
    ytd = selectors.indicators(start=datetime.date(year, 1, 1), end=end)
    last = selectors.indicators(start=datetime.date(year - 1, 1, 1), end=month_end(year - 1, month))
    targets = figures.year_targets(year)
    calendar = (Decimal(month) * 100 / 12).quantize(Decimal("0.01"))
    lines = []
    for key, label, target_key in (
        ("signed_count", _("新签约项目（个）"), "investment_signed"),
        ("contract_investment", _("合同投资（万元）"), "investment_contract"),
        ("big_count", _("其中亿元以上项目（个）"), None),
        ("funds", _("到位资金（万元）"), "investment_funds"),
    ):
        target = targets.get(target_key) if target_key else None
        rate = selectors.percent(ytd[key], target)
        lines.append(
            {
                "label": label,
                "month": month_figures[key],
                "ytd": ytd[key],
                "last": last[key],
                "growth": _growth(ytd[key], last[key]),
                "target": target,
                "rate": rate,
                "ahead": None if rate is None else rate - calendar,
            }
        )
    headline = layouts.Table(
        subtitle=_("一、主要指标"),
        groups=[
            layouts.Group(_l("指标"), [Col(_l("指标"), _g("label"), width=24)]),
            layouts.Group(
                _l("完成情况"),
                [
                    Col(_l("本月"), _g("month"), width=12),
                    Col(_l("本年累计"), _g("ytd"), width=12),
                ],
            ),
            layouts.Group(
                _l("同比"),
                [
                    Col(_l("上年同期"), _g("last"), width=12),
                    Col(_l("增长（%）"), _g("growth"), width=10),
                ],
            ),
            layouts.Group(
                _l("年度目标"),
                [
                    Col(_l("目标"), _g("target"), width=12),
                    Col(_l("完成率（%）"), _g("rate"), width=10),
                    Col(_l("超/欠序时（百分点）"), _g("ahead"), width=12),
                ],
            ),
        ],
        rows=lines,
    )
    ranking_rows = selectors.team_ranking(year=year, month=month)
    teams = layouts.Table(
        subtitle=_("二、各小组完成情况（赛马榜）"),
        groups=[
            layouts.Group(_l("名次"), [Col(_l("名次"), _g("rank"), width=6)]),
            layouts.Group(_l("小组"), [Col(_l("小组"), lambda r: r["team"].name, width=20)]),
            layouts.Group(
                _l("签约项目（个）"),
                [
                    Col(_l("本月"), _g("signings_month")),
                    Col(_l("累计"), _g("signings")),
                    Col(_l("完成率（%）"), _g("signings_rate")),
                ],
            ),
            layouts.Group(
                _l("合同投资（万元）"),
                [
                    Col(_l("累计"), _g("contract_investment")),
                    Col(_l("完成率（%）"), _g("contract_investment_rate")),
                ],
            ),
            layouts.Group(
                _l("到位资金（万元）"),
                [Col(_l("累计"), _g("funds")), Col(_l("完成率（%）"), _g("funds_rate"))],
            ),
            layouts.Group(_l("得分"), [Col(_l("得分"), _g("score"))]),
        ],
        rows=ranking_rows,
    )
    signed = list(
        selectors.project_list(user)
        .filter(signed_on__range=(datetime.date(year, month, 1), end))
        .order_by("signed_on", "pk")
    )
    for index, row in enumerate(signed, start=1):
        row.ledger_index = index
    signings = layouts.Table(
        subtitle=_("三、本月新签约项目"),
        groups=[
            layouts.Group(_l("序号"), [Col(_l("序号"), "ledger_index", width=6)]),
            layouts.Group(_l("项目名称"), [Col(_l("项目名称"), "name", width=30)]),
            layouts.Group(_l("投资方"), [Col(_l("投资方"), "investor.name", width=28)]),
            layouts.Group(_l("签约日期"), [Col(_l("签约日期"), "signed_on", width=12)]),
            layouts.Group(
                _l("合同投资（万元）"),
                [Col(_l("合同投资（万元）"), "contract_investment", fmt="amount")],
            ),
            layouts.Group(_l("小组"), [Col(_l("小组"), "team.name", width=14)]),
        ],
        rows=signed,
        sums=("合同投资（万元）",),
        total_label=_("合计"),
    )
    return [headline, teams, signings]


@login_required
@permission_required("investment.view_annualtarget", raise_exception=True)
def bulletin(request):
    year, month = year_month(request)
    tables = bulletin_tables(user=request.user, year=year, month=month)
    title = _("%(year)s年1-%(month)s月招商引资工作通报") % {"year": year, "month": month}
    note = _("签约、合同投资、到位资金按全区统计；本月新签约项目仅列出您可见的项目。")
    if request.GET.get("export") == "xlsx":
        return layouts.response(filename=title, title=title, tables=tables, note=note)
    today = timezone.localdate()
    return render(
        request,
        "investment/layout_page.html",
        {
            "title": title,
            "note": note,
            "tables": tables,
            "print": request.GET.get("print") == "1",
            "querystring": f"year={year}&month={month}",
            "period": {"year": year, "month": month},
            "years": range(today.year, 2022, -1),
            "months": range(1, 13),
        },
    )


# --- The board and the forecast ---------------------------------------------------------------


@login_required
@permission_required("investment.view_project", raise_exception=True)
def project_board(request):
    """The pipeline board: a column per stage (a list on a phone), the project list's filters."""
    filterset = filters.ProjectFilter(
        request.GET or None, queryset=selectors.project_list(request.user), request=request
    )
    team = filterset.form.fields["team"]
    team.widget.attrs.update({"class": "form-select form-select-sm", "aria-label": _("招商小组")})
    team.empty_label = _("全部小组")
    columns = selectors.board(filterset.qs)
    for column in columns:
        column["cards"] = [
            {"project": p, "days": selectors.days_in_stage(p), "light": selectors.stage_light(p)}
            for p in column["cards"]
        ]
    filterset.form.is_valid()
    query = request.GET.copy()
    return render(
        request,
        "investment/board.html",
        {
            "columns": columns,
            "filter": filterset,
            "querystring": query.urlencode(),
            "limit": selectors.BOARD_CARDS,
            # Cards are dragged by those who move projects (the server checks each move).
            "movable": request.user.has_perm("investment.change_project"),
        },
    )


FORECAST_COLUMNS = [
    Col(_l("预计签约月份"), lambda r: r["expected_signing_month"].strftime("%Y-%m"), width=12),
    Col(_l("项目数"), _g("n"), fmt="int", width=8),
    Col(_l("加权项目数"), _g("weighted_count"), width=10),
    Col(_l("拟总投资（万元）"), _g("amount"), fmt="amount", width=14),
    Col(_l("加权投资（万元）"), _g("weighted"), fmt="amount", width=14),
    Col(_l("已逾期"), _g("overdue"), width=8),
]


@login_required
@permission_required("investment.view_lead", raise_exception=True)
def forecast(request):
    """Signings expected by month, weighted by stage probability, over the projects the user
    may see (the same scope as the project list)."""
    projects = selectors.project_scoped(request.user)
    result = selectors.forecast(projects)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            filename=_("签约预测"),
            sheet_title=_("签约预测"),
            columns=FORECAST_COLUMNS,
            rows=result["months"],
        )
    return render(request, "investment/forecast.html", {"forecast": result})


# --- Resident teams' monthly reports (驻地招商月报) -------------------------------------------


def _report_url(report):
    return reverse("investment:resident_report_detail", args=[report.pk])


REPORT_COLOURS = {"submitted": "primary", "returned": "danger", "accepted": "success"}


class ResidentReportListView(ListPage):
    permission_required = "investment.view_residentreport"
    filterset_class = filters.ResidentReportFilter
    filter_form = FilterForm(primary=("q", "status", "year"))
    title = _l("驻地招商月报")
    export_filename = _l("驻地招商月报")
    create_url = reverse_lazy("investment:resident_report_create")
    create_perm = "investment.add_residentreport"
    create_label = _l("报送月报")
    columns = [
        Col(_l("小分队"), "team.name", link=_report_url, card="title", width=20),
        Col(_l("月份"), lambda r: r.month.strftime("%Y-%m"), card="line", width=10),
        Col(_l("驻地城市"), "team.city", card="meta", width=10),
        Col(_l("在岗人数"), "people", fmt="int", css="text-end", width=8),
        Col(_l("驻地天数"), "days_on_site", fmt="int", css="text-end", width=8),
        Col(_l("走访企业（家次）"), "visits", fmt="int", css="text-end", width=10),
        Col(_l("走访去向"), "destinations", card=None, width=24),
        Col(
            _l("状态"),
            "get_status_display",
            display=status_badge(REPORT_COLOURS),
            card="badge",
            width=8,
        ),
    ]

    def get_base_queryset(self):
        return selectors.resident_report_list(self.request.user)


@login_required
@permission_required("investment.add_residentreport", raise_exception=True)
def resident_report_create(request):
    return form_page(
        request,
        form=forms.ResidentReportForm(request.POST or None, user=request.user),
        save=lambda data: services.resident_report_create(by=request.user, **data),
        success=lambda report: (_("月报已报送"), _report_url(report)),
        template="investment/form.html",
        context={"title": _("报送驻地招商月报")},
    )


def _visible_report(request, pk):
    return get_object_or_404(selectors.resident_report_list(request.user), pk=pk)


def _report_context(request, report):
    return {
        "report": report,
        "events": services.RESIDENT_REPORT_WORKFLOW.events(report),
    }


@login_required
@permission_required("investment.view_residentreport", raise_exception=True)
def resident_report_detail(request, pk: int):
    report = _visible_report(request, pk)
    context = _report_context(request, report)
    context.update(workflow_panel(services.RESIDENT_REPORT_WORKFLOW, request.user, report))
    return render(request, "investment/resident_report_detail.html", context)


class ResidentReportTransitionView(WorkflowActionView):
    workflow = services.RESIDENT_REPORT_WORKFLOW
    template_name = "investment/resident_report_detail.html"
    view_permission = "investment.view_residentreport"

    def get_object(self):
        return _visible_report(self.request, self.kwargs["pk"])

    def get_context(self, obj):
        return _report_context(self.request, obj)

    def success_url(self, obj):
        return _report_url(obj)
