"""Staff work that happens on a date: appointments move along the calendar, and HR is told of
contracts about to end."""

from datetime import timedelta

from django.utils import timezone

from apps.core.tasks import portal_task
from apps.staff import selectors
from apps.staff.models import Appointment
from apps.staff.notifications import CONTRACT_ENDING_DAYS, contract_ending
from apps.staff.services import appointments_refresh_statuses


@portal_task(name="staff.refresh_statuses")
def refresh_statuses() -> dict[str, int]:
    """拟聘 → 在聘 on the start day, 在聘 → 期满 after the end day; idempotent (daily)."""
    return appointments_refresh_statuses()


@portal_task(name="staff.notify_contracts_ending")
def notify_contracts_ending() -> int:
    """Tell HR of each held contract ending within 60, 30 or 7 days, once per threshold. A day
    the task did not run is caught up: the smallest threshold reached is the one told."""
    today = timezone.localdate()
    horizon = today + timedelta(days=max(CONTRACT_ENDING_DAYS))
    appointments = Appointment.objects.filter(
        status__in=selectors.HOLDING, end_date__gte=today, end_date__lte=horizon
    ).select_related("staff", "position")
    told = 0
    for appointment in appointments:
        days_left = (appointment.end_date - today).days
        threshold = min(days for days in CONTRACT_ENDING_DAYS if days_left <= days)
        told += len(contract_ending(appointment, days_left=days_left, threshold=threshold))
    return told
