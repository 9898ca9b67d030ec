"""HR is told of contracts about to end: 60, 30 and 7 days ahead, once each."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import Notification
from apps.accounts.roles import Role
from apps.staff.notifications import CONTRACT_ENDING
from apps.staff.tasks import notify_contracts_ending
from tests.staff.factories import appoint

pytestmark = pytest.mark.django_db


def ending_in(days: int):
    today = timezone.localdate()
    start = today - timedelta(days=800)
    return appoint(start=start, end=today + timedelta(days=days), today=today)


def test_hr_is_told_once_of_a_contract_ending_within_thirty_days(user_of):
    user_of(Role.HR, username="sun")
    user_of(Role.LEADER, username="wang")
    appointment = ending_in(25)
    ending_in(90)  # not yet

    assert notify_contracts_ending.delay().get() == 1
    assert notify_contracts_ending.delay().get() == 0
    notification = Notification.objects.get(event=CONTRACT_ENDING)
    assert notification.recipient.username == "sun"
    assert notification.dedup_key.endswith(":30")
    assert "25天后到期" in notification.title
    assert notification.url == f"/staff/members/{appointment.staff_id}/"


def test_each_threshold_is_told_as_the_end_date_comes_closer(user_of):
    user_of(Role.HR, username="sun")
    appointment = ending_in(45)
    notify_contracts_ending()
    appointment.end_date = timezone.localdate() + timedelta(days=6)
    appointment.save(update_fields=["end_date"])
    notify_contracts_ending()
    keys = Notification.objects.values_list("dedup_key", flat=True)
    assert sorted(key.rsplit(":", 1)[1] for key in keys) == ["60", "7"]
