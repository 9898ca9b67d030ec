from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.core.figures import Period
from apps.dashboard import selectors

SECTION_LABELS = {
    "economy": _("经济运行"),
    "service": _("企业服务"),
    "staff": _("队伍"),
}
# The wall screen reloads itself this often (seconds).
WALL_REFRESH_SECONDS = 300


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


@login_required
@permission_required("dashboard.view_dashboard", raise_exception=True)
def dashboard(request):
    period, latest, error = chosen_period(request)
    rows = selectors.dashboard_rows(period=period, user=request.user)
    sections = [
        (SECTION_LABELS[key], [row for row in rows if row.figure.section == key])
        for key in selectors.SECTIONS
    ]
    wall = request.GET.get("wall") == "1"
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "period": period,
            "latest": latest,
            "latest_tuple": (latest.year, latest.month),
            "error": error,
            "sections": [(label, items) for label, items in sections if items],
            "trend": selectors.output_trend(period=period),
            "wall": wall,
            "refresh_seconds": WALL_REFRESH_SECONDS,
        },
    )
