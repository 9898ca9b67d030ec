from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts.roles import sync_roles
from apps.core import figures
from apps.core.registry import app_modules


class Command(BaseCommand):
    help = (
        "Load the demo data: demo accounts, then each app's demo.py in dependency order. "
        "Idempotent: running it twice changes nothing."
    )

    def handle(self, *args, **options):
        call_command("load_reference_data", verbosity=options["verbosity"])
        with transaction.atomic():
            sync_roles()
            for config, module in app_modules("demo"):
                self.stdout.write(f"demo: {config.label}")
                module.load(stdout=self.stdout)
            # The loaders write many rows in bulk, which no signal reports: forget every
            # cached figure and kept count once the data is in.
            figures.invalidate(*figures.every_area())
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
