"""The home page's 驾驶舱 box: the key figures of the latest month, read from the dashboard's own
rows (the figure registry, its cache, its links), so the home page and the dashboard cannot
disagree. Shown to whoever may open the dashboard, with the sections they may see."""

from django.utils.translation import gettext as _

from apps.core.registry import Panel
from apps.dashboard import permissions, selectors

# Per section: the figures with a target first (completion is the point of the box), then the
# section's first figures, this many in all.
PER_SECTION = 4


def key_rows(rows: list[selectors.FigureRow]) -> list[tuple[str, list[selectors.FigureRow]]]:
    """[(section label, its key figures)] in the dashboard's section order."""
    grouped = []
    for section in selectors.ordered_sections({row.figure.section for row in rows}):
        in_section = [row for row in rows if row.figure.section == section]
        ranked = sorted(in_section, key=lambda row: (not row.figure.target, row.figure.order))
        chosen = {id(row) for row in ranked[:PER_SECTION]}
        grouped.append(
            (selectors.section_label(section), [row for row in in_section if id(row) in chosen])
        )
    return grouped


def panels(request):
    user = request.user
    if not permissions.may_open(user):
        return []
    period = selectors.latest_period()
    rows = selectors.dashboard_rows(period=period, user=user)
    if not rows:
        return []
    return [
        Panel(
            title=_("驾驶舱要点"),
            template="dashboard/_panel_home.html",
            context={"period": period, "sections": key_rows(rows)},
            order=5,
        )
    ]
