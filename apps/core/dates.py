"""One date policy for the whole portal.

- Nothing the portal records happened before ``EARLIEST`` (2000-01-01): the zone's records
  start long after, so an earlier date is a typing slip (0001-01-01, 1900-…).
- A date that records something done (a visit, a closing, a signing) is not in the future.
- A date that plans something (a deadline, a committed start) is at most ``MAX_YEARS_AHEAD``
  years ahead.
- Years typed as numbers are between ``YEAR_MIN`` and ``YEAR_MAX`` (the database holds the same
  range on every year column).

Services call ``check_done_on`` / ``check_planned_on``; forms and serializers do not repeat them.

Working days (``add_working_days``, ``subtract_working_days``, ``working_days_between``) follow
the official holiday calendar (``CalendarDay``, fixture ``fixtures/core_calendar.json``):
Monday to Friday, less the public holidays, plus the weekend days worked instead (调休上班).
"""

import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import Refused

YEAR_MIN = 2000
YEAR_MAX = 2100
EARLIEST = date(YEAR_MIN, 1, 1)
MAX_YEARS_AHEAD = 5


def add_years(day: date, years: int) -> date:
    """The same day `years` later (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def years_later_inclusive(start: date, years: int) -> date:
    """The last day of a period of `years` years starting on `start` (a term, a certificate)."""
    return add_years(start, years) - timedelta(days=1)


def _check_earliest(day, *, field, label, not_before, not_before_label):
    if not_before is not None and day < not_before:
        if not_before_label:
            message = _("%(label)s不能早于%(other)s（%(day)s）") % {
                "label": label,
                "other": not_before_label,
                "day": not_before.isoformat(),
            }
        else:
            message = _("%(label)s不能早于 %(day)s") % {
                "label": label,
                "day": not_before.isoformat(),
            }
        raise Refused(message, field=field)
    if day < EARLIEST:
        raise Refused(
            _("%(label)s不能早于 %(day)s") % {"label": label, "day": EARLIEST.isoformat()},
            field=field,
        )


def check_done_on(
    day: date | None,
    *,
    field: str,
    label: str,
    not_before: date | None = None,
    not_before_label: str = "",
):
    """A date on which something was done: not before 2000 (or `not_before`), not after today."""
    if day is None:
        return day
    _check_earliest(
        day, field=field, label=label, not_before=not_before, not_before_label=not_before_label
    )
    if day > timezone.localdate():
        raise Refused(_("%(label)s不能晚于今天") % {"label": label}, field=field)
    return day


def check_planned_on(
    day: date | None,
    *,
    field: str,
    label: str,
    not_before: date | None = None,
    not_before_label: str = "",
):
    """A date planned ahead (a deadline): not before 2000 (or `not_before`), at most
    MAX_YEARS_AHEAD years from today."""
    if day is None:
        return day
    _check_earliest(
        day, field=field, label=label, not_before=not_before, not_before_label=not_before_label
    )
    latest = add_years(timezone.localdate(), MAX_YEARS_AHEAD)
    if day > latest:
        raise Refused(
            _("%(label)s不能晚于 %(day)s") % {"label": label, "day": latest.isoformat()},
            field=field,
        )
    return day


def check_year(year: int | None, *, field: str = "year", label: str | None = None):
    if year is None:
        return year
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Refused(
            _("%(label)s应在 %(low)d 到 %(high)d 之间")
            % {"label": label or _("年度"), "low": YEAR_MIN, "high": YEAR_MAX},
            field=field,
        )
    return year


def done_on_validator(label: str):
    """check_done_on as a form field validator, so that a form shows the date's refusal beside
    its other errors (the rule itself stays the one above)."""

    def validate(day):
        try:
            check_done_on(day, field="_", label=label)
        except Refused as refused:
            raise Refused(refused.message_dict["_"][0]) from None

    return validate


# --- Working days ------------------------------------------------------------------------------

CALENDAR_CACHE_KEY = "core:working-calendar"
CALENDAR_CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class WorkingCalendar:
    """The holiday calendar, read once: which weekdays are off and which weekend days are on."""

    holidays: frozenset[date]
    workdays: frozenset[date]

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add(self, day: date, days: int) -> date:
        """The `days`-th working day after `day` (`day` itself for 0)."""
        while days > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return day

    def subtract(self, day: date, days: int) -> date:
        """The `days`-th working day before `day` (`day` itself for 0)."""
        while days > 0:
            day -= timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return day

    @property
    def years(self) -> frozenset[int]:
        """The years whose public holidays have been entered."""
        return frozenset(day.year for day in self.holidays)

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when `end` <= `start`), so
        that ``between(day, add(day, n)) == n``."""
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count


# Each process also keeps the calendar it read for a minute: a list of 25 leads asks for it
# once per row (their clocks), and reading it from Redis each time (a round trip and an
# unpickling) was a quarter of the page. A change made in another process is seen within
# LOCAL_SECONDS; in this one at once (forget_working_calendar).
LOCAL_SECONDS = 60
_local: dict = {"calendar": None, "until": 0.0}


def working_calendar() -> WorkingCalendar:
    """The calendar: this process's copy (a minute at most), else the cache, else one query."""
    now = time.monotonic()
    if _local["calendar"] is not None and now < _local["until"]:
        return _local["calendar"]
    calendar = cache.get(CALENDAR_CACHE_KEY)
    if calendar is None:
        from apps.core.models import CalendarDay

        holidays, workdays = set(), set()
        for day, kind in CalendarDay.objects.values_list("date", "kind"):
            (workdays if kind == CalendarDay.Kind.WORKDAY else holidays).add(day)
        calendar = WorkingCalendar(frozenset(holidays), frozenset(workdays))
        cache.set(CALENDAR_CACHE_KEY, calendar, CALENDAR_CACHE_SECONDS)
    _local.update(calendar=calendar, until=now + LOCAL_SECONDS)
    return calendar


def forget_local_calendar() -> None:
    _local.update(calendar=None, until=0.0)


def forget_working_calendar() -> None:
    """After a write to the calendar: now, and again at commit (a reader meanwhile may have
    cached the calendar as it was)."""

    def forget():
        cache.delete(CALENDAR_CACHE_KEY)
        forget_local_calendar()

    forget()
    transaction.on_commit(forget)


# The State Council publishes next year's holidays in October or November: from this month on,
# a next year still missing from the calendar is announced to whoever keeps it.
NEXT_YEAR_NOTICE_MONTH = 11


def missing_calendar_years(today: date | None = None) -> list[int]:
    """The years the clocks will soon count through without their public holidays entered: this
    year, and next year from November (NEXT_YEAR_NOTICE_MONTH). A year without its holidays is
    counted Monday to Friday, so a clock running over a holiday would be due too early."""
    today = today or timezone.localdate()
    needed = [today.year]
    if today.month >= NEXT_YEAR_NOTICE_MONTH:
        needed.append(today.year + 1)
    entered = working_calendar().years
    return [year for year in needed if year not in entered]


def is_working_day(day: date) -> bool:
    return working_calendar().is_working_day(day)


def add_working_days(day: date, days: int) -> date:
    """The date `days` working days after `day` (holidays and weekends skipped, 调休 worked)."""
    return working_calendar().add(day, days)


def subtract_working_days(day: date, days: int) -> date:
    """The date `days` working days before `day`: the inverse of ``add_working_days`` on
    working days."""
    return working_calendar().subtract(day, days)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`."""
    return working_calendar().between(start, end)
