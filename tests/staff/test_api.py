from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from tests.staff.factories import StaffMemberFactory, appoint
from tests.staff.test_views import _pay_sheet

pytestmark = pytest.mark.django_db


def test_the_appointment_api_filters_contracts_ending_soon_and_shows_renewal_links(client, user_of):
    today = timezone.localdate()
    soon = appoint(start=today - timedelta(days=400), end=today + timedelta(days=10))
    appoint(start=today - timedelta(days=400), end=today + timedelta(days=200))
    client.force_login(user_of(Role.LEADER, username="wang"))
    rows = client.get(reverse("api:staff-appointment-list"), {"ending_within": 30}).json()
    assert [row["id"] for row in rows["results"]] == [soon.pk]
    assert rows["results"][0]["renewal"] is None


def test_the_pay_sheet_api_gives_totals_to_the_leadership(client, user_of):
    sheet = _pay_sheet(user_of(Role.HR, username="sun"))
    client.force_login(user_of(Role.LEADER, username="wang"))
    row = client.get(reverse("api:staff-pay-sheet-detail", kwargs={"pk": sheet.pk})).json()
    assert row["people"] == 5
    assert Decimal(row["performance_total"]) == Decimal("124800.00")
    lines = client.get(reverse("api:staff-pay-line-list"), {"sheet": sheet.pk}).json()
    assert lines["count"] == 5


def test_hr_gets_full_id_numbers_from_the_api_and_the_leadership_masked_ones(client, user_of):
    staff = StaffMemberFactory()
    url = reverse("api:staff-member-detail", kwargs={"pk": staff.pk})
    client.force_login(user_of(Role.HR, username="sun"))
    assert client.get(url).json()["id_number"] == staff.id_number
    client.force_login(user_of(Role.LEADER, username="wang"))
    masked = client.get(url).json()["id_number"]
    assert masked == staff.id_number[:4] + "*" * 10 + staff.id_number[-4:]


def test_the_api_offers_no_writes(client, user_of):
    client.force_login(user_of(Role.HR, username="sun"))
    response = client.post(
        reverse("api:staff-appointment-list"), {}, content_type="application/json"
    )
    assert response.status_code == 405
