"""The dashboard's reads: the figure registry's values for a period with year on year, targets
and completion, and the monthly trend.

Query budget of one period (cold cache): the registry's sources (enterprises 4 + 3 + 1 zone +
2 link look-ups, services 3 + 2, staff 3, investment 4, projects 1-2) for the period and again
for the same month of the previous year (year on year), plus 1 for the targets, and 1 for the
招商 teams' targets (investment.AnnualTarget) for who sees them. After a write in one area, only
the sources of that area's groups run again. Warm: only the targets' query. The number does
not grow with the number of figures that share a source, nor with the data."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.figures import (
    Breakdown,
    BreakdownValue,
    Figure,
    Period,
    all_breakdowns,
    all_figures,
    breakdown_values,
    cached,
    figure_values,
    section_labels,
    year_ago_values,
)
from apps.core.units import is_wan, to_yi, yi_label
from apps.dashboard import permissions, splits
from apps.dashboard.models import Briefing, Target
from apps.enterprises import selectors as enterprise_selectors
from apps.investment import selectors as investment_selectors
from apps.investment.models import Project
from apps.projects import selectors as project_selectors

# The sections leadership reads in this order (the order); a section an app adds later
# (declared by its figures) comes after these, then the team last.
SECTION_ORDER = ("economy", "investment", "projects", "service")
LAST_SECTIONS = ("staff",)
DEFAULT_LABELS = {
    "economy": _("经济运行"),
    "investment": _("招商引资"),
    "projects": _("项目建设"),
    "service": _("企业服务"),
    "staff": _("队伍"),
}


def ordered_sections(codes) -> list[str]:
    codes = set(codes)
    first = [code for code in SECTION_ORDER if code in codes]
    last = [code for code in LAST_SECTIONS if code in codes]
    others = sorted(codes - set(first) - set(last))
    return [*first, *others, *last]


def section_label(code: str) -> str:
    return str(section_labels(DEFAULT_LABELS).get(code, code))


@dataclass(frozen=True)
class GroupRow:
    """A team's or department's target for a figure's year, and what it has done."""

    label: str
    target: Decimal
    value: int | Decimal | None
    url: str | None
    in_yi: bool
    unit: str

    @property
    def completion(self) -> Decimal | None:
        if self.value is None:
            return None
        return (Decimal(self.value) * 100 / self.target).quantize(Decimal("0.01"))

    @property
    def shown_target(self) -> str:
        return _shown(self.target, self.in_yi)

    @property
    def shown_value(self) -> str:
        return _shown(self.value, self.in_yi)


@dataclass(frozen=True)
class FigureRow:
    figure: Figure
    period: Period
    value: int | Decimal | None
    previous: int | Decimal | None
    target: Decimal | None
    expected: Decimal | None  # the share of the year's target due by the period (序时), in %
    list_url: str | None
    page_url: str | None
    # Completion per team or department where the year's target is split (splits.py).
    groups: tuple[GroupRow, ...] = field(default=())

    @property
    def shown(self) -> tuple[str, str]:
        """(number, unit) as leadership writes them: 万元 amounts in 亿元 (49.86, 50.4)."""
        in_yi = is_wan(self.figure.unit)
        if self.value is None or not in_yi:
            return "—" if self.value is None else f"{self.value}", str(self.figure.unit)
        return _shown(self.value, True), yi_label()

    @property
    def yoy(self) -> Decimal | None:
        """Year on year in %: counts and sums only (a rate's own change is not a growth)."""
        if not self.figure.has_yoy:
            return None
        if self.value is None or not self.previous:
            return None
        return ((Decimal(self.value) / Decimal(self.previous) - 1) * 100).quantize(Decimal("0.01"))

    @property
    def completion(self) -> Decimal | None:
        """累计 ÷ 目标, in %."""
        if self.target is None or self.value is None:
            return None
        return (Decimal(self.value) * 100 / self.target).quantize(Decimal("0.01"))

    @property
    def schedule_gap(self) -> Decimal | None:
        """超(+)/欠(−)序时 in points: completion − the share due by this month."""
        if self.completion is None or self.expected is None:
            return None
        return (self.completion - self.expected).quantize(Decimal("0.01"))

    @property
    def schedule_behind(self) -> Decimal | None:
        return _abs(self.schedule_gap)


def _shown(value, in_yi: bool) -> str:
    if value is None:
        return "—"
    text = f"{to_yi(value):f}" if in_yi else f"{value}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _abs(value):
    return None if value is None else abs(value)


def latest_period() -> Period:
    """The latest month with data: the newest monthly report, else the current month."""
    latest = enterprise_selectors.latest_reported_period()
    if latest is None:
        today = timezone.localdate()
        return Period(today.year, today.month)
    return Period(*latest)


# The months readers chose lately (the page or the API): after a write the warm-up task
# recomputes them as well as the latest month, so that whoever comes back to a month finds it
# warm. Kept in the cache as {period code: when last noted (epoch seconds)}; a reader notes a
# month at most once an hour (one cache read per request, a write only then).
READ_PERIODS_KEY = "dashboard:read-periods"
READ_PERIODS_DAYS = 7
READ_PERIODS_WARMED = 6
READ_PERIODS_YEARS = 5
READ_NOTE_SECONDS = 3600


def _read_periods() -> dict[str, float]:
    read = cache.get(READ_PERIODS_KEY)
    if not isinstance(read, dict):
        return {}
    horizon = time.time() - READ_PERIODS_DAYS * 86400
    return {
        code: at
        for code, at in read.items()
        if isinstance(code, str) and isinstance(at, int | float) and at >= horizon
    }


def note_read(period: Period, latest: Period) -> None:
    """A reader chose `period`: noted when it lies in the READ_PERIODS_YEARS years up to the
    latest month with data (none after it has data; a month far before it, typed in the
    address, must not take a place a month readers use would have)."""
    months = (latest.year - period.year) * 12 + latest.month - period.month
    if not 0 <= months < READ_PERIODS_YEARS * 12:
        return
    read = _read_periods()
    now = time.time()
    if now - read.get(period.code, 0) < READ_NOTE_SECONDS:
        return
    read[period.code] = now
    newest = sorted(read.items(), key=lambda item: -item[1])[: READ_PERIODS_WARMED * 2]
    cache.set(READ_PERIODS_KEY, dict(newest), READ_PERIODS_DAYS * 86400)


def periods_to_warm() -> list[Period]:
    """The latest month with data, then the months read in the last READ_PERIODS_DAYS days,
    most recently read first (READ_PERIODS_WARMED of them at most)."""
    latest = latest_period()
    periods = [latest]
    for code, _at in sorted(_read_periods().items(), key=lambda item: -item[1]):
        try:
            period = Period.parse(code)
        except ValueError:
            continue
        if period not in periods and len(periods) <= READ_PERIODS_WARMED:
            periods.append(period)
    return periods


def targets_for(year: int) -> dict[str, dict[int | None, Decimal]]:
    """{indicator: {month or None: value}} of a year, the zone's (1 query)."""
    return year_targets(year)[0]


def zone_year_targets(year: int) -> dict[str, Decimal]:
    """{figure code: the zone's target for the year} (the year's value, or December's
    cumulative one) (1 query): what apps.core.figures.year_targets serves to other apps."""
    return {
        code: split.get(None) or split[12]
        for code, split in targets_for(year).items()
        if None in split or 12 in split
    }


def year_targets(year: int) -> tuple[dict, dict]:
    """The zone's targets of a year, {indicator: {month or None: value}}, and the department
    splits, {indicator: [(department id, department name, value)]} (1 query)."""
    zone: dict[str, dict[int | None, Decimal]] = {}
    groups: dict[str, list[tuple[int, str, Decimal]]] = {}
    rows = Target.objects.filter(year=year).values_list(
        "indicator", "month", "value", "department_id", "department__name"
    )
    for indicator, month, value, department, department_name in rows.order_by(
        "indicator", "department__sort_order", "month"
    ):
        if department is not None:
            groups.setdefault(indicator, []).append((department, department_name, value))
        else:
            zone.setdefault(indicator, {})[month] = value
    return zone, groups


def team_split_targets(year: int) -> dict[str, list[tuple[int, str, Decimal]]]:
    """The 招商 teams' targets of the team-split figures, {indicator: [(team id, team name,
    target)]}, read from investment.AnnualTarget, the one place they are set (1 query)."""
    measures = investment_selectors.team_targets(year)
    result = {}
    for code, split in splits.SPLITS.items():
        if split.team_target and measures[split.team_target]:
            result[code] = measures[split.team_target]
    return result


def cached_team_split_targets(year: int) -> dict[str, list[tuple[int, str, Decimal]]]:
    """team_split_targets, cached with the figures: every AnnualTarget write
    (investment.services.annual_target_save) invalidates them; warmed by the warm-up task."""
    return cached("team-targets", lambda: team_split_targets(year), year, areas=("investment",))


def _target(figure: Figure, period: Period, targets: dict) -> tuple[Decimal | None, Decimal | None]:
    """(the year's target, the share of it due by the period in %) for a figure."""
    if not figure.target or figure.code not in targets:
        return None, None
    split = targets[figure.code]
    year_target = split.get(None) or split.get(12)
    if year_target is None:
        return None, None
    if figure.target != "cumulative":
        return year_target, None
    if period.month in split:
        expected = split[period.month] * 100 / year_target
    else:
        expected = Decimal(period.month) * 100 / 12
    return year_target, expected.quantize(Decimal("0.01"))


def dashboard_rows(*, period: Period, user, scope: str | None = None) -> list[FigureRow]:
    """The figures `user` may see for a period, in section and declaration order (`scope`:
    None for the whole zone, figures.PUBLIC without confidential records)."""
    figures = all_figures()
    values = figure_values(period, scope)
    previous = year_ago_values(period.previous_year, scope)
    targets, split_targets = year_targets(period.year)
    visible = [
        code
        for code, figure in figures.items()
        if figure.section is not None and permissions.sees(user, figure)
    ]
    group_targets = {code: split_targets[code] for code in visible if code in split_targets}
    team_codes = [code for code in visible if code in splits.SPLITS]
    team_codes = [code for code in team_codes if splits.SPLITS[code].team_target]
    if team_codes and permissions.sees_team_targets(user):
        teams = cached_team_split_targets(period.year)
        group_targets |= {code: teams[code] for code in team_codes if code in teams}
    groups = _group_rows(period, group_targets)
    rows = []
    for code, figure in figures.items():
        if code not in visible:
            continue
        target, expected = _target(figure, period, targets)
        rows.append(
            FigureRow(
                figure=figure,
                period=period,
                value=values[code].value,
                previous=previous.get(code),
                target=target,
                expected=expected,
                list_url=values[code].list_url,
                page_url=values[code].page_url,
                groups=groups.get(code, ()),
            )
        )
    order = ordered_sections({row.figure.section for row in rows})
    rows.sort(key=lambda row: (order.index(row.figure.section), row.figure.order))
    return rows


def _group_rows(period: Period, split_targets: dict) -> dict[str, tuple[GroupRow, ...]]:
    """Each split figure's groups with their target and value (the values cached with the
    figures; no query when no target of the year is split)."""
    indicators = tuple(sorted(code for code in split_targets if code in splits.SPLITS))
    if not indicators:
        return {}
    figures = all_figures()
    areas = {area for code in indicators for area in figures[splits.SPLITS[code].link_figure].areas}
    values = cached(
        "split-values",
        lambda: splits.group_values(period, indicators),
        period.code,
        *indicators,
        areas=areas,
    )
    result = {}
    for code in indicators:
        in_yi = is_wan(figures[code].unit)
        result[code] = tuple(
            GroupRow(
                label=name,
                target=target,
                value=values[code].get(group, 0 if splits.SPLITS[code].additive else None),
                url=splits.group_url(code, period, group),
                in_yi=in_yi,
                unit=yi_label() if in_yi else str(figures[code].unit),
            )
            for group, name, target in split_targets[code]
        )
    return result


@dataclass(frozen=True)
class BreakdownChart:
    breakdown: Breakdown
    period: Period
    rows: list[BreakdownValue]

    @property
    def in_yi(self) -> bool:
        return is_wan(self.breakdown.unit)

    @property
    def unit(self) -> str:
        return yi_label() if self.in_yi else str(self.breakdown.unit)

    @property
    def table(self) -> list[tuple[BreakdownValue, str]]:
        """(group, its value as shown: 万元 in 亿元)."""
        return [(row, _shown(row.value, self.in_yi)) for row in self.rows]

    @property
    def script_id(self) -> str:
        return f"breakdown-{self.breakdown.code}"

    @property
    def data(self) -> dict:
        """What the chart draws: labels, values (万元 in 亿元) and each bar's link."""

        def number(value):
            if value is None:
                return None
            return float(to_yi(value)) if self.in_yi else float(value)

        return {
            "code": self.breakdown.code,
            "chart": self.breakdown.chart,
            "unit": self.unit,
            "labels": [row.label for row in self.rows],
            "values": [number(row.value) for row in self.rows],
            "changes": [None if row.change is None else float(row.change) for row in self.rows],
            "links": [row.page_url or row.list_url for row in self.rows],
            "colours": list(self.breakdown.colours),
        }


def dashboard_breakdowns(*, period: Period, user, scope: str | None = None) -> list[BreakdownChart]:
    """The breakdowns `user` may see for a period, in section and declaration order."""
    values = breakdown_values(period, scope)
    charts = [
        BreakdownChart(breakdown, period, values[code])
        for code, breakdown in all_breakdowns().items()
        if permissions.sees(user, breakdown) and values[code]
    ]
    order = ordered_sections({chart.breakdown.section for chart in charts})
    charts.sort(key=lambda chart: (order.index(chart.breakdown.section), chart.breakdown.order))
    return charts


def _goal_line(indicator: str, year: int) -> list[float]:
    """The cumulative goal line (序时) of a year's target in 亿元, empty without a target
    (1 query)."""
    targets = targets_for(year).get(indicator, {})
    year_target = targets.get(None) or targets.get(12)
    if not year_target:
        return []
    return [float(to_yi(targets.get(month, year_target * month / 12))) for month in range(1, 13)]


def _trend(
    months: dict,
    period: Period,
    *,
    title: str,
    goal: list[float],
    plan: list[float] | None = None,
    plan_label: str = "",
) -> dict:
    def series(year):
        return [
            float(to_yi(months[(year, m)])) if (year, m) in months else None for m in range(1, 13)
        ]

    return {
        "title": title,
        "months": [str(_("%(month)s月") % {"month": m}) for m in range(1, 13)],
        "current": series(period.year),
        "previous": series(period.year - 1),
        # The legend's and the axis' words, in the reader's language.
        "current_label": str(_("%(year)s年") % {"year": period.year}),
        "previous_label": str(_("%(year)s年") % {"year": period.year - 1}),
        "unit": yi_label(),
        "goal": goal,
        "goal_label": str(_("序时目标")),
        "plan": plan or [],
        "plan_label": str(plan_label),
        "year": period.year,
    }


def output_months(*, period: Period, year: int) -> dict:
    """{(year, month): 规上工业总产值 year to date (万元)} of `year`'s months (1 query)."""
    return enterprise_selectors.industry_ytd_by_month(years=[year])


def investment_months(*, period: Period, year: int) -> dict:
    """{(year, month): contract investment signed to date (万元)} of `year`'s months, counted
    as the figure `investment_contract` counts it (1 query). In the period's own year, the
    months after the period are left out."""
    by_month = dict(
        Project.objects.filter(signed_on__year=year)
        .values_list("signed_on__month")
        .annotate(amount=Sum("contract_investment"))
        .order_by()
    )
    return _to_date(by_month, period, year)


def _to_date(by_month: dict, period: Period, year: int) -> dict:
    """{(year, month): the running sum of `by_month` ({month: amount}) to that month}, up to
    the period's month in its own year."""
    months = {}
    running = Decimal(0)
    last = period.month if year == period.year else 12
    for month in range(1, last + 1):
        running += Decimal(by_month.get(month) or 0)
        months[(year, month)] = running
    return months


def project_investment_months(*, period: Period, year: int) -> dict:
    """{(year, month): fixed-asset investment completed to date (万元, approved monthly
    reports)} of `year`'s months, as the figure `projects_investment_ytd` counts it (1 query).
    In the period's own year, the months after the period are left out."""
    return _to_date(project_selectors.invested_in_year(year), period, year)


def project_plan_line(year: int) -> list[float]:
    """The projects' plans of `year`, cumulative month by month (序时, 亿元; 1 query): the
    line the investment completed is read against."""
    running, line = Decimal(0), []
    for value in project_selectors.planned_in_year(year):
        running += value
        line.append(float(to_yi(running)))
    return line if running else []


@dataclass(frozen=True)
class Trend:
    """A section's trend chart: its months, each year's read from its app's data and cached
    under that app's `areas` and the year, and the goal line of its `indicator`'s target, cached
    under the targets' area: a target saved redraws the line and keeps the months, a monthly
    import recomputes the months and keeps the line."""

    # months(period=..., year=...): {(year, month): value} of one year's months.
    months: Callable[..., dict]
    areas: tuple[str, ...]
    indicator: str
    title: Callable[[int], str]
    # A second line of a year drawn from the app's own data (the projects' plans), cached
    # under `areas`, beside the goal line of the indicator's target; and what it is called.
    plan: Callable[[int], list[float]] | None = None
    plan_label: str = ""


# Each section's trend chart, shown with the section (its figures decide who sees it).
TRENDS = {
    "economy": Trend(
        months=output_months,
        areas=("enterprises",),
        indicator="industry_output_ytd",
        title=lambda year: _("规上工业总产值累计（亿元）：%(year)s年与上年") % {"year": year},
    ),
    "investment": Trend(
        months=investment_months,
        areas=("investment",),
        indicator="investment_contract",
        title=lambda year: _("合同投资累计（亿元）：%(year)s年与上年") % {"year": year},
    ),
    "projects": Trend(
        months=project_investment_months,
        areas=("projects",),
        indicator="projects_investment_ytd",
        title=lambda year: (
            _("项目完成投资累计（亿元）：%(year)s年、上年与计划序时") % {"year": year}
        ),
        plan=project_plan_line,
        plan_label=_("计划序时"),
    ),
}
# The targets' area: the goal lines read it.
GOAL_AREAS = ("dashboard",)


def section_trend(code: str, period: Period) -> dict:
    """A section's trend: its months, the period's year and the year before (亿元), and the
    cumulative goal line when the year has a target. Both parts are cached (a trend reads a
    year of monthly rows at every scale), each under the areas whose writes change it
    (Trend): recomputed after such a write, by the warm-up task or the first reader."""
    trend = TRENDS[code]
    months = {}
    # Each year's months apart: a monthly import of this year keeps last year's line.
    for year in (period.year - 1, period.year):
        months |= cached(
            f"trend-{code}",
            lambda year=year: trend.months(period=period, year=year),
            period.code,
            year,
            areas=trend.areas,
            years=(year,),
        )
    goal = cached(
        f"goal-{trend.indicator}",
        lambda: _goal_line(trend.indicator, period.year),
        period.year,
        areas=GOAL_AREAS,
    )
    plan = []
    if trend.plan is not None:
        plan = cached(
            f"plan-{code}", lambda: trend.plan(period.year), period.year, areas=trend.areas
        )
    return _trend(
        months,
        period,
        title=trend.title(period.year),
        goal=goal,
        plan=plan,
        plan_label=trend.plan_label,
    )


def economy_headline(rows: list[FigureRow], period: Period) -> str:
    """The sentence leadership quotes, from the registry's figures (as
    PeriodStatistics.headline words it): no query of its own, so it never disagrees with the
    cards."""
    by_code = {row.figure.code: row for row in rows}
    needed = ("industry_enterprises", "industry_output_ytd", "industry_revenue_ytd")
    if any(code not in by_code or by_code[code].value is None for code in needed):
        return ""
    if not by_code["industry_enterprises"].value:
        return ""
    sentence = _(
        "截至%(year)d年%(month)d月份，%(count)d家规上工业企业工业总产值%(output)s亿元；"
        "工业营业收入累计实现%(revenue)s亿元"
    ) % {
        "year": period.year,
        "month": period.month,
        "count": by_code["industry_enterprises"].value,
        "output": by_code["industry_output_ytd"].shown[0],
        "revenue": by_code["industry_revenue_ytd"].shown[0],
    }
    growth = by_code.get("industry_revenue_growth")
    if growth is not None and growth.value is not None:
        change = _("，同比增长%(rate)s%%") if growth.value >= 0 else _("，同比下降%(rate)s%%")
        sentence += change % {"rate": abs(growth.value)}
    return str(sentence)


def briefing_list():
    """Briefings without their stored content (a list does not need the files)."""
    return Briefing.objects.select_related("created_by").defer("document", "snapshot")


def briefing_detail_queryset():
    return Briefing.objects.select_related("created_by").defer("document")


@dataclass(frozen=True)
class TargetLine:
    """One indicator's targets of a year on the targets page."""

    code: str
    label: str
    unit: str
    cumulative: bool
    split_kind: str | None  # splits.TEAM, splits.DEPARTMENT or None
    annual: str | None
    months: list[tuple[int, str]]
    groups: list[tuple[str, str]]
    # False for the team splits: the teams' targets are investment.AnnualTarget's, shown here
    # read-only (to who may read them).
    groups_set_here: bool = True
    # The teams' targets added up, when that is more than the year's target (else None).
    groups_over: str | None = None


def target_lines(year: int, *, user) -> list[TargetLine]:
    """Every indicator that takes a target, with the year's value, monthly split and group
    splits as written (万元 in 亿元) (1 query, and 1 for the 招商 teams' targets for who may
    read them)."""
    zone, groups = year_targets(year)
    if permissions.sees_team_targets(user):
        groups |= team_split_targets(year)
    lines = []
    for code, figure in all_figures().items():
        if not (figure.target and figure.section):
            continue
        in_yi = is_wan(figure.unit)
        split = zone.get(code, {})
        annual = split.get(None)
        split_kind = splits.SPLITS[code].kind if code in splits.SPLITS else None
        set_here = code not in splits.SPLITS or splits.SPLITS[code].set_here
        total = sum((value for _id, _name, value in groups.get(code, [])), Decimal(0))
        over = not set_here and annual is not None and total > annual
        lines.append(
            TargetLine(
                code=code,
                label=str(figure.label),
                unit=yi_label() if in_yi else str(figure.unit),
                cumulative=figure.target == "cumulative",
                split_kind=split_kind,
                annual=None if annual is None else _shown(annual, in_yi),
                months=[
                    (month, _shown(value, in_yi))
                    for month, value in sorted(split.items(), key=lambda item: item[0] or 0)
                    if month is not None
                ],
                groups=[(name, _shown(value, in_yi)) for _id, name, value in groups.get(code, [])],
                groups_set_here=set_here,
                groups_over=_shown(total, in_yi) if over else None,
            )
        )
    return lines


def target_groups(indicator: str):
    """The departments an indicator's year target may be split among on the targets page (a
    queryset), or an empty list (a team split is set in 招商, not here)."""
    split = splits.SPLITS.get(indicator)
    if split is None or not split.set_here:
        return []
    from apps.services.selectors import responsible_departments

    return responsible_departments()


def target_initial(indicator: str, year: int) -> dict:
    """The form's initial values: the stored rows of the indicator's year (1 query)."""
    initial = {}
    for row in Target.objects.filter(indicator=indicator, year=year):
        if row.department_id is not None:
            initial[f"g{row.department_id}"] = row.value
        elif row.month is None:
            initial["annual"] = row.value
        else:
            initial[f"m{row.month}"] = row.value
    return initial


def target_list():
    """Target rows for the API, with their department's name."""
    return Target.objects.select_related("department")
