"""The figure registry: one definition per figure the dashboard, the API and later the briefing
show.

Each project app declares its figures in `apps/<app>/figures.py` as `FIGURES: list[Figure]`
(found through `apps/core/registry.py`). A figure has a code, a label, a unit, a definition in
words, a function computing it for a period (and a scope, None for the whole zone) in the
database, and the API list whose `count` -- or the sum of its `sum_field` over all rows -- equals
the value (`list_url`). The same filters on the staff page (`page_url`) show the same rows.

A share or a growth rate is not a list: it is declared as a ratio of two other figures
(`ratio=("share" | "growth", numerator code, denominator code)`), each of which has its list.

Computing: the figures of a period are computed together, each app's queries run once per
period through `FigureContext.source()` (a memo), so the number of queries is bounded by the
number of sources, not of figures. The result is cached per period (Django's cache, Redis in
production) under a generation token that `invalidate()` replaces: the writes that change
figures (the monthly import, any workflow transition, a new visit) call it, so a figure read
after a write is never the one from before it.
"""

import calendar
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from apps.core.registry import app_modules

# The scope of a report every reader sees alike (the monthly briefing): confidential records
# (保密 招商 leads and projects, and their funds) are left out. A figure source that holds
# confidential records honours it; the others compute the same values for it as for None.
PUBLIC = "public"

GENERATION_KEY = "figures:generation"
# A backstop for writes that do not invalidate (reference data edited in the admin site).
CACHE_SECONDS = 600


@dataclass(frozen=True, order=True)
class Period:
    """A statistical month."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Period":
        """ "2023-11" -> Period(2023, 11); ValueError for anything else."""
        year_text, _sep, month_text = (text or "").partition("-")
        if len(year_text) != 4 or len(month_text) != 2:
            raise ValueError(text)
        year, month = int(year_text), int(month_text)
        if not (1900 <= year <= 2100 and 1 <= month <= 12):
            raise ValueError(text)
        return cls(year, month)

    @property
    def code(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def year_start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def day(self) -> date:
        """The day counts "as of the period" are judged on: its last day, today at the latest."""
        return min(self.last, timezone.localdate())

    @property
    def previous_year(self) -> "Period":
        return Period(self.year - 1, self.month)

    def shifted(self, months: int) -> "Period":
        index = self.year * 12 + self.month - 1 + months
        return Period(index // 12, index % 12 + 1)


class FigureContext:
    """What a figure's function receives: the period, the scope and a memo of sources."""

    def __init__(self, period: Period, scope: str | None = None):
        self.period = period
        self.scope = scope
        self._sources: dict = {}

    def source(self, function: Callable[[Period, str | None], dict]) -> dict:
        """`function(period, scope)` computed once per context (one app's shared queries)."""
        if function not in self._sources:
            self._sources[function] = function(self.period, self.scope)
        return self._sources[function]


@dataclass(frozen=True)
class Figure:
    code: str
    label: str
    unit: str
    definition: str
    # "economy" (经济运行), "investment" (招商引资), "service" (企业服务), "staff" (队伍), or
    # any section an app declares (see section_labels); None: used only inside a ratio.
    section: str | None
    compute: Callable[[FigureContext], int | Decimal | None] | None = None
    # The API list (a route name under the `api` namespace) and its filters for a period.
    api_list: str = ""
    filters: Callable[[Period], dict] | None = None
    # The field summed over the list's rows; "" means the value is the list's `count`.
    sum_field: str = ""
    # The staff page showing the same rows (a URL name), its filters (default: `filters`).
    page: str = ""
    page_filters: Callable[[Period], dict] | None = None
    ratio: tuple[str, str, str] | None = None
    # Who may see it (a permission); None: everyone who may see the dashboard.
    permission: str | None = None
    # Judged today whatever the period (overdue demands, staff in post): no year on year.
    current: bool = False
    # Whether a year's target applies: "cumulative" (completion and 超/欠序时, e.g. output to
    # date), "level" (completion only, e.g. a closure rate), "" (no target).
    target: str = ""
    order: int = 100

    def urls(self, period: Period) -> tuple[str | None, str | None]:
        """(the API list, the staff page) showing the rows the figure counts or sums."""
        filters = self.filters(period) if self.filters else {}
        list_url = _with_query(reverse(f"api:{self.api_list}"), filters) if self.api_list else None
        if not self.page:
            return list_url, None
        page_filters = self.page_filters(period) if self.page_filters else filters
        return list_url, _with_query(reverse(self.page), page_filters)

    def visible_to(self, user) -> bool:
        return self.permission is None or user.has_perm(self.permission)


# --- Declaring figures: the pieces every app's FIGURES repeat ---------------------------------


def from_source(source: Callable[[Period, str | None], dict], key: str):
    """A figure's ``compute``: one value of an app's shared source (computed once a period)."""

    def compute(ctx: FigureContext):
        return ctx.source(source)[key]

    compute.__qualname__ = f"from_source({source.__name__}, {key!r})"
    return compute


@dataclass(frozen=True)
class FigureList:
    """The API list and staff page a family of figures links to, and who may see those figures.
    ``DEMANDS(filters, ...)`` gives a Figure's link arguments::

        Figure(code="demands_raised", ..., **DEMANDS(raised_in_month))
    """

    api_list: str
    page: str = ""
    permission: str | None = None

    def __call__(self, filters: Callable[[Period], dict] | None = None, **link) -> dict:
        return {
            "api_list": self.api_list,
            "page": self.page,
            "permission": self.permission,
            "filters": filters,
            **link,
        }


def days_between(
    start: Callable[[Period], date], end: Callable[[Period], date], *, field: str, **more
) -> Callable[[Period], dict]:
    """List filters ``<field>_from`` / ``<field>_to`` (ISO days) for a period, plus ``more``."""

    def filters(period: Period) -> dict:
        return {
            f"{field}_from": start(period).isoformat(),
            f"{field}_to": end(period).isoformat(),
            **more,
        }

    return filters


def reference_id(model, code: str) -> int:
    """The id of a reference row (a qualification type, a demand category) by its code: list
    filters take ids, declarations name codes."""
    return model.objects.values_list("id", flat=True).get(code=code)


def _with_query(path: str, filters: dict) -> str:
    return f"{path}?{urlencode(filters, doseq=True)}" if filters else path


@dataclass(frozen=True)
class BreakdownRow:
    """One group of a breakdown: its value, how many rows its list shows, and the filters that
    narrow the breakdown's list to the group (None: a group without a list, e.g. "none")."""

    label: str
    value: int | Decimal | None
    count: int
    filters: dict | None
    # A second number shown beside the value (e.g. 同比 in %), None when there is none.
    change: Decimal | None = None


@dataclass(frozen=True)
class Breakdown:
    """A figure split into groups (by chain, by park, by stage, by team): a chart on the
    dashboard. Each group links to the breakdown's list with the group's filters added; the
    list's `count` equals the group's `count`, and the sum of `sum_field` (when given) its value."""

    code: str
    label: str
    unit: str
    definition: str
    section: str
    rows: Callable[[FigureContext], list[BreakdownRow]]
    api_list: str
    filters: Callable[[Period], dict] | None = None
    sum_field: str = ""
    page: str = ""
    permission: str | None = None
    # "bar" or "funnel" (a pipeline's stages, in order).
    chart: str = "bar"
    current: bool = False
    order: int = 100

    def visible_to(self, user) -> bool:
        return self.permission is None or user.has_perm(self.permission)


@dataclass(frozen=True)
class BreakdownValue:
    label: str
    value: int | Decimal | None
    count: int
    change: Decimal | None
    list_url: str | None
    page_url: str | None


def all_breakdowns() -> dict[str, Breakdown]:
    breakdowns: dict[str, Breakdown] = {}
    for _config, module in app_modules("figures"):
        for breakdown in getattr(module, "BREAKDOWNS", []):
            if breakdown.code in breakdowns:
                raise LookupError(f"Breakdown {breakdown.code} is declared twice")
            breakdowns[breakdown.code] = breakdown
    return breakdowns


def section_labels(defaults: dict | None = None) -> dict[str, str]:
    """{section: label}: a figures module's SECTION_LABELS, else `defaults`, else the name of the
    first app declaring figures of the section (a new app's section needs no change elsewhere)."""
    declared: dict[str, str] = {}
    found: dict[str, str] = {}
    for config, module in app_modules("figures"):
        declared.update(getattr(module, "SECTION_LABELS", {}))
        for item in [*getattr(module, "FIGURES", []), *getattr(module, "BREAKDOWNS", [])]:
            if item.section:
                found.setdefault(item.section, config.verbose_name)
    return {**found, **(defaults or {}), **declared}


def compute_breakdowns(period: Period, scope: str | None = None) -> dict[str, list[BreakdownValue]]:
    """Every breakdown of a period with each group's links, from the database (no cache)."""
    context = FigureContext(period, scope)
    result = {}
    for code, breakdown in all_breakdowns().items():
        common = breakdown.filters(period) if breakdown.filters else {}
        values = []
        for row in breakdown.rows(context):
            list_url = page_url = None
            if row.filters is not None:
                filters = {**common, **row.filters}
                list_url = _with_query(reverse(f"api:{breakdown.api_list}"), filters)
                if breakdown.page:
                    page_url = _with_query(reverse(breakdown.page), filters)
            values.append(
                BreakdownValue(row.label, row.value, row.count, row.change, list_url, page_url)
            )
        result[code] = values
    return result


def breakdown_values(period: Period, scope: str | None = None) -> dict[str, list[BreakdownValue]]:
    """Every breakdown of a period, from the cache when the data has not changed since."""
    key = f"breakdowns:{_generation()}:{timezone.localdate()}:{period.code}:{scope or 'all'}"
    values = cache.get(key)
    if values is None:
        values = compute_breakdowns(period, scope)
        cache.set(key, values, CACHE_SECONDS)
    return values


def all_figures() -> dict[str, Figure]:
    figures: dict[str, Figure] = {}
    for _config, module in app_modules("figures"):
        for figure in getattr(module, "FIGURES", []):
            if figure.code in figures:
                raise LookupError(f"Figure {figure.code} is declared twice")
            figures[figure.code] = figure
    return figures


def _ratio(kind: str, numerator, denominator) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    share = Decimal(numerator) * 100 / Decimal(denominator)
    if kind == "growth":
        share -= 100
    return share.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class FigureValue:
    value: int | Decimal | None
    list_url: str | None
    page_url: str | None


def compute_figures(period: Period, scope: str | None = None) -> dict[str, FigureValue]:
    """Every figure of a period with its links, from the database (no cache)."""
    figures = all_figures()
    context = FigureContext(period, scope)
    values = {code: f.compute(context) for code, f in figures.items() if f.ratio is None}
    for code, figure in figures.items():
        if figure.ratio is not None:
            kind, numerator, denominator = figure.ratio
            values[code] = _ratio(kind, values.get(numerator), values.get(denominator))
    return {
        code: FigureValue(values[code], *figure.urls(period)) for code, figure in figures.items()
    }


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY) or generation
    return generation


def figure_values(period: Period, scope: str | None = None) -> dict[str, FigureValue]:
    """Every figure of a period, from the cache when the data has not changed since."""
    # Today is part of the key: "overdue" and "as of today" figures move at midnight.
    key = f"figures:{_generation()}:{timezone.localdate()}:{period.code}:{scope or 'all'}"
    values = cache.get(key)
    if values is None:
        values = compute_figures(period, scope)
        cache.set(key, values, CACHE_SECONDS)
    return values


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


# Tasks (Celery) that recompute what readers will ask for after a write, so the first reader
# does not pay for it: registered by the app that reads the figures (apps/dashboard/apps.py),
# queued once per committed transaction that invalidated.
_WARM_UPS: list = []


def register_warm_up(task) -> None:
    """`task.delay()` is queued after every committed write that invalidates the figures."""
    if task not in _WARM_UPS:
        _WARM_UPS.append(task)


def _after_commit() -> None:
    _new_generation()
    for task in _WARM_UPS:
        task.delay()


def invalidate() -> None:
    """Forget every cached figure: now, and again when the writing transaction commits (a page
    computed meanwhile from the data as it was must not be served afterwards); then queue the
    warm-up tasks, once for the transaction however many of its writes invalidated."""
    _new_generation()
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        # Autocommit: a row saved by a script or a loader, one of perhaps thousands; writes
        # through services are atomic and warm once at their commit.
        return
    # One callback a transaction: it runs after all of its writes, so one new generation then
    # discards whatever was computed meanwhile.
    if not any(entry[1] is _after_commit for entry in connection.run_on_commit):
        transaction.on_commit(_after_commit)


def cached(name: str, compute: Callable[[], object], *parts) -> object:
    """Any other per-period result (a page's tables) cached under the same generation as the
    figures: recomputed after any write that invalidates them, and at midnight."""
    key = ":".join(
        str(part)
        for part in ("figures", _generation(), timezone.localdate(), get_language(), name, *parts)
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value
