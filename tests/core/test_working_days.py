"""Working days follow the official holiday calendar (fixtures/core_calendar.json): public
holidays are skipped, weekend days worked instead (调休上班) count, and the calendar is read in one
query at most, then from the cache until it changes."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from apps.accounts.roles import Role
from apps.core import dates, services
from apps.core.models import CalendarDay

pytestmark = pytest.mark.django_db

D = datetime.date


class TestTheOfficialCalendar:
    def test_a_working_day_after_the_day_before_the_2023_national_day_break_is_the_7th(self):
        # 中秋、国庆 2023: off 29 September to 6 October, Saturday 7 and Sunday 8 October worked.
        assert dates.add_working_days(D(2023, 9, 28), 1) == D(2023, 10, 7)
        assert dates.add_working_days(D(2023, 9, 28), 2) == D(2023, 10, 8)
        assert dates.add_working_days(D(2023, 9, 28), 3) == D(2023, 10, 9)

    def test_a_day_inside_a_break_counts_from_the_first_day_back(self):
        assert dates.add_working_days(D(2023, 10, 2), 1) == D(2023, 10, 7)
        assert dates.add_working_days(D(2026, 2, 15), 1) == D(2026, 2, 24)

    def test_a_worked_weekend_day_is_a_working_day_and_a_holiday_is_not(self):
        assert dates.is_working_day(D(2023, 10, 7))  # Saturday, 调休上班
        assert dates.is_working_day(D(2026, 2, 28))  # Saturday, 调休上班
        assert not dates.is_working_day(D(2023, 10, 4))  # Wednesday, 国庆节
        assert not dates.is_working_day(D(2025, 1, 1))  # Wednesday, 元旦
        assert not dates.is_working_day(D(2026, 11, 28))  # an ordinary Saturday
        assert dates.is_working_day(D(2026, 11, 27))  # an ordinary Friday

    def test_spring_festival_2024_and_its_worked_sundays(self):
        # Off 10–17 February 2024; Sunday 4 and Sunday 18 February worked.
        assert dates.add_working_days(D(2024, 2, 3), 1) == D(2024, 2, 4)
        assert dates.add_working_days(D(2024, 2, 9), 1) == D(2024, 2, 18)
        assert dates.add_working_days(D(2024, 2, 9), 2) == D(2024, 2, 19)

    def test_the_may_day_break_2025(self):
        # Off 1–5 May 2025; Sunday 27 April worked.
        assert dates.add_working_days(D(2025, 4, 25), 1) == D(2025, 4, 27)
        assert dates.add_working_days(D(2025, 4, 30), 1) == D(2025, 5, 6)

    def test_each_year_has_its_official_number_of_holidays(self):
        # Weekdays off per year: 2023 and 2024 had 11 public holidays, 2025 and 2026 have 13,
        # and the breaks are made of them, the weekends inside, and days made up on weekends.
        for year in (2023, 2024, 2025, 2026):
            days = CalendarDay.objects.filter(date__year=year)
            weekdays_off = sum(
                1 for day in days if day.kind == CalendarDay.Kind.HOLIDAY and day.date.weekday() < 5
            )
            worked = days.filter(kind=CalendarDay.Kind.WORKDAY).count()
            assert weekdays_off - worked == (11 if year < 2025 else 13), year


class TestCounting:
    def test_working_days_between_inverts_adding_them(self):
        start = D(2023, 9, 20)
        for n in range(0, 15):
            end = dates.add_working_days(start, n)
            assert dates.working_days_between(start, end) == n
            assert dates.subtract_working_days(end, n) <= start

    def test_subtracting_is_the_inverse_on_working_days(self):
        assert dates.subtract_working_days(D(2023, 10, 7), 1) == D(2023, 9, 28)
        assert dates.subtract_working_days(D(2023, 10, 9), 3) == D(2023, 9, 28)
        assert dates.subtract_working_days(D(2023, 10, 9), 0) == D(2023, 10, 9)

    def test_a_period_across_the_break_has_few_working_days(self):
        # 28 Sept (exclusive) to 9 Oct 2023 (inclusive): only 7, 8 and 9 October.
        assert dates.working_days_between(D(2023, 9, 28), D(2023, 10, 9)) == 3
        assert dates.working_days_between(D(2023, 10, 9), D(2023, 9, 28)) == 0


class TestTheCache:
    def test_the_calendar_is_read_in_one_query_then_from_the_cache(self, django_assert_num_queries):
        cache.clear()
        dates.forget_local_calendar()
        # the calendar's rows
        with django_assert_num_queries(1):
            assert dates.add_working_days(D(2023, 9, 28), 1) == D(2023, 10, 7)
        with django_assert_num_queries(0):
            assert dates.working_days_between(D(2023, 9, 28), D(2023, 10, 9)) == 3
            assert dates.subtract_working_days(D(2023, 10, 9), 3) == D(2023, 9, 28)

    def test_a_saved_day_is_read_at_once(self, role_users):
        admin = role_users[Role.ADMIN]
        friday = D(2026, 11, 27)
        assert dates.add_working_days(friday - datetime.timedelta(days=1), 1) == friday
        services.calendar_day_save(by=admin, day=friday, kind="holiday", name="调休")
        assert dates.add_working_days(friday - datetime.timedelta(days=1), 1) == D(2026, 11, 30)
        services.calendar_day_delete(by=admin, calendar_day=CalendarDay.objects.get(date=friday))
        assert dates.add_working_days(friday - datetime.timedelta(days=1), 1) == friday

    def test_the_process_copy_serves_without_the_cache_and_expires(
        self, django_assert_num_queries, monkeypatch
    ):
        dates.working_calendar()
        cache.clear()  # another process's write: the shared cache forgot it
        with django_assert_num_queries(0):
            dates.working_calendar()  # this process's copy, for LOCAL_SECONDS
        monkeypatch.setattr(dates, "LOCAL_SECONDS", 0)
        dates.forget_local_calendar()
        with django_assert_num_queries(1):
            dates.working_calendar()
        cache.clear()
        with django_assert_num_queries(1):
            dates.working_calendar()  # this process's copy expired at once: read again

    def test_loading_the_reference_data_again_forgets_the_cached_calendar(self):
        dates.working_calendar()
        CalendarDay.objects.filter(date=D(2023, 10, 7)).delete()  # stale in the cache now
        call_command("load_reference_data", verbosity=0)
        assert dates.add_working_days(D(2023, 9, 28), 1) == D(2023, 10, 7)


class TestTheService:
    def test_only_the_administrator_keeps_the_calendar(self, role_users):
        with pytest.raises(PermissionDenied):
            services.calendar_day_save(
                by=role_users[Role.INVESTMENT], day=D(2027, 1, 1), kind="holiday", name="元旦"
            )

    def test_a_worked_day_must_be_a_weekend_day(self, role_users):
        with pytest.raises(ValidationError) as refused:
            services.calendar_day_save(
                by=role_users[Role.ADMIN], day=D(2026, 12, 2), kind="workday", name="调休"
            )
        assert refused.value.message_dict == {"kind": ["调休上班日只能是周六或周日"]}

    def test_the_database_holds_the_same_rule(self):
        with pytest.raises(ValidationError):
            CalendarDay(date=D(2026, 12, 2), kind="workday", name="调休").full_clean()
        assert not CalendarDay.objects.filter(date=D(2026, 12, 2)).exists()

    def test_a_name_and_a_plausible_year_are_required(self, role_users):
        admin = role_users[Role.ADMIN]
        with pytest.raises(ValidationError) as refused:
            services.calendar_day_save(by=admin, day=D(2026, 12, 5), kind="holiday", name=" ")
        assert "name" in refused.value.message_dict
        with pytest.raises(ValidationError) as refused:
            services.calendar_day_save(by=admin, day=D(1900, 1, 1), kind="holiday", name="元旦")
        assert "date" in refused.value.message_dict

    def test_saving_a_day_again_replaces_it(self, role_users):
        admin = role_users[Role.ADMIN]
        services.calendar_day_save(by=admin, day=D(2023, 10, 7), kind="holiday", name="补休")
        day = CalendarDay.objects.get(date=D(2023, 10, 7))
        assert (day.kind, day.name) == ("holiday", "补休")


def test_the_admin_lists_and_adds_days(client, role_users):
    client.force_login(role_users[Role.ADMIN])
    assert client.get("/admin/core/calendarday/?date__year=2023").status_code == 200
    response = client.post(
        "/admin/core/calendarday/add/", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}
    )
    assert response.status_code == 302
    refused = client.post(
        "/admin/core/calendarday/add/", {"date": "2027-01-04", "kind": "workday", "name": "调休"}
    )
    assert refused.status_code == 200 and "调休上班日只能是周六或周日" in refused.content.decode()
    assert list(CalendarDay.objects.filter(date__year=2027).values_list("date", flat=True)) == [
        D(2027, 1, 1)
    ]


class TestAMissingYear:
    """A year whose holidays are not entered is counted Monday to Friday: whoever keeps the
    calendar is told, this year's at once and next year's from November."""

    def test_next_year_is_needed_from_november(self):
        CalendarDay.objects.filter(date__year=2027).delete()
        dates.forget_working_calendar()
        assert dates.missing_calendar_years(D(2026, 10, 31)) == []
        assert dates.missing_calendar_years(D(2026, 11, 1)) == [2027]

    def test_a_year_is_missing_until_a_holiday_of_it_is_entered(self, role_users):
        CalendarDay.objects.filter(date__year__gte=2026).delete()
        dates.forget_working_calendar()
        assert dates.missing_calendar_years(D(2026, 12, 2)) == [2026, 2027]
        services.calendar_day_save(
            by=role_users[Role.ADMIN], day=D(2027, 1, 1), kind="holiday", name="元旦"
        )
        assert dates.missing_calendar_years(D(2026, 12, 2)) == [2026]

    def test_the_keeper_sees_it_on_the_home_page_and_in_the_admin(self, client, role_users):
        CalendarDay.objects.filter(date__year=2026).delete()
        dates.forget_working_calendar()
        client.force_login(role_users[Role.ADMIN])
        home = client.get("/").content.decode()
        assert 'data-testid="calendar-missing"' in home
        assert "2026年法定节假日" in home
        listing = client.get("/admin/core/calendarday/").content.decode()
        assert "2026年法定节假日尚未录入" in listing

    def test_nobody_else_is_told(self, client, role_users):
        CalendarDay.objects.filter(date__year=2026).delete()
        dates.forget_working_calendar()
        client.force_login(role_users[Role.INVESTMENT])
        assert 'data-testid="calendar-missing"' not in client.get("/").content.decode()

    def test_an_entered_year_is_not_announced(self, client, role_users):
        client.force_login(role_users[Role.ADMIN])
        assert "2026年法定节假日" not in client.get("/").content.decode()
