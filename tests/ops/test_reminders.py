"""Daily reminders of demands due (services.remind_due_demands): the assignee, or the
department's handlers while nobody has accepted it; once per deadline; scheduled."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from apps.accounts.models import Notification
from apps.accounts.roles import Role
from apps.services import notifications
from apps.services.models import Demand
from apps.services.tasks import remind_due_demands, remind_due_demands_task
from tests.services.factories import DemandFactory, category

pytestmark = pytest.mark.django_db


def told(demand=None):
    rows = Notification.objects.filter(event=notifications.DUE)
    if demand is not None:
        rows = rows.filter(object_id=demand.pk)
    return sorted(rows.values_list("recipient__username", flat=True))


@pytest.fixture
def people(user_of):
    approval = category("procedure").default_department
    return {
        "handler": user_of(Role.APPROVAL, username="liu", department=approval),
        "assignee": user_of(Role.APPROVAL, username="sun", department=approval),
        "hr": user_of(Role.HR, username="hr"),
    }


def test_demands_due_soon_are_reminded_once_per_deadline(people):
    today = timezone.localdate()
    days = settings.SERVICES_REMIND_DAYS_BEFORE
    unaccepted = DemandFactory(
        raised_on=today - timedelta(days=10), deadline=today + timedelta(days=days)
    )
    accepted = DemandFactory(
        raised_on=today - timedelta(days=10),
        deadline=today,
        status=Demand.Status.IN_PROGRESS,
        assignee=people["assignee"],
    )
    DemandFactory(raised_on=today, deadline=today + timedelta(days=days + 1))
    DemandFactory(raised_on=today - timedelta(days=20), deadline=today - timedelta(days=1))
    DemandFactory(
        raised_on=today - timedelta(days=10),
        deadline=today + timedelta(days=1),
        status=Demand.Status.CLOSED,
        assignee=people["assignee"],
        resolution="已办结",
        closed_on=today,
    )

    assert remind_due_demands_task.delay().get() == 3
    assert told(unaccepted) == ["liu", "sun"]
    assert told(accepted) == ["sun"]
    # Idempotent: the next run (or a beat firing twice) tells nobody again.
    assert remind_due_demands() == 0
    # A new deadline is a new reminder.
    Demand.objects.filter(pk=accepted.pk).update(deadline=today + timedelta(days=1))
    assert remind_due_demands() == 1
    assert "hr" not in told()


def test_the_reminder_is_in_the_beat_schedule():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "services.remind_due_demands" in tasks
