from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.registry import Panel
from apps.staff import selectors
from apps.staff.permissions import is_hr


def panels(request):
    if not is_hr(request.user):
        return []
    today = timezone.localdate()
    return [
        Panel(
            title=_("合同到期提醒"),
            template="staff/_panel_reminders.html",
            # Two queries: the contracts ending within 60 days, and the people flagged.
            context={
                "buckets": selectors.ending_reminders(today=today),
                "flagged": list(selectors.flagged_for_review()[:10]),
                "today": today,
            },
            order=20,
        )
    ]
