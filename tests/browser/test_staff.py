from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.roles import Role
from apps.staff.models import Appointment
from tests.accounts.factories import PASSWORD
from tests.browser.conftest import login, screenshot
from tests.staff.factories import PositionFactory, StaffMemberFactory, appoint

pytestmark = pytest.mark.django_db(transaction=True)


def test_hr_renews_a_contract_ending_next_month_in_the_admin(live_server, page, user_of):
    user_of(Role.HR, username="sun", full_name="孙丽")
    today = timezone.localdate()
    old = appoint(
        staff=StaffMemberFactory(name="刘洋"),
        position=PositionFactory(title="审批服务岗"),
        start=today - timedelta(days=700),
        end=today + timedelta(days=30),
    )
    login(page, live_server, "sun", PASSWORD)
    page.goto(f"{live_server.url}/admin/staff/appointment/")
    page.check(f"input[name=_selected_action][value='{old.pk}']")
    page.select_option("select[name=action]", "renew")
    page.click("button[name=index]")
    assert "已续聘 1 份合同" in page.locator(".messagelist").inner_text()

    page.goto(f"{live_server.url}/admin/staff/staffmember/{old.staff_id}/change/")
    rows = page.locator("#appointments-group tbody tr.has_original")
    assert rows.count() == 2
    renewal = Appointment.objects.get(previous=old)
    new_start = old.end_date + timedelta(days=1)
    assert renewal.start_date == new_start
    newest = rows.first.inner_text()
    # The new contract starts the day after the old one ends, and names it as its predecessor.
    assert f"{new_start.year}年{new_start.month}月{new_start.day}日" in newest
    assert "拟聘" in newest and str(old) in newest
    screenshot(page, "staff-admin-renewal")


def test_the_org_chart_and_a_staff_record_fit_a_phone(live_server, phone_page, user_of):
    user_of(Role.HR, username="sun", full_name="孙丽")
    today = timezone.localdate()
    appointment = appoint(
        staff=StaffMemberFactory(name="陈静"),
        position=PositionFactory(title="招商专员"),
        start=today - timedelta(days=30),
    )
    login(phone_page, live_server, "sun", PASSWORD)
    for path in ["/staff/", f"/staff/members/{appointment.staff_id}/"]:
        phone_page.goto(f"{live_server.url}{path}")
        assert "陈静" in phone_page.locator("main").inner_text()
        # Wide tables scroll inside their own box; the page itself never scrolls sideways.
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone_page, "staff-member-phone")
