"""Presentation of enterprise-service states: one colour per state, one overdue badge, used by
the list columns (apps.services.views) and the detail pages alike."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.lists import badge

register = template.Library()

STATUS_COLOURS = {
    "pending": "warning",
    "in_progress": "primary",
    "closed": "info",
    "followed_up": "success",
    "returned": "secondary",
    # loan intents and policy applications
    "intent": "secondary",
    "reviewing": "warning",
    "credited": "info",
    "disbursed": "success",
    "failed": "danger",
    "coaching": "secondary",
    "submitted": "warning",
    "approved": "success",
    "rejected": "danger",
}


@register.simple_tag
def status_badge(obj):
    """The object's status as a coloured badge (demands, loan intents, applications)."""
    return badge(
        obj.get_status_display(), STATUS_COLOURS.get(obj.status, "secondary"), status=obj.status
    )


@register.simple_tag
def overdue_badge(demand):
    """超期 N 天 (red when escalated) for an annotated open demand past its deadline."""
    if not getattr(demand, "is_overdue", False):
        return ""
    days = demand.overdue_days
    label = ngettext("超期 %(days)s 天", "超期 %(days)s 天", days) % {"days": days}
    if demand.is_escalated:
        return badge(label + " · " + _("督办"), "danger")
    return badge(label, "warning")
