"""Scheduled work of 招商引资: the pool's return, and the daily notifications of clocks run out
(leads unassigned or unjudged, leads about to return to the pool, projects red for their time
in stage, trip reports overdue). Each is idempotent: notifications carry a key per occurrence."""

from datetime import timedelta

from django.utils import timezone

from apps.core.tasks import portal_task
from apps.investment import notifications, selectors, services
from apps.investment.models import Activity, Lead, Project


@portal_task(name="investment.pool_return")
def pool_return():
    """Daily: leads without a follow-up for INVESTMENT_POOL_DAYS go back to the pool."""
    return services.pool_return_stale()


@portal_task(name="investment.notify_deadlines")
def notify_deadlines() -> int:
    """Daily: tell the team leader of leads past their owner (1) or judgement (3 working days)
    clock, the owner of leads returning to the pool within 7 days, the owner and team leader
    of leads from a referrer not given feedback within a week, the owner and team leader
    of projects red for their time in stage, and the staff of trips whose report is overdue."""
    today = timezone.localdate()
    told = 0
    leads = Lead.objects.select_related("investor", "team__leader", "owner")
    for lead in leads.filter(selectors.owner_overdue_q(today)):
        told += len(notifications.lead_clock_overdue(lead, what="owner"))
    for lead in leads.filter(selectors.judgement_overdue_q(today)).exclude(
        selectors.owner_overdue_q(today)
    ):
        told += len(notifications.lead_clock_overdue(lead, what="judgement"))
    for lead in leads.filter(selectors.pool_warning_q(today)):
        told += len(notifications.pool_warning(lead, returns_on=selectors.pool_return_on(lead)))
    for lead in leads.filter(selectors.referrer_overdue_q(today)):
        due_on = selectors.referrer_feedback_due_on(lead)
        told += len(notifications.referrer_feedback_overdue(lead, due_on=due_on))
    projects = Project.objects.select_related("owner", "team__leader").filter(
        selectors.red_q(today)
    )
    for project in projects:
        told += len(notifications.stage_red(project))
    due = today - timedelta(days=Activity.REPORT_DUE_DAYS)
    trips = Activity.objects.filter(
        kind=Activity.Kind.OUTBOUND, reported_on__isnull=True, ends_on__lt=due
    )
    for activity in trips:
        told += len(notifications.trip_report_overdue(activity))
    return told
