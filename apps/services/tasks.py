"""Enterprise-service work on a date: telling the leadership about newly escalated demands."""

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
