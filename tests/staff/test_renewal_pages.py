"""HR renews contracts: the form shows the new period of each term before confirming and asks
for 特批理由 only after an 不称职 appraisal; the contracts list has a 续聘 button per renewable
row; the audit view shows a created record's values once."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.staff import services
from apps.staff.models import Grade
from tests.staff.factories import StaffMemberFactory, appoint

pytestmark = pytest.mark.django_db


def test_the_renewal_form_shows_each_terms_new_period_and_no_reason_field_when_not_needed(
    client, user_of
):
    client.force_login(user_of(Role.HR, username="sun"))
    old = appoint(start=date(2021, 7, 1), end=date(2024, 6, 30))
    html = client.get(reverse("staff:appointment_detail", args=[old.pk])).content.decode()
    assert "一年：2024-07-01 至 2025-06-30" in html
    assert "三年：2024-07-01 至 2027-06-30" in html
    assert "特批理由" not in html and "override_reason" not in html
    url = reverse("staff:appointment_transition", args=[old.pk, "renew"])
    response = client.post(url, {"renew-years": 2})
    assert response.status_code == 302
    assert old.staff.appointments.get(previous=old).end_date == date(2026, 6, 30)


def test_the_renewal_form_asks_for_a_reason_only_after_an_incompetent_appraisal(client, user_of):
    client.force_login(user_of(Role.HR, username="sun"))
    old = appoint(start=date(2021, 7, 1), end=date(2024, 6, 30))
    services.appraisal_record(
        staff=old.staff, year=2023, quarter=0, score=Decimal(50), grade=Grade.INCOMPETENT, by=None
    )
    html = client.get(reverse("staff:appointment_detail", args=[old.pk])).content.decode()
    assert 'name="renew-override_reason"' in html


def _ending_soon_list(client):
    return client.get(reverse("staff:appointment_list"), {"ending_within": 60}).content.decode()


def test_the_contracts_ending_within_60_days_each_have_a_renew_button_for_hr(client, user_of):
    today = timezone.localdate()
    ending = [
        appoint(
            staff=StaffMemberFactory(name=f"到期{index}"),
            start=today - timedelta(days=400),
            end=today + timedelta(days=10 + index),
        )
        for index in range(3)
    ]
    client.force_login(user_of(Role.HR, username="sun"))
    html = _ending_soon_list(client)
    for appointment in ending:
        url = reverse("staff:appointment_detail", args=[appointment.pk]) + "?action=renew"
        # Once on the phone card and once in the table.
        assert html.count(f'href="{url}"') == 2
    services.appointment_renew(appointment=ending[0], years=1, by=None)
    html = _ending_soon_list(client)
    assert reverse("staff:appointment_detail", args=[ending[0].pk]) + "?action" not in html


def test_someone_who_may_not_renew_sees_no_renew_button(client, user_of):
    today = timezone.localdate()
    appoint(start=today - timedelta(days=400), end=today + timedelta(days=10))
    client.force_login(user_of(Role.LEADER, username="wang"))
    response = client.get(reverse("staff:appointment_list"), {"ending_within": 60})
    assert response.status_code == 200
    assert 'data-testid="renew"' not in response.content.decode()


def test_the_audit_view_shows_a_created_records_values_once(client, user_of):
    hr = user_of(Role.HR, username="sun")
    appointment = appoint(start=date(2024, 1, 1))
    client.force_login(hr)
    html = client.get(reverse("staff:audit") + "?model=appointment").content.decode()
    assert "— → —" not in html
    assert f"岗位：{appointment.position}" in html
    assert "起始日期：2024-01-01" in html
    # Empty values of a created record are left out rather than listed as "—".
    assert "解聘原因" not in html
