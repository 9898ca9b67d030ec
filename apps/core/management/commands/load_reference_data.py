from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from apps.core.dates import forget_working_calendar

# Loaded in this order; fixtures have fixed primary keys, so loading again changes nothing.
REFERENCE_FIXTURES = sorted((Path(settings.BASE_DIR) / "fixtures").glob("*.json"))


class Command(BaseCommand):
    help = (
        "Load the reference data in fixtures/ (departments, parks, chains, the holiday "
        "calendar, …). Idempotent."
    )

    def handle(self, *args, **options):
        if REFERENCE_FIXTURES:
            call_command("loaddata", *[str(path) for path in REFERENCE_FIXTURES], verbosity=0)
        # loaddata writes the holiday calendar without its service: the cached copy is stale.
        forget_working_calendar()
        self.stdout.write(f"reference data: {len(REFERENCE_FIXTURES)} fixture files")
