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
number of sources, not of figures.

Areas: the cache is invalidated per area, an area being the app whose writes change a figure
(`enterprises`: the registry and the monthly statistics; `investment`; `projects`; `services`;
`staff`; `dashboard`: the targets). Each area has a generation token that `invalidate(area)`
replaces; the writes call it for their own app (the monthly import, every workflow transition
for its model's app, a new visit), so a figure read after a write is never the one from before
it, and a write in one area leaves the other areas' cached values in place. A figure belongs to
the app declaring it unless it names the areas it reads (`areas=`); figures (and breakdowns)
are cached per period in groups of the same areas, each group's key holding the generations of
its areas.
"""

import calendar
import functools
import hashlib
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models import CASCADE, DO_NOTHING, PROTECT, RESTRICT
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from apps.core.registry import app_modules, project_app_configs

# The scope of a report every reader sees alike (the monthly briefing): confidential records
# (保密 招商 leads and projects, and their funds) are left out. A figure source that holds
# confidential records honours it; the others compute the same values for it as for None.
PUBLIC = "public"

GENERATION_KEY = "figures:generation:{area}"
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


# The contexts shared inside one_context_per_period(): {(period, scope): FigureContext}.
_SHARED_CONTEXTS: ContextVar[dict | None] = ContextVar("figure_contexts", default=None)


@contextmanager
def one_context_per_period():
    """Within it, the figures and the breakdowns of a period computed for one read share their
    sources: a source both read (the 招商 projects' aggregate: the figures and the pipeline's
    stages) runs once. For a read that shows both (the dashboard page, the warm-up task).

    A context is shared only between groups computed under the same generations of the same
    areas (`stamp`): a source read before another process's write is never used for a group
    whose generations were read after it (it would be kept under the new ones)."""
    token = _SHARED_CONTEXTS.set({})
    try:
        yield
    finally:
        _SHARED_CONTEXTS.reset(token)


def _context(period: Period, scope: str | None, stamp: tuple | None = None) -> FigureContext:
    """A new context, or, inside one_context_per_period() and with the `stamp` of the group
    being computed (its areas and their generations), the one shared under that stamp."""
    shared = _SHARED_CONTEXTS.get()
    if shared is None or stamp is None:
        return FigureContext(period, scope)
    return shared.setdefault((period, scope, stamp), FigureContext(period, scope))


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
    # The areas (app labels) whose writes change it; empty: the declaring app's alone (filled
    # in by all_figures()).
    areas: tuple[str, ...] = ()

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

    @property
    def has_yoy(self) -> bool:
        """Whether a year on year is shown: counts and sums of a period, not a figure judged
        today nor a rate (a rate's own change is not a growth)."""
        return not self.current and str(self.unit) != "%"


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
    # A line of text about the group (a red project's reasons), "" when there is none.
    note: str = ""


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
    # The page's own query for the period (default: the list's filters and the group's): a
    # page that shows every group (the 赛马榜 for a team's score).
    page_filters: Callable[[Period], dict] | None = None
    permission: str | None = None
    # "bar", "funnel" (a pipeline's stages, in order) or "list" (a table of the groups with
    # their notes, no chart: the red projects and their reasons).
    chart: str = "bar"
    # A bar's colour per group, in the rows' order (the projects' red, amber and green);
    # empty: every bar in the one colour.
    colours: tuple[str, ...] = ()
    current: bool = False
    order: int = 100
    # As Figure.areas.
    areas: tuple[str, ...] = ()
    # A list that names rows: whether the user may read every row it may name (the owning
    # app's scope), besides `permission`: a name shown must open its row.
    reads_rows: Callable[[Any], bool] | None = None

    def visible_to(self, user) -> bool:
        if self.permission is not None and not user.has_perm(self.permission):
            return False
        return self.reads_rows is None or self.reads_rows(user)

    @property
    def names_rows(self) -> bool:
        """A list (the red projects) names the rows it stands for: shown only to who holds its
        own permission and reads every row (`reads_rows`), never through a department head's
        area view."""
        return self.chart == "list"


@dataclass(frozen=True)
class BreakdownValue:
    label: str
    value: int | Decimal | None
    count: int
    change: Decimal | None
    list_url: str | None
    page_url: str | None
    note: str = ""


@functools.cache
def all_breakdowns() -> dict[str, Breakdown]:
    """The declared breakdowns, read once (the apps' figures modules do not change while the
    process runs); callers must not change the dict."""
    breakdowns: dict[str, Breakdown] = {}
    for config, module in app_modules("figures"):
        for breakdown in getattr(module, "BREAKDOWNS", []):
            if breakdown.code in breakdowns:
                raise LookupError(f"Breakdown {breakdown.code} is declared twice")
            breakdowns[breakdown.code] = _with_areas(breakdown, config.label)
    return breakdowns


def _with_areas(item, label: str):
    if not item.areas:
        return replace(item, areas=(label,))
    _check_areas(item.areas)
    return item


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


def compute_breakdowns(
    period: Period,
    scope: str | None = None,
    *,
    codes: Iterable[str] | None = None,
    stamp: tuple | None = None,
) -> dict[str, list[BreakdownValue]]:
    """Every breakdown of a period (or those of `codes`) with each group's links, from the
    database (no cache; `stamp`: see _context)."""
    context = _context(period, scope, stamp)
    result = {}
    breakdowns = all_breakdowns()
    for code in breakdowns if codes is None else codes:
        breakdown = breakdowns[code]
        common = breakdown.filters(period) if breakdown.filters else {}
        values = []
        for row in breakdown.rows(context):
            list_url = page_url = None
            if row.filters is not None:
                filters = {**common, **row.filters}
                list_url = _with_query(reverse(f"api:{breakdown.api_list}"), filters)
                if breakdown.page:
                    shown = breakdown.page_filters(period) if breakdown.page_filters else filters
                    page_url = _with_query(reverse(breakdown.page), shown)
            values.append(
                BreakdownValue(
                    row.label, row.value, row.count, row.change, list_url, page_url, row.note
                )
            )
        result[code] = values
    return result


def breakdown_values(period: Period, scope: str | None = None) -> dict[str, list[BreakdownValue]]:
    """Every breakdown of a period, each group of areas from the cache when the data of its
    areas has not changed since."""
    breakdowns = all_breakdowns()
    found = _cached_by_areas(
        # The groups' labels and notes are written in the reader's language (a stage's name,
        # "已停留…天"): kept per language.
        f"breakdowns-{get_language()}",
        breakdowns,
        period,
        scope,
        lambda codes, stamp: compute_breakdowns(period, scope, codes=codes, stamp=stamp),
    )
    return {code: found[code] for code in breakdowns}


@functools.cache
def all_figures() -> dict[str, Figure]:
    """The declared figures, read once (the dashboard page alone asks for them some twenty
    times); callers must not change the dict."""
    figures: dict[str, Figure] = {}
    for config, module in app_modules("figures"):
        for figure in getattr(module, "FIGURES", []):
            if figure.code in figures:
                raise LookupError(f"Figure {figure.code} is declared twice")
            figures[figure.code] = _with_areas(figure, config.label)
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


def _computed_values(
    figures: dict[str, Figure],
    period: Period,
    scope: str | None,
    codes: Iterable[str],
    *,
    links: bool = True,
    stamp: tuple | None = None,
) -> dict[str, FigureValue]:
    """The listed (not ratio) figures of `codes` with their links (or without: None), from the
    database (`stamp`: see _context)."""
    context = _context(period, scope, stamp)
    return {
        code: FigureValue(
            figures[code].compute(context),
            *(figures[code].urls(period) if links else (None, None)),
        )
        for code in codes
    }


def _with_ratios(
    figures: dict[str, Figure], period: Period, values: dict[str, FigureValue]
) -> dict[str, FigureValue]:
    """Every figure in declaration order, the rates computed from their parts (no query)."""
    result = {}
    for code, figure in figures.items():
        if figure.ratio is None:
            result[code] = values[code]
            continue
        kind, numerator, denominator = figure.ratio
        parts = [values.get(part) for part in (numerator, denominator)]
        value = _ratio(kind, *(None if part is None else part.value for part in parts))
        result[code] = FigureValue(value, *figure.urls(period))
    return result


def compute_figures(period: Period, scope: str | None = None) -> dict[str, FigureValue]:
    """Every figure of a period with its links, from the database (no cache)."""
    figures = all_figures()
    listed = [code for code, figure in figures.items() if figure.ratio is None]
    return _with_ratios(figures, period, _computed_values(figures, period, scope, listed))


def _check_areas(areas: Iterable[str]) -> None:
    """An area is an app's label: a misspelt one would never be invalidated."""
    for area in areas:
        apps.get_app_config(area)


def _generation_key(area: str, part: str | int | None = None) -> str:
    """The area's generation (`part` None), its every-year generation (`part` "all") or one
    year's (`part` a year)."""
    key = GENERATION_KEY.format(area=area)
    return key if part is None else f"{key}:{part}"


def _generations(areas: Iterable[str], years: Iterable[int] | None = None) -> dict[str, str]:
    """{area: its current generation token} (one cache round trip when all are set); with
    `years`, each area's token is made of its every-year generation and those of the years."""
    areas = list(areas)
    parts: list[str | int | None] = [None] if years is None else ["all", *sorted(set(years))]
    keys = {(area, part): _generation_key(area, part) for area in areas for part in parts}
    found = cache.get_many(keys.values())
    tokens: dict[str, list[str]] = {area: [] for area in areas}
    for (area, _part), key in keys.items():
        generation = found.get(key)
        if generation is None:
            cache.add(key, uuid.uuid4().hex, None)
            generation = cache.get(key) or uuid.uuid4().hex
        tokens[area].append(generation)
    return {area: "-".join(found_tokens) for area, found_tokens in tokens.items()}


def _area_key(prefix: str, areas: tuple[str, ...], generations: dict, *parts) -> str:
    tokens = ".".join(f"{area}-{generations[area]}" for area in areas)
    if len(tokens) > 120:
        # Several areas' tokens (three each for a period's years): their digest keeps the key
        # under the 250 characters Django's cache keys are held to (CacheKeyWarning).
        tokens = hashlib.blake2b(tokens.encode(), digest_size=16).hexdigest()
    # Today is part of the key: "overdue" and "as of today" figures move at midnight.
    return ":".join(str(part) for part in (prefix, tokens, timezone.localdate(), *parts))


def period_years(period: "Period") -> tuple[int, int]:
    """The years of data a period's figures read: its own and the year before (year on year,
    同口径). A write dated in another year (invalidate(area, years=...)) keeps them."""
    return (period.year - 1, period.year)


def _cached_by_areas(prefix: str, items: dict, period: Period, scope, compute) -> dict:
    """The values of `items` ({code: Figure or Breakdown}) grouped by their areas, each group
    read from the cache under its areas' generations, or computed (`compute(codes, stamp)`, the
    stamp being the group's areas and their generations) and kept."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for code, item in items.items():
        groups.setdefault(item.areas, []).append(code)
    generations = _generations(
        {area for areas in groups for area in areas}, years=period_years(period)
    )
    # The group's codes are part of its key: a figure moved to another group of areas (or a new
    # one) is not looked for in a group kept before the change.
    keys = {
        areas: _area_key(
            prefix, areas, generations, period.code, scope or "all", _digest(groups[areas])
        )
        for areas in groups
    }
    found = cache.get_many(keys.values())
    values: dict = {}
    for areas, codes in groups.items():
        group = found.get(keys[areas])
        if group is None or not all(code in group for code in codes):
            # The generations were read before anything is computed: a source shared with
            # another group under the same stamp was read after them too.
            group = compute(codes, tuple((area, generations[area]) for area in areas))
            cache.set(keys[areas], group, CACHE_SECONDS)
        values.update(group)
    return values


def _digest(codes: list[str]) -> str:
    return hashlib.blake2b("\n".join(sorted(codes)).encode(), digest_size=6).hexdigest()


def figure_values(period: Period, scope: str | None = None) -> dict[str, FigureValue]:
    """Every figure of a period: each group of areas from the cache when the data of its areas
    has not changed since (a write elsewhere keeps it), the rates computed from their parts."""
    figures = all_figures()
    listed = {code: figure for code, figure in figures.items() if figure.ratio is None}
    values = _cached_by_areas(
        "figures",
        listed,
        period,
        scope,
        lambda codes, stamp: _computed_values(figures, period, scope, codes, stamp=stamp),
    )
    return _with_ratios(figures, period, values)


def year_ago_values(period: Period, scope: str | None = None) -> dict[str, int | Decimal | None]:
    """{code: value} of the figures with a year on year (Figure.has_yoy), for `period` taken
    as the same month a year before another: the values alone, without their links, and
    without the figures judged today or the rates, which show none. Cached by areas as
    figure_values is (under their own keys: a subset of codes is its own group)."""
    figures = all_figures()
    listed = {
        code: figure for code, figure in figures.items() if figure.ratio is None and figure.has_yoy
    }
    values = _cached_by_areas(
        "year-ago",
        listed,
        period,
        scope,
        lambda codes, stamp: _computed_values(
            figures, period, scope, codes, links=False, stamp=stamp
        ),
    )
    return {code: value.value for code, value in values.items()}


def _new_generation(area: str, years: frozenset[int] | None = None) -> None:
    """A new generation of the area, and of every year of it (`years` None) or of `years`."""
    parts = ["all"] if years is None else sorted(years)
    cache.set_many({_generation_key(area, part): uuid.uuid4().hex for part in [None, *parts]}, None)


# Tasks (Celery) that recompute what readers will ask for after a write, so the first reader
# does not pay for it: registered by the app that reads the figures (apps/dashboard/apps.py),
# queued once per committed transaction that invalidated.
_WARM_UPS: list = []


def register_warm_up(task) -> None:
    """`task.delay()` is queued after every committed write that invalidates the figures."""
    if task not in _WARM_UPS:
        _WARM_UPS.append(task)


# The zone's annual targets are set in one place (apps/dashboard registers its reader here); an
# app that shows a figure beside its target on its own page (the 招商 bulletin) reads them here,
# so that it shows the dashboard's target without depending on the dashboard.
_TARGET_SOURCES: list[Callable[[int], dict[str, Decimal]]] = []


def register_target_source(source: Callable[[int], dict[str, Decimal]]) -> None:
    """`source(year)` returns {figure code: the zone's target for the year}."""
    if source not in _TARGET_SOURCES:
        _TARGET_SOURCES.append(source)


def year_targets(year: int) -> dict[str, Decimal]:
    """{figure code: the zone's target for `year`} for the figures that have one set."""
    targets: dict[str, Decimal] = {}
    for source in _TARGET_SOURCES:
        targets.update(source(year))
    return targets


class _AfterCommit:
    """A transaction's one callback: the areas its writes invalidated get a new generation
    once all of them are done (discarding whatever was computed meanwhile), then the warm-up
    tasks are queued, once however many writes invalidated."""

    def __init__(self):
        # {area: the years its writes were dated in, None: every year}
        self.areas: dict[str, frozenset[int] | None] = {}

    def add(self, area: str, years: frozenset[int] | None) -> None:
        if area in self.areas:
            known = self.areas[area]
            years = None if known is None or years is None else known | years
        self.areas[area] = years

    def __call__(self) -> None:
        for area, years in sorted(self.areas.items()):
            _new_generation(area, years)
        # One warm-up waiting in the queue serves every write committed before it starts
        # (it reads the data when it runs): a loader's thousand transactions queue one, not a
        # thousand. It clears the mark when it starts (warm_up_started), so a write committed
        # while it runs queues the next; the mark expires should no worker take it.
        if not _WARM_UPS or not cache.add(WARM_UP_PENDING, 1, WARM_UP_PENDING_SECONDS):
            return
        for task in _WARM_UPS:
            task.delay()


WARM_UP_PENDING = "figures:warm-up-pending"
WARM_UP_PENDING_SECONDS = 120


def warm_up_started() -> None:
    """Called first by each warm-up task: writes from now on queue another."""
    cache.delete(WARM_UP_PENDING)


def every_area() -> list[str]:
    """Every area: the project apps' labels."""
    return [config.label for config in project_app_configs()]


def invalidate(*areas: str, years: Iterable[int] | None = None) -> None:
    """Forget the cached figures (and `cached` results) of `areas` (app labels: the writer's
    own app), leaving the other areas' in place: now, and again when the writing transaction
    commits (a page computed meanwhile from the data as it was must not be served afterwards);
    then queue the warm-up tasks, once for the transaction.

    `years`: the write changed only data dated in these years (a monthly import of one month):
    the figures of periods that read other years (period_years, and `cached(years=...)`)
    stay; every other cached result of the areas is forgotten as without `years`."""
    if not areas:
        raise TypeError("invalidate() needs the areas (app labels) whose data changed")
    _check_areas(areas)
    years = None if years is None else frozenset(years)
    for area in areas:
        _new_generation(area, years)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        # Autocommit: a row saved by a script or a loader, one of perhaps thousands; writes
        # through services are atomic and warm once at their commit.
        return
    callback = next(
        (entry[1] for entry in connection.run_on_commit if isinstance(entry[1], _AfterCommit)),
        None,
    )
    if callback is None:
        callback = _AfterCommit()
        transaction.on_commit(callback)
    for area in areas:
        callback.add(area, years)


# {db_table: area} of the models whose every write invalidates their area by signal
# (invalidate_on_write): a result read from these tables alone may be kept until such a write
# (apps.core.counts).
_WATCHED_TABLES: dict[str, str] = {}


# What a deleted row does to the rows pointing to it that sends those rows' signals (a cascade
# deletes them through the collector) or changes nothing (refused, or left to the database).
_SIGNALLED_DELETES = (CASCADE, PROTECT, RESTRICT, DO_NOTHING)


def invalidate_on_write(
    area: str, *models, also: dict[type, Callable[[object], Iterable[str]]] | None = None
) -> None:
    """Invalidate `area` on every save and delete of `models` and every change of their
    many-to-many relations, whichever path writes them (a service, the admin site, a loader, a
    cascade): the net under the services' own calls. `also` {model: function of the row
    giving the other areas its write changes} (a demand about a project changes the projects'
    colours too: the services' own `demand_also_changes`). ``QuerySet.update()`` and
    ``bulk_create()`` send no signal: the services that use them on these models call
    invalidate() themselves."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    _check_areas((area,))
    also = also or {}

    def handler(sender=None, instance=None, **kwargs):
        more = also.get(type(instance))
        invalidate(area, *(more(instance) if more is not None else ()))

    for model in models:
        uid = f"figures-{area}-{model._meta.label}"
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
        _WATCHED_TABLES[model._meta.db_table] = area
        # A row these point to deleted with SET_NULL (or SET_DEFAULT, SET()) changes them by
        # an UPDATE, which sends no signal for them (a user deleted: the demands it was
        # assigned, the enterprises it was responsible for).
        for field in model._meta.concrete_fields:
            if field.many_to_one and field.remote_field.on_delete not in _SIGNALLED_DELETES:
                post_delete.connect(
                    handler,
                    sender=field.related_model,
                    dispatch_uid=f"{uid}-{field.name}-unset",
                    weak=False,
                )
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                handler, sender=through, dispatch_uid=f"{uid}-{field.name}", weak=False
            )
            # A cascade (a user or a row deleted) removes its rows without m2m_changed.
            post_delete.connect(
                handler, sender=through, dispatch_uid=f"{uid}-{field.name}-delete", weak=False
            )
            _WATCHED_TABLES[through._meta.db_table] = area


def watched_areas(tables: Iterable[str]) -> tuple[str, ...] | None:
    """The areas whose writes change the rows of `tables` (db table names), or None when one
    of them is not watched by invalidate_on_write (its writes may not invalidate)."""
    areas = set()
    for table in tables:
        area = _WATCHED_TABLES.get(table)
        if area is None:
            return None
        areas.add(area)
    return tuple(sorted(areas))


def cached(
    name: str,
    compute: Callable[[], object],
    *parts,
    areas: Iterable[str],
    years: Iterable[int] | None = None,
) -> object:
    """Any other per-period result (a page's tables, a trend) cached under the generations of
    the `areas` whose data it reads: recomputed after a write in any of them, and at midnight.
    `years`: it reads only data dated in these years of its areas, so a write dated in another
    year (invalidate(years=...)) keeps it."""
    areas = tuple(sorted(areas))
    generations = _generations(areas, years)
    key = _area_key("cached", areas, generations, get_language(), name, *parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value
