"""Reads of the enterprise registry and its monthly statistics.

Periods. A 四上 membership counts for a day when it is active on that day
(entered_on <= day < exited_on). For a statistical month it counts when it is active on the
**last day of that month**: an enterprise that enters the 规上工业 list on 15 November counts for
November; one that leaves on 30 November does not (its membership ended before the month did).
`period_end()` is the one definition of that day.

Year on year (同比) is computed on a comparable basis (同口径): only enterprises that reported in
both the current year's months 1..M and the previous year's months 1..M enter the growth rate;
headline totals (总产值, 营业收入累计) are the full year-to-date sums of every reporting member.

Everything is summed in PostgreSQL; no page loops over monthly rows in Python (the one
exception: an enterprise's own 24 months, fetched once for its chart, give its YTD too).
"""

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import NullIf, Round
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.units import to_yi
from apps.enterprises.models import (
    EXPIRING_WITHIN_DAYS,  # noqa: F401 - part of this module's interface
    Enterprise,
    IndustryChain,
    MonthlyStatistic,
    Park,
    Qualification,
    QualificationType,
    StatisticsMembership,
    qualification_status,  # noqa: F401 - part of this module's interface
    qualification_status_q,
)

# An enterprise whose year-to-date output is down by more than this share year on year (on a
# comparable basis) is flagged for a visit. A setting-like constant: the services app imports it.
DECLINE_WARNING_THRESHOLD = Decimal("0.10")

_AMOUNT = DecimalField(max_digits=20, decimal_places=4)
_PERCENT = DecimalField(max_digits=12, decimal_places=2)


def period_end(year: int, month: int) -> date:
    """The day a statistical month is judged on: its last day."""
    return date(year, month, calendar.monthrange(year, month)[1])


def active_on(day: date, prefix: str = "") -> Q:
    """Memberships active on `day` (exit date exclusive)."""
    return Q(**{f"{prefix}entered_on__lte": day}) & (
        Q(**{f"{prefix}exited_on__isnull": True}) | Q(**{f"{prefix}exited_on__gt": day})
    )


def memberships_active_on(day: date, category: str | None = None) -> QuerySet[StatisticsMembership]:
    memberships = StatisticsMembership.objects.filter(active_on(day))
    if category:
        memberships = memberships.filter(category=category)
    return memberships


def industry_member_ids(*, year: int, month: int) -> QuerySet:
    """Ids of the 规上工业 enterprises for a statistical month (a subquery, not a list)."""
    return memberships_active_on(
        period_end(year, month), StatisticsMembership.Category.INDUSTRY
    ).values("enterprise_id")


# --- the registry --------------------------------------------------------------------------------


def enterprise_list() -> QuerySet[Enterprise]:
    """Enterprises shaped for list pages, exports and the API list."""
    return Enterprise.objects.select_related("park", "chain", "chain_node", "responsible_staff")


def enterprise_detail_queryset() -> QuerySet[Enterprise]:
    """One enterprise with everything its page shows, in a fixed number of queries."""
    return enterprise_list().prefetch_related(
        Prefetch(
            "qualifications",
            queryset=Qualification.objects.select_related("type").order_by(
                "type__sort_order", "-issued_on"
            ),
        ),
        Prefetch("memberships", queryset=StatisticsMembership.objects.order_by("-entered_on")),
    )


def valid_qualifications_q(on: date, prefix: str = "") -> Q:
    """Qualifications in force on `on` (即将到期 ones are still in force)."""
    return Q(**{f"{prefix}issued_on__lte": on}) & (
        Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gte": on})
    )


def qualification_list() -> QuerySet[Qualification]:
    return Qualification.objects.select_related("enterprise", "type")


def qualification_expiry_list() -> QuerySet[Qualification]:
    """Certificates by expiry, soonest first (those without an expiry last): what falls due."""
    return qualification_list().order_by(
        F("expires_on").asc(nulls_last=True), "enterprise__name", "type__sort_order", "id"
    )


def expiring_qualification_count(*, on: date | None = None) -> int:
    """How many certificates are 即将到期 on `on` (the home page's reminder; 1 query). The same
    rule as the list's 即将到期 filter, so the count and the list it links to agree."""
    return Qualification.objects.filter(
        qualification_status_q(Qualification.Status.EXPIRING, on=on or timezone.localdate())
    ).count()


def membership_list() -> QuerySet[StatisticsMembership]:
    return StatisticsMembership.objects.select_related("enterprise")


def monthly_statistic_list() -> QuerySet[MonthlyStatistic]:
    return MonthlyStatistic.objects.select_related("enterprise")


@dataclass(frozen=True)
class RegistrySummary:
    """The registry's headline counts as of a day."""

    on: date
    enterprises: int
    four_above: int
    by_category: dict[str, int]
    strategic_emerging: int
    qualifications: list[tuple[QualificationType, int]]

    def qualification_count(self, code: str) -> int:
        return next((count for qtype, count in self.qualifications if qtype.code == code), 0)


def in_zone_q(on: date) -> Q:
    """Enterprises in the zone on a day: settled by then, and not marked 迁出 (the registry
    keeps the current status, not the day of leaving)."""
    return ~Q(status=Enterprise.Status.MOVED_OUT) & (
        Q(settled_on__isnull=True) | Q(settled_on__lte=on)
    )


def reporting_member_ids(*, year: int, month: int) -> QuerySet:
    """Ids of the 规上工业 members of a month that reported in its year up to that month: the
    enterprises the month's figures (企业数) count (a subquery, not a list)."""
    reported = MonthlyStatistic.objects.filter(year=year, month__lte=month).values("enterprise_id")
    return (
        industry_member_ids(year=year, month=month)
        .filter(enterprise_id__in=reported)
        .values("enterprise_id")
    )


def comparable_member_ids(*, year: int, month: int) -> QuerySet:
    """Ids of the month's 规上工业 members that reported in months 1..month of both its year and
    the year before: the comparable basis (同口径) of the year-on-year growth (a subquery)."""
    reported_both = (
        MonthlyStatistic.objects.filter(year__in=[year - 1, year], month__lte=month)
        .values("enterprise_id")
        .annotate(years=Count("year", distinct=True))
        .filter(years=2)
        .values("enterprise_id")
    )
    return (
        industry_member_ids(year=year, month=month)
        .filter(enterprise_id__in=reported_both)
        .values("enterprise_id")
    )


def registry_summary(*, on: date | None = None) -> RegistrySummary:
    """The registry's "600余家, 四上131家, 高企15家…" counts as of a day (3 queries); each
    count is the length of the enterprise list its link opens (EnterpriseFilter: in_zone,
    four_above, strategic, qualification, all with on=<day>)."""
    on = on or timezone.localdate()
    enterprises = Enterprise.objects.filter(in_zone_q(on)).aggregate(
        total=Count("id"), strategic=Count("id", filter=Q(is_strategic_emerging=True))
    )
    category_counts = {
        f"n_{category.value}": Count(
            "enterprise_id", distinct=True, filter=Q(category=category.value)
        )
        for category in StatisticsMembership.Category
    }
    memberships = memberships_active_on(on).aggregate(
        total=Count("enterprise_id", distinct=True), **category_counts
    )
    qualification_types = QualificationType.objects.annotate(
        holders=Count(
            "qualifications__enterprise",
            distinct=True,
            filter=valid_qualifications_q(on, "qualifications__"),
        )
    )
    return RegistrySummary(
        on=on,
        enterprises=enterprises["total"],
        four_above=memberships["total"],
        by_category={
            category.value: memberships[f"n_{category.value}"]
            for category in StatisticsMembership.Category
        },
        strategic_emerging=enterprises["strategic"],
        qualifications=[(qtype, qtype.holders) for qtype in qualification_types],
    )


# --- monthly statistics --------------------------------------------------------------------------


def latest_reported_period() -> tuple[int, int] | None:
    """The newest (year, month) any enterprise has reported, or None before the first report."""
    return MonthlyStatistic.objects.order_by("-year", "-month").values_list("year", "month").first()


def registry_day_for(
    *, year: int, month: int, latest: tuple[int, int] | None, today: date | None = None
) -> date:
    """The day whose registry goes with a statistical month: its last day, or today for the
    latest reported month (`latest`) and after (their registry is the one that stands now)."""
    today = today or timezone.localdate()
    if (year, month) >= (latest or (today.year, today.month)):
        return today
    return min(period_end(year, month), today)


def _growth(current, previous) -> Decimal | None:
    if current is None or not previous:
        return None
    return ((Decimal(current) / Decimal(previous) - 1) * 100).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class PeriodRow:
    """Year-to-date figures of a group of 规上工业 enterprises for one statistical month."""

    label: str
    reporting: int = 0
    output: Decimal = Decimal(0)
    revenue: Decimal = Decimal(0)
    tax: Decimal = Decimal(0)
    comparable: int = 0
    comparable_output: Decimal = Decimal(0)
    previous_output: Decimal = Decimal(0)
    comparable_revenue: Decimal = Decimal(0)
    previous_revenue: Decimal = Decimal(0)
    # The group's chain or park id (None for the total and the "none" group): its list link.
    key: int | None = None

    @property
    def output_growth(self) -> Decimal | None:
        return _growth(self.comparable_output, self.previous_output)

    @property
    def revenue_growth(self) -> Decimal | None:
        return _growth(self.comparable_revenue, self.previous_revenue)


@dataclass(frozen=True)
class PeriodStatistics:
    year: int
    month: int
    total: PeriodRow
    by_chain: list[PeriodRow] = field(default_factory=list)
    by_park: list[PeriodRow] = field(default_factory=list)

    @property
    def code(self) -> str:
        """ "2023-11": the month as the enterprise list's `reporting` filter takes it."""
        return f"{self.year}-{self.month:02d}"

    @property
    def headline(self) -> str:
        """The sentence leadership quotes, from live figures."""
        total = self.total
        growth = total.revenue_growth
        sentence = _(
            "截至%(year)d年%(month)d月份，%(count)d家规上工业企业工业总产值%(output)s亿元；"
            "工业营业收入累计实现%(revenue)s亿元"
        ) % {
            "year": self.year,
            "month": self.month,
            "count": total.reporting,
            "output": _yi(total.output),
            "revenue": _yi(total.revenue),
        }
        if growth is not None:
            change = _("，同比增长%(rate)s%%") if growth >= 0 else _("，同比下降%(rate)s%%")
            sentence += change % {"rate": abs(growth)}
        return sentence


def _yi(amount: Decimal) -> str:
    """万元 → 亿元 to two decimals, without trailing zeros (50.40 → 50.4), as leadership writes;
    rounded as the tables round (apps.core.units), so the sentence and the table agree."""
    text = f"{to_yi(amount):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# One pass over the members' monthly rows of both years, then the totals, by chain and by park
# through GROUPING SETS. The monthly rows are reached through the (enterprise, year, month)
# index, one member at a time, so the cost follows the number of 规上工业 members and not the
# size of the table.
# The 规上工业 members of the month, each one's year-to-date figures for the year and the year
# before (months 1..M), with its chain and park: what the period figures and the decline list
# both read.
_COMPARABLE_CTE = """
WITH members AS (
    SELECT DISTINCT enterprise_id
    FROM enterprises_statisticsmembership
    WHERE category = %(category)s AND entered_on <= %(day)s
      AND (exited_on IS NULL OR exited_on > %(day)s)
), per_enterprise AS (
    SELECT s.enterprise_id,
           SUM(s.output_value) FILTER (WHERE s.year = %(year)s) AS cur_output,
           SUM(s.revenue) FILTER (WHERE s.year = %(year)s) AS cur_revenue,
           SUM(s.tax) FILTER (WHERE s.year = %(year)s) AS cur_tax,
           SUM(s.output_value) FILTER (WHERE s.year = %(prev)s) AS prev_output,
           SUM(s.revenue) FILTER (WHERE s.year = %(prev)s) AS prev_revenue
    FROM members m
    JOIN enterprises_monthlystatistic s ON s.enterprise_id = m.enterprise_id
    WHERE s.year BETWEEN %(prev)s AND %(year)s AND s.month <= %(month)s
    GROUP BY s.enterprise_id
), comparable AS (
    SELECT p.*, e.chain_id, e.park_id, e.name,
           (p.cur_output IS NOT NULL) AS reports,
           (p.cur_output IS NOT NULL AND p.prev_output IS NOT NULL) AS both_years
    FROM per_enterprise p JOIN enterprises_enterprise e ON e.id = p.enterprise_id
)
"""

# The totals, by chain and by park (GROUPING SETS). Columns: kind (0), the two grouping flags,
# chain, park, then the nine figures of a PeriodRow; then an enterprise, its two growths and
# its name (null here).
_GROUPS_SELECT = """
SELECT 0 AS kind, GROUPING(c.chain_id) AS by_chain_off, GROUPING(c.park_id) AS by_park_off,
       c.chain_id, c.park_id,
       COUNT(*) FILTER (WHERE reports),
       COALESCE(SUM(cur_output), 0), COALESCE(SUM(cur_revenue), 0), COALESCE(SUM(cur_tax), 0),
       COUNT(*) FILTER (WHERE both_years),
       COALESCE(SUM(cur_output) FILTER (WHERE both_years), 0),
       COALESCE(SUM(prev_output) FILTER (WHERE both_years), 0),
       COALESCE(SUM(cur_revenue) FILTER (WHERE both_years), 0),
       COALESCE(SUM(prev_revenue) FILTER (WHERE both_years), 0),
       NULL::bigint AS enterprise_id, NULL::numeric AS output_growth,
       NULL::numeric AS revenue_growth, NULL::varchar AS name
FROM comparable c
GROUP BY GROUPING SETS ((), (c.chain_id), (c.park_id))
"""

# The decline list (decline_warning_enterprises' rule, 同口径): kind 1, one row an enterprise,
# its year-to-date figures in the PeriodRow slots (output, revenue; the year before's output
# and revenue), the growths rounded as _growth_expression rounds them.
_DECLINE_SELECT = """
SELECT 1, 1, 1, NULL, NULL,
       NULL, cur_output, cur_revenue, NULL, NULL, NULL, prev_output, NULL, prev_revenue,
       enterprise_id,
       ROUND((cur_output / NULLIF(prev_output, 0) - 1) * 100, 2),
       ROUND((cur_revenue / NULLIF(prev_revenue, 0) - 1) * 100, 2),
       name
FROM comparable
WHERE prev_output > 0 AND cur_output IS NOT NULL
  AND cur_output < prev_output * (1 - %(threshold)s)
"""

_PERIOD_SQL = _COMPARABLE_CTE + _GROUPS_SELECT
# One statement for the statistics page's tables: the figures, then the decline list in its
# order (steepest fall first, then by name, in the database's collation as the list sorts).
_PERIOD_AND_DECLINE_SQL = (
    _COMPARABLE_CTE + _GROUPS_SELECT + " UNION ALL " + _DECLINE_SELECT + " ORDER BY 1, 16, 18"
)


def _period_params(year: int, month: int, threshold: Decimal | None = None) -> dict:
    return {
        "category": StatisticsMembership.Category.INDUSTRY.value,
        "day": period_end(year, month),
        "year": year,
        "prev": year - 1,
        "month": month,
        "threshold": DECLINE_WARNING_THRESHOLD if threshold is None else Decimal(threshold),
    }


def _period_from_rows(year: int, month: int, rows, using: str | None = None) -> PeriodStatistics:
    """The PeriodStatistics of the grouping rows (kind, flags, chain, park, figures …), the
    names read from `using` (default: wherever the request's reads go)."""
    total = PeriodRow(label=_("合计"))
    chain_rows, park_rows = [], []
    for _kind, chain_off, park_off, chain_id, park_id, *rest in rows:
        figures = rest[:9]
        if chain_off and park_off:
            total = PeriodRow(_("合计"), *figures)
        elif not chain_off:
            chain_rows.append((chain_id, figures))
        else:
            park_rows.append((park_id, figures))
    by_chain = _labelled(
        chain_rows, IndustryChain.objects.db_manager(using).all(), _("未归入产业链")
    )
    by_park = _labelled(park_rows, Park.objects.db_manager(using).all(), _("未入园区"))
    return PeriodStatistics(year=year, month=month, total=total, by_chain=by_chain, by_park=by_park)


def period_statistics(*, year: int, month: int) -> PeriodStatistics:
    """YTD output and revenue of the 规上工业 enterprises for a month, with 同口径 growth, in total,
    by chain and by park (3 queries: the figures, chain names, park names)."""
    with connection.cursor() as cursor:
        cursor.execute(_PERIOD_SQL, _period_params(year, month))
        rows = cursor.fetchall()
    return _period_from_rows(year, month, rows)


@dataclass(frozen=True)
class PeriodTables:
    """The statistics page's month: its figures and its decline list."""

    statistics: PeriodStatistics
    declining: list


def period_tables(*, year: int, month: int, threshold: Decimal | None = None) -> PeriodTables:
    """period_statistics() and decline_warning_enterprises() (as a list, the same rows in the
    same order with the same annotations) from one statement over the members' monthly rows,
    plus the chain and park names and the listed enterprises with their 包联干部 (3 small
    queries, the last only when some enterprise is listed)."""
    # Kept for every reader (cached_period_tables): all of it from the primary, as the statement
    # is, whatever the request's routing (a report page may read a lagging replica).
    with connection.cursor() as cursor:
        cursor.execute(_PERIOD_AND_DECLINE_SQL, _period_params(year, month, threshold))
        rows = cursor.fetchall()
    using = connection.alias
    statistics = _period_from_rows(year, month, [row for row in rows if row[0] == 0], using)
    declines = [row for row in rows if row[0] == 1]
    found = (
        Enterprise.objects.using(using)
        .select_related("responsible_staff")
        .in_bulk([row[14] for row in declines])
    )
    declining = []
    for row in declines:
        enterprise = found[row[14]]
        enterprise.ytd_output, enterprise.ytd_revenue = row[6], row[7]
        enterprise.prev_ytd_output, enterprise.prev_ytd_revenue = row[11], row[13]
        enterprise.output_growth, enterprise.revenue_growth = row[15], row[16]
        declining.append(enterprise)
    return PeriodTables(statistics=statistics, declining=declining)


def _labelled(rows, reference: QuerySet, none_label: str) -> list[PeriodRow]:
    """Name the groups and put them in the reference data's order (missing group last)."""
    if not rows:
        return []
    ordered = list(reference)
    rank = {obj.pk: index for index, obj in enumerate(ordered)}
    names = {obj.pk: obj.name for obj in ordered}
    rows = sorted(rows, key=lambda row: rank.get(row[0], len(rank)))
    return [
        PeriodRow(names.get(pk, none_label), *figures, key=pk if pk in names else None)
        for pk, figures in rows
    ]


def enterprises_with_ytd(
    queryset: QuerySet[Enterprise], *, year: int, month: int
) -> QuerySet[Enterprise]:
    """Annotate ytd_output/ytd_revenue (months 1..month of `year`), prev_ytd_output/
    prev_ytd_revenue (same months of the previous year) and output_growth/revenue_growth in %
    (two decimals; null without a previous-year figure). Enterprises without a report in either
    year are dropped."""
    this_year = Q(monthly_statistics__year=year)
    last_year = Q(monthly_statistics__year=year - 1)
    annotated = queryset.filter(
        monthly_statistics__year__in=[year - 1, year], monthly_statistics__month__lte=month
    ).annotate(
        ytd_output=Sum("monthly_statistics__output_value", filter=this_year),
        ytd_revenue=Sum("monthly_statistics__revenue", filter=this_year),
        prev_ytd_output=Sum("monthly_statistics__output_value", filter=last_year),
        prev_ytd_revenue=Sum("monthly_statistics__revenue", filter=last_year),
    )
    return annotated.annotate(
        output_growth=_growth_expression("ytd_output", "prev_ytd_output"),
        revenue_growth=_growth_expression("ytd_revenue", "prev_ytd_revenue"),
    )


def _growth_expression(current: str, previous: str):
    return Round(
        ExpressionWrapper(
            (F(current) / NullIf(F(previous), Value(0)) - Value(1)) * Value(100),
            output_field=_AMOUNT,
        ),
        2,
        output_field=_PERCENT,
    )


def decline_warning_enterprises(
    *, year: int, month: int, threshold: Decimal | None = None
) -> QuerySet[Enterprise]:
    """规上工业 enterprises of the month whose year-to-date output is down by more than
    `threshold` (default DECLINE_WARNING_THRESHOLD) on the same months of the previous year.
    Only enterprises that reported in both years are compared (同口径). Annotated with
    ytd_output, prev_ytd_output, output_growth (%), and ordered by the steepest fall first."""
    threshold = DECLINE_WARNING_THRESHOLD if threshold is None else Decimal(threshold)
    # Grouped by the enterprise alone (no select_related: joined rows would widen the GROUP BY
    # and the sort under it); the 包联干部 come in one extra query, for the rows kept.
    members = Enterprise.objects.filter(id__in=industry_member_ids(year=year, month=month))
    return (
        enterprises_with_ytd(members, year=year, month=month)
        .filter(
            prev_ytd_output__gt=0,
            ytd_output__isnull=False,
            ytd_output__lt=F("prev_ytd_output") * (1 - threshold),
        )
        .prefetch_related("responsible_staff")
        .order_by("output_growth", "name")
    )


@dataclass(frozen=True)
class EnterpriseFigures:
    """One enterprise's monthly series for its latest reported year and the year before."""

    year: int | None
    month: int | None
    output: list[Decimal | None]
    revenue: list[Decimal | None]
    previous_output: list[Decimal | None]
    previous_revenue: list[Decimal | None]
    ytd_output: Decimal | None = None
    ytd_revenue: Decimal | None = None
    prev_ytd_output: Decimal | None = None
    prev_ytd_revenue: Decimal | None = None

    @property
    def output_growth(self) -> Decimal | None:
        return _growth(self.ytd_output, self.prev_ytd_output)

    @property
    def revenue_growth(self) -> Decimal | None:
        return _growth(self.ytd_revenue, self.prev_ytd_revenue)

    def chart_data(self) -> dict:
        def plain(values):
            return [None if value is None else float(value) for value in values]

        return {
            "year": self.year,
            "months": [_("%(month)s月") % {"month": month} for month in range(1, 13)],
            "output": plain(self.output),
            "revenue": plain(self.revenue),
            "previous_output": plain(self.previous_output),
            "previous_revenue": plain(self.previous_revenue),
        }


def enterprise_figures(enterprise: Enterprise) -> EnterpriseFigures:
    """Monthly series, YTD and YoY of one enterprise (2 queries: its latest period, then the
    24 months of that year and the year before, with the YTD sums over the same rows)."""
    latest = (
        MonthlyStatistic.objects.filter(enterprise=enterprise)
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )
    empty = [None] * 12
    if latest is None:
        return EnterpriseFigures(None, None, empty, empty, empty, empty)
    year, month = latest
    rows = MonthlyStatistic.objects.filter(
        enterprise=enterprise, year__in=[year - 1, year]
    ).values_list("year", "month", "output_value", "revenue")
    series = {
        (row_year, row_month): (output, revenue) for row_year, row_month, output, revenue in rows
    }

    def column(for_year, index):
        return [series.get((for_year, m), (None, None))[index] for m in range(1, 13)]

    def ytd(for_year, index):
        values = [
            series[(for_year, m)][index] for m in range(1, month + 1) if (for_year, m) in series
        ]
        return sum(values, Decimal(0)) if values else None

    return EnterpriseFigures(
        year=year,
        month=month,
        output=column(year, 0),
        revenue=column(year, 1),
        previous_output=column(year - 1, 0),
        previous_revenue=column(year - 1, 1),
        ytd_output=ytd(year, 0),
        ytd_revenue=ytd(year, 1),
        prev_ytd_output=ytd(year - 1, 0),
        prev_ytd_revenue=ytd(year - 1, 1),
    )


# Each month's year-to-date output with that month's own definition (the 规上工业 members on its
# last day, their reports of months 1..M): the trend of the figure period_statistics() gives for
# one month, for every month of some years with data, in one query. The membership periods of
# an enterprise in one category never overlap (membership_no_overlap): one row per member and
# month. Split by membership:
# - a member on every month's last day of the year (a membership from 31 January or before to
#   after 31 December: most of them) counts in every month, so its part of month M is the sum
#   of the year's monthly totals of those members up to M: each report row is read once;
# - the others (entered or left during the year) are joined month by month to their reports up
#   to the month. No other membership of such an enterprise covers a month's last day that
#   year (they would overlap), so the two parts never count one enterprise twice.
# At ten times the demo's volume (every member whole-year): 6.1 ms for one year, 11.5 ms for
# two, against 20.1 / 35.8 ms for the months-to-members-to-reports join of every member it
# replaces (still the second part), 36.4 / 79.4 ms for the window over each member's twelve
# months before that, and 1.5 s for the first version (bench/bench_dashboard.py).
_YTD_BY_MONTH_SQL = """
WITH months AS MATERIALIZED (
    SELECT y, m, (make_date(y, m, 1) + interval '1 month - 1 day')::date AS day
    FROM unnest(%(years)s::int[]) AS y CROSS JOIN generate_series(1, 12) AS m
    WHERE (SELECT true FROM enterprises_monthlystatistic x WHERE x.year = y AND x.month = m LIMIT 1)
), whole_year AS MATERIALIZED (
    SELECT y, ms.enterprise_id
    FROM unnest(%(years)s::int[]) AS y
    JOIN enterprises_statisticsmembership ms
      ON ms.category = %(category)s AND ms.entered_on <= make_date(y, 1, 31)
     AND (ms.exited_on IS NULL OR ms.exited_on > make_date(y, 12, 31))
), whole_year_by_month AS MATERIALIZED (
    SELECT s.year AS y, s.month AS m, SUM(s.output_value) AS output
    FROM whole_year w
    JOIN enterprises_monthlystatistic s ON s.enterprise_id = w.enterprise_id AND s.year = w.y
    GROUP BY s.year, s.month
), part_year AS (
    SELECT mo.y, mo.m, SUM(s.output_value) AS output
    FROM months mo
    JOIN enterprises_statisticsmembership ms
      ON ms.category = %(category)s AND ms.entered_on <= mo.day
     AND (ms.exited_on IS NULL OR ms.exited_on > mo.day)
     AND NOT (ms.entered_on <= make_date(mo.y, 1, 31)
              AND (ms.exited_on IS NULL OR ms.exited_on > make_date(mo.y, 12, 31)))
    JOIN enterprises_monthlystatistic s
      ON s.enterprise_id = ms.enterprise_id AND s.year = mo.y AND s.month <= mo.m
    GROUP BY mo.y, mo.m
)
SELECT mo.y, mo.m, COALESCE(w.output, 0) + COALESCE(p.output, 0)
FROM months mo
LEFT JOIN LATERAL (
    SELECT SUM(b.output) AS output FROM whole_year_by_month b WHERE b.y = mo.y AND b.m <= mo.m
) w ON true
LEFT JOIN part_year p ON p.y = mo.y AND p.m = mo.m
WHERE w.output IS NOT NULL OR p.output IS NOT NULL
"""


def industry_ytd_by_month(*, years: list[int]) -> dict[tuple[int, int], Decimal]:
    """{(year, month): year-to-date 规上工业总产值 (万元)} of the months with reports (1 query):
    a month appears when one of its members reported in the year by then."""
    with connection.cursor() as cursor:
        cursor.execute(
            _YTD_BY_MONTH_SQL,
            {"years": list(years), "category": StatisticsMembership.Category.INDUSTRY.value},
        )
        return {(year, month): output for year, month, output in cursor.fetchall()}


# --- the statistics page's tables, cached per month until the data changes ------------------

# They read this app's data alone: a write elsewhere (a demand, a 招商 project) keeps them.
AREAS = ("enterprises",)


def cached_period_tables(
    *, year: int, month: int, threshold: Decimal | None = None
) -> PeriodTables:
    """period_tables(), kept (apps.core.figures.cached) until a write invalidates the figures:
    a monthly import or edit, a membership, an enterprise's chain or park. Cold, one statement
    computes the figures and the decline list together."""
    from apps.core import figures

    # 0.1 and 0.10 are one threshold: one cache entry (the home page's default and the page's).
    threshold = (DECLINE_WARNING_THRESHOLD if threshold is None else Decimal(threshold)).normalize()
    return figures.cached(
        "period-tables",
        lambda: period_tables(year=year, month=month, threshold=threshold),
        year,
        month,
        threshold,
        areas=AREAS,
    )


def cached_registry_summary(*, on: date) -> RegistrySummary:
    from apps.core import figures

    # The registry reads no monthly rows: a monthly import (a write of one year) keeps it.
    return figures.cached("registry", lambda: registry_summary(on=on), on, areas=AREAS, years=())
