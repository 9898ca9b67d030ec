"""How fresh a page's data is: the one rule behind "数据截至…，尚未更新".

Monthly figures arrive a month late (November's reports are in by early December), so a page
is behind when its newest data is more than STALE_AFTER_MONTHS months older than the current
month; dated records (visits, demands) when the newest is more than that many months old.
"""

from datetime import date

from django.utils import timezone

STALE_AFTER_MONTHS = 2


def months_between(earlier: tuple[int, int], later: tuple[int, int]) -> int:
    """Whole months from the month `earlier` to the month `later`, both (year, month)."""
    return (later[0] - earlier[0]) * 12 + later[1] - earlier[1]


def is_stale(latest: tuple[int, int] | date | None, *, today: date | None = None) -> bool:
    """Whether data whose newest period is `latest` (a (year, month) or a day) is out of date."""
    if latest is None:
        return False
    today = today or timezone.localdate()
    if isinstance(latest, date):
        behind = months_between((latest.year, latest.month), (today.year, today.month))
        # A day counts from its own day of the month: 2 Sep is stale on 3 Nov, not on 2 Nov.
        return behind > STALE_AFTER_MONTHS or (
            behind == STALE_AFTER_MONTHS and today.day > latest.day
        )
    return months_between(latest, (today.year, today.month)) > STALE_AFTER_MONTHS
