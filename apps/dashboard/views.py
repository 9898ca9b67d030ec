from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.core.figures import Period
from apps.core.lists import Col, FilterForm
from apps.core.views import ListPage
from apps.dashboard import filters, permissions, selectors

# The wall screen reloads itself this often (seconds).
WALL_REFRESH_SECONDS = 300

# Each section's trend chart, shown with the section (its figures decide who sees it).
TRENDS = {
    "economy": selectors.output_trend,
    "investment": selectors.investment_trend,
}


def chosen_period(request) -> tuple[Period, Period, str]:
    """(the chosen period, the latest with data, an error) from ?period=YYYY-MM."""
    latest = selectors.latest_period()
    text = request.GET.get("period", "")
    if not text:
        return latest, latest, ""
    try:
        return Period.parse(text), latest, ""
    except ValueError:
        return latest, latest, _("月份格式应为 2023-11，已显示最近有数据的月份")


def build_sections(*, period: Period, user) -> list[dict]:
    """The dashboard's sections the user may see: figures, breakdowns and the trend of each."""
    rows = selectors.dashboard_rows(period=period, user=user)
    charts = selectors.dashboard_breakdowns(period=period, user=user)
    codes = {row.figure.section for row in rows} | {c.breakdown.section for c in charts}
    sections = []
    for code in selectors.ordered_sections(codes):
        figures = [row for row in rows if row.figure.section == code]
        trend = TRENDS[code](period=period) if code in TRENDS and figures else None
        sections.append(
            {
                "code": code,
                "label": selectors.section_label(code),
                "rows": figures,
                "charts": [c for c in charts if c.breakdown.section == code],
                "trend": trend,
                "trend_id": f"trend-{code}",
                "headline": selectors.economy_headline(figures, period)
                if code == "economy"
                else "",
            }
        )
    return sections


@login_required
def dashboard(request):
    if not permissions.may_open(request.user):
        raise PermissionDenied
    period, latest, error = chosen_period(request)
    wall = request.GET.get("wall") == "1"
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "period": period,
            "latest": latest,
            "latest_tuple": (latest.year, latest.month),
            "error": error,
            "sections": build_sections(period=period, user=request.user),
            "wall": wall,
            "refresh_seconds": WALL_REFRESH_SECONDS,
        },
    )


FUNDS_COLUMNS = [
    Col(
        _l("招商项目"),
        "project.name",
        link=lambda f: reverse("investment:project_detail", args=[f.project_id]),
        card="title",
        width=30,
    ),
    Col(_l("招商小组"), "project.team.name", card="meta", width=14),
    Col(_l("月份"), lambda f: f.month.strftime("%Y-%m"), card="meta", width=10),
    Col(_l("资金来源"), "get_origin_display", card="badge", width=10),
    Col(_l("固定资产（万元）"), "fixed_assets", fmt="amount", css="text-end", width=14),
    Col(_l("流动资金（万元）"), "working_capital", fmt="amount", css="text-end", width=14),
    Col(_l("合计（万元）"), "total", fmt="amount", css="text-end", width=14),
]


class FundsArrivalListView(ListPage):
    """The funds arrived behind the dashboard's 到位资金 figures."""

    permission_required = "investment.view_fundsarrival"
    filterset_class = filters.FundsArrivalFilter
    filter_form = FilterForm(primary=("q", "month_from", "month_to"))
    title = _l("到位资金明细")
    export_filename = _l("到位资金明细")
    columns = FUNDS_COLUMNS

    def get_base_queryset(self):
        return selectors.funds_arrival_list(self.request.user)
