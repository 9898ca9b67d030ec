"""How fresh data is, how amounts are rounded and how days are shown: one rule each."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.periods import is_stale
from apps.core.templatetags.portal import short_date, stale_notice, yi
from apps.core.units import to_yi

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("latest", "stale"),
    [
        ((2026, 11), False),  # November's reports, read in December: up to date
        ((2026, 10), False),
        ((2026, 9), True),  # three months behind
        ((2023, 11), True),
        (date(2026, 10, 2), False),
        (date(2026, 10, 1), False),
        (date(2026, 9, 30), True),
        (None, False),  # no data at all is not "not updated"
    ],
)
def test_data_is_stale_when_more_than_two_months_behind(latest, stale):
    assert is_stale(latest, today=TODAY) is stale


def test_the_notice_names_the_period_the_data_stops_at(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    assert "数据截至2023年11月，尚未更新" in stale_notice((2023, 11))
    assert "数据截至2023年11月30日，尚未更新" in stale_notice(date(2023, 11, 30))
    today = timezone.localdate()
    assert stale_notice((today.year, today.month)) == ""


def test_yi_rounds_half_up_once_so_49_4899_shows_as_49_49_everywhere():
    assert to_yi(Decimal("494899.5")) == Decimal("49.49")
    assert to_yi(Decimal("494850")) == Decimal("49.49")  # half up, not to even
    assert yi(Decimal("494899.5")) == "49.49"  # number_format alone would cut it to 49.48
    assert yi(None) == "—"
    assert yi("abc") == "—"


def test_a_day_shows_its_year_unless_it_is_this_year():
    this_year = timezone.localdate().year
    assert short_date(date(this_year, 10, 28)) == "10-28"
    assert short_date(date(this_year - 1, 10, 11)) == f"{this_year - 1}-10-11"
    aware = timezone.make_aware(datetime(this_year - 1, 12, 31, 23, 30))
    assert short_date(aware) == f"{this_year - 1}-12-31"
    assert short_date(None) == ""
