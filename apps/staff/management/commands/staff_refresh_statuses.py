from django.core.management.base import BaseCommand

from apps.staff.services import appointments_refresh_statuses


class Command(BaseCommand):
    help = (
        "Move appointments along the calendar: 拟聘 → 在聘 on the start day, 在聘 → 期满 after "
        "the end day. Celery beat runs the same work daily (staff.refresh_statuses); this "
        "command does it by hand. Idempotent."
    )

    def handle(self, *args, **options):
        counts = appointments_refresh_statuses()
        self.stdout.write(f"started: {counts['started']}, ended: {counts['ended']}")
