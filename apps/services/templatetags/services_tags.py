from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

_DEMAND_COLOURS = {
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
    colour = _DEMAND_COLOURS.get(obj.status, "secondary")
    return format_html(
        '<span class="badge text-bg-{}" data-status="{}">{}</span>',
        colour,
        obj.status,
        obj.get_status_display(),
    )


@register.simple_tag
def overdue_badge(demand):
    """超期 N 天 (red when escalated) for an annotated open demand past its deadline."""
    if not getattr(demand, "is_overdue", False):
        return ""
    colour = "danger" if demand.is_escalated else "warning"
    days = demand.overdue_days
    label = ngettext("超期 %(days)s 天", "超期 %(days)s 天", days) % {"days": days}
    if demand.is_escalated:
        label += " · " + _("督办")
    return format_html('<span class="badge text-bg-{}">{}</span>', colour, label)
