"""One date policy for the whole portal.

- Nothing the portal records happened before ``EARLIEST`` (2000-01-01): the zone's records
  start long after, so an earlier date is a typing slip (0001-01-01, 1900-…).
- A date that records something done (a visit, a closing, a signing) is not in the future.
- A date that plans something (a deadline, a committed start) is at most ``MAX_YEARS_AHEAD``
  years ahead.
- Years typed as numbers are between ``YEAR_MIN`` and ``YEAR_MAX`` (the database holds the same
  range on every year column).

Services call ``check_done_on`` / ``check_planned_on``; forms and serializers do not repeat them.
"""

from datetime import date, timedelta

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
