from django.core.management.base import BaseCommand
from django.db import transaction

from apps.core import figures


class Command(BaseCommand):
    help = (
        "Forget every cached figure, page table and kept list count (apps.core.figures): run it "
        "after the data changed outside the portal's writes (a restore, rows loaded by SQL)."
    )

    def handle(self, *args, **options):
        areas = figures.every_area()
        # In a transaction, so that its commit queues the warm-up tasks (the dashboard's latest
        # month and the months read lately are recomputed before their readers come back).
        with transaction.atomic():
            figures.invalidate(*areas)
        self.stdout.write(f"Forgot the cached figures of: {', '.join(areas)}")
