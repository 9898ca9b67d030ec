from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.registry import Panel
from apps.enterprises import selectors
from apps.enterprises.models import Enterprise


def panels(request):
    """ "我包联的企业": how many enterprises the user is responsible for, and which of them show
    a decline warning in the latest month (at most 4 queries)."""
    user = request.user
    if not user.has_perm("enterprises.view_enterprise"):
        return []
    mine = Enterprise.objects.filter(responsible_staff=user).exclude(
        status=Enterprise.Status.MOVED_OUT
    )
    count = mine.count()
    if not count:
        return []
    declining, period = [], None
    if user.has_perm("enterprises.view_monthlystatistic"):
        period = selectors.latest_reported_period()
        if period:
            declining = list(
                selectors.decline_warning_enterprises(year=period[0], month=period[1]).filter(
                    responsible_staff=user
                )[:5]
            )
    return [
        Panel(
            title=_("我包联的企业"),
            template="enterprises/_panel_mine.html",
            context={
                "count": count,
                "declining": declining,
                "period": period,
                "list_url": reverse("enterprises:enterprise_list"),
            },
            order=30,
        )
    ]
