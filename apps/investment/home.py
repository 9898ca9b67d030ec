"""The home page's 招商 box: the projects whose time in stage is red (for the team leaders and
the leadership), the leads past their clocks (owner, judgement, the referrer's feedback), the
leads about to return to the pool, and the trip reports overdue."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.registry import Panel
from apps.investment import permissions, selectors
from apps.investment.models import Activity

# What the box shows of a lead (a title, whether it has an owner, the referrer).
LEAD_FIELDS = ("pk", "title", "owner_id", "referrer")


def panels(request):
    user = request.user
    if not user.has_perm("investment.view_project") or not (
        permissions.reads_all(user) or user.has_perm("investment.change_project")
    ):
        return []
    # The box shows a name and a stage: no joins (an eight-table join costs PostgreSQL more to
    # plan than to run).
    red = list(
        selectors.project_list(user)
        .filter(selectors.red_q())
        .select_related(None)
        .only("pk", "name", "status")
        .order_by("stage_entered_at")[:8]
    )
    context = {
        "red": red,
        "red_total": selectors.project_list(user).filter(selectors.red_q()).count(),
    }
    led = permissions.led_team_ids(user)
    if led or permissions.reads_all(user):
        # The team leader's inbox: leads past their owner or judgement clock.
        leads = selectors.lead_list(user)
        if not permissions.reads_all(user):
            leads = leads.filter(team__in=led)
        overdue = leads.filter(selectors.clock_overdue_q())
        context["clock_overdue"] = list(
            overdue.select_related(None).only(*LEAD_FIELDS).order_by("reported_at", "pk")[:8]
        )
        context["clock_overdue_total"] = overdue.count()
    if led or permissions.reads_all(user) or user.has_perm("investment.change_lead"):
        # Leads from a referrer who is still owed feedback: the owner's and the team leader's.
        leads = selectors.lead_list(user).filter(selectors.referrer_overdue_q())
        if not permissions.reads_all(user):
            leads = leads.filter(Q(owner=user) | Q(team__in=led))
        context["referrer_overdue"] = list(
            leads.select_related(None).only(*LEAD_FIELDS).order_by("reported_at", "pk")[:8]
        )
        context["referrer_overdue_total"] = leads.count()
    if user.has_perm("investment.change_lead"):
        context["warned"] = (
            selectors.lead_list(user).filter(owner=user).filter(selectors.pool_warning_q()).count()
        )
        due = timezone.localdate() - timedelta(days=Activity.REPORT_DUE_DAYS)
        context["reports_overdue"] = Activity.objects.filter(
            staff=user, kind=Activity.Kind.OUTBOUND, reported_on__isnull=True, ends_on__lt=due
        ).count()
    return [
        Panel(
            title=_("招商引资"), template="investment/_panel_home.html", context=context, order=25
        )
    ]
