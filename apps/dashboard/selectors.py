"""The dashboard's reads: the figure registry's values for a period with year on year, targets
and completion, and the monthly trend.

Query budget of one period (cold cache): the registry's sources (enterprises 4 + 3 + 2 link
look-ups, services 5 + 2, staff 3 = 19 queries) for the period and again for the same month of
the previous year (year on year), plus 1 for the targets. Warm: only the targets' query. The
number does not grow with the number of figures that share a source, nor with the data."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from apps.core.figures import Figure, Period, all_figures, figure_values
from apps.core.units import to_yi
from apps.dashboard.models import Target
from apps.enterprises import selectors as enterprise_selectors

SECTIONS = ("economy", "service", "staff")


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

    @property
    def shown(self) -> tuple[str, str]:
        """(number, unit) as leadership writes them: 万元 amounts in 亿元 (49.86, 50.4)."""
        if self.value is None:
            return "—", str(self.figure.unit)
        if str(self.figure.unit) == "万元":
            text = f"{to_yi(self.value):f}"
            return text.rstrip("0").rstrip(".") if "." in text else text, "亿元"
        return f"{self.value}", str(self.figure.unit)

    @property
    def yoy(self) -> Decimal | None:
        """Year on year in %: counts and sums only (a rate's own change is not a growth)."""
        if self.figure.current or self.figure.unit == "%":
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


def _abs(value):
    return None if value is None else abs(value)


def latest_period() -> Period:
    """The latest month with data: the newest monthly report, else the current month."""
    latest = enterprise_selectors.latest_reported_period()
    if latest is None:
        today = timezone.localdate()
        return Period(today.year, today.month)
    return Period(*latest)


def targets_for(year: int) -> dict[str, dict[int | None, Decimal]]:
    """{indicator: {month or None: value}} of a year (1 query)."""
    targets: dict[str, dict[int | None, Decimal]] = {}
    for indicator, month, value in Target.objects.filter(year=year).values_list(
        "indicator", "month", "value"
    ):
        targets.setdefault(indicator, {})[month] = value
    return targets


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


def dashboard_rows(*, period: Period, user) -> list[FigureRow]:
    """The figures `user` may see for a period, in section and declaration order."""
    figures = all_figures()
    values = figure_values(period)
    previous = figure_values(period.previous_year)
    targets = targets_for(period.year)
    rows = []
    for code, figure in figures.items():
        if figure.section is None or not figure.visible_to(user):
            continue
        target, expected = _target(figure, period, targets)
        rows.append(
            FigureRow(
                figure=figure,
                period=period,
                value=values[code].value,
                previous=previous[code].value,
                target=target,
                expected=expected,
                list_url=values[code].list_url,
                page_url=values[code].page_url,
            )
        )
    rows.sort(key=lambda row: (SECTIONS.index(row.figure.section), row.figure.order))
    return rows


def output_trend(*, period: Period) -> dict:
    """Monthly 规上工业总产值 (year to date, 亿元) of the period's year and the year before, and
    the cumulative goal line when the year has a target (1 query, plus 1 for the targets)."""
    months = enterprise_selectors.industry_ytd_by_month(years=[period.year - 1, period.year])
    targets = targets_for(period.year).get("industry_output_ytd", {})
    year_target = targets.get(None) or targets.get(12)
    goal = []
    if year_target:
        for month in range(1, 13):
            due = targets.get(month, year_target * month / 12)
            goal.append(float((Decimal(due) / 10000).quantize(Decimal("0.01"))))

    def series(year):
        return [
            float((months[(year, m)] / 10000).quantize(Decimal("0.01")))
            if (year, m) in months
            else None
            for m in range(1, 13)
        ]

    return {
        "months": [f"{m}月" for m in range(1, 13)],
        "current": series(period.year),
        "previous": series(period.year - 1),
        "goal": goal,
        "year": period.year,
    }
