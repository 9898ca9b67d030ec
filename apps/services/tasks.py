"""Enterprise-service work on a date: reminding whoever handles a demand that its deadline is
near, and telling the leadership about newly escalated demands."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from apps.core.tasks import portal_task
from apps.services import notifications, selectors
from apps.services.models import Demand


@portal_task(name="services.notify_escalated_demands")
def notify_escalated_demands() -> int:
    """Each open demand overdue past the escalation limit is told to the leadership once
    (per deadline: a demand given a new deadline that runs over again is told again)."""
    today = timezone.localdate()
    demands = Demand.objects.filter(selectors.escalated_q(today)).select_related(
        "enterprise", "department"
    )
    told = 0
    for demand in demands:
        told += len(notifications.demand_escalated(demand))
    return told


def remind_due_demands(today=None) -> int:
    """Each open demand due within SERVICES_REMIND_DAYS_BEFORE days (today included) is told to
    its assignee, or to its department's handlers while nobody has accepted it: once per
    deadline (a new deadline is reminded again). Overdue ones are the escalation's."""
    today = today or timezone.localdate()
    window_end = today + timedelta(days=settings.SERVICES_REMIND_DAYS_BEFORE)
    demands = (
        Demand.objects.filter(selectors.open_q(), deadline__gte=today, deadline__lte=window_end)
        .select_related("enterprise", "department", "assignee")
        .order_by("deadline", "pk")
    )
    told = 0
    for demand in demands:
        told += len(notifications.demand_due(demand))
    return told


@portal_task(name="services.remind_due_demands")
def remind_due_demands_task() -> int:
    return remind_due_demands()
