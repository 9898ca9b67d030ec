"""The home page's box for whoever keeps the holiday calendar (core.add_calendarday): the years
the working-day clocks will count through without their public holidays entered
(apps.core.dates.missing_calendar_years)."""

from django.utils.translation import gettext as _

from apps.core import dates
from apps.core.registry import Panel


def panels(request):
    if not request.user.has_perm("core.add_calendarday"):
        return []
    missing = dates.missing_calendar_years()
    if not missing:
        return []
    return [
        Panel(
            title=_("节假日安排"),
            template="core/_panel_calendar.html",
            context={"missing": missing},
            order=5,
        )
    ]
