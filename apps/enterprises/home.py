"""The home page's economy box for those who read the monthly figures (leadership, 经济发展局,
企业服务局): the headline sentence of the latest reported month, the registry's counts and the
certificates falling due."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.core.registry import Panel
from apps.enterprises import selectors

# The reference qualification types (fixtures/enterprises.json) whose names the registry
# counts show as labels, translated at display ({% translate qtype.name %}); listed here so
# that makemessages keeps their English.
QUALIFICATION_NAMES = [
    gettext_noop("高新技术企业"),
    gettext_noop("省级研发中心"),
    gettext_noop("市级工程技术研究中心"),
    gettext_noop("智能车间"),
    gettext_noop("专精特新中小企业"),
    gettext_noop("科技型中小企业"),
]


def panels(request):
    if not request.user.has_perm("enterprises.view_monthlystatistic"):
        return []
    period = selectors.latest_reported_period()
    statistics = None
    if period is not None:
        year, month = period
        # The statistics page's cached tables (the default threshold): one entry for both.
        statistics = selectors.cached_period_tables(year=year, month=month).statistics
    context = {
        "statistics": statistics,
        "latest_period": period,
        "summary": selectors.cached_registry_summary(on=timezone.localdate()),
        # Certificates to renew: 高企 re-certification starts months ahead of the expiry.
        "expiring_qualifications": selectors.expiring_qualification_count(),
    }
    return [
        Panel(
            title=_("经济运行"),
            template="enterprises/_panel_home.html",
            context=context,
            order=10,
        )
    ]
