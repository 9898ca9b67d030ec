"""What enterprise service adds to an enterprise's page, through apps.enterprises.hooks:
its visits and demands in the timeline (two queries), and a section with its loans and
policy applications (two queries)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.registry import Panel
from apps.enterprises.hooks import TimelineEntry
from apps.services import selectors
from apps.services.models import Demand, Visit

TIMELINE_LIMIT = 50


def timeline(enterprise, user):
    entries = []
    if user.has_perm("services.view_visit"):
        visits = (
            Visit.objects.filter(enterprise=enterprise)
            .prefetch_related("staff")
            .order_by("-visited_on", "-id")[:TIMELINE_LIMIT]
        )
        for visit in visits:
            staff = "、".join(person.get_full_name() for person in visit.staff.all())
            entries.append(
                TimelineEntry(
                    when=visit.visited_on,
                    kind=_("走访"),
                    title=_("%(label)s：%(text)s")
                    % {"label": visit.get_method_display(), "text": visit.purpose},
                    body=f"{staff}。{visit.findings}".strip(),
                    url=reverse("services:visit_detail", args=[visit.pk]),
                    icon="bi-person-walking",
                )
            )
    if user.has_perm("services.view_demand"):
        demands = (
            selectors.demand_list()
            .filter(enterprise=enterprise)
            .order_by("-raised_on", "-id")[:TIMELINE_LIMIT]
        )
        for demand in demands:
            state = demand.get_status_display()
            if demand.is_overdue:
                state += _("，已超期 %(days)d 天") % {"days": demand.overdue_days}
            if demand.status in Demand.DONE_STATUSES and demand.closed_on:
                state += _("，%(day)s 办结") % {"day": demand.closed_on.strftime("%Y-%m-%d")}
            if demand.satisfaction:
                state += _("（%(satisfaction)s）") % {
                    "satisfaction": demand.get_satisfaction_display()
                }
            entries.append(
                TimelineEntry(
                    when=demand.raised_on,
                    kind=_("诉求"),
                    title=_("%(label)s：%(text)s")
                    % {"label": demand.category.name, "text": demand.description[:60]},
                    body=_("%(department)s · %(state)s")
                    % {"department": demand.department.name, "state": state},
                    url=reverse("services:demand_detail", args=[demand.pk]),
                    icon="bi-chat-square-dots",
                )
            )
    return entries


def section(enterprise, user):
    can_loans = user.has_perm("services.view_loanintent")
    can_applications = user.has_perm("services.view_policyapplication")
    if not (can_loans or can_applications):
        return None
    summary = selectors.enterprise_service_summary(enterprise)
    if not (summary["loans"] or summary["applications"]):
        return None
    return Panel(
        title=_("融资与政策申报"),
        template="services/_enterprise_section.html",
        context={
            **summary,
            "enterprise": enterprise,
            "can_loans": can_loans,
            "can_applications": can_applications,
        },
        order=50,
    )
