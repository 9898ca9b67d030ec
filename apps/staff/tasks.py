"""Staff work that happens on a date: appointments move along the calendar."""

from apps.core.tasks import portal_task
from apps.staff.services import appointments_refresh_statuses


@portal_task(name="staff.refresh_statuses")
def refresh_statuses() -> dict[str, int]:
    """拟聘 → 在聘 on the start day, 在聘 → 期满 after the end day; idempotent (daily)."""
    return appointments_refresh_statuses()
