"""The enterprise registry's and the monthly statistics' figures (see apps/core/figures.py).

Amounts are in 万元 as stored; the dashboard shows them in 亿元. Counts "as of the period" are
judged on the period's last day (today for the current month), with the registry's rules."""

from django.utils.translation import gettext_lazy as _

from apps.core.figures import (
    Breakdown,
    BreakdownRow,
    Figure,
    FigureList,
    Period,
    from_source,
    reference_id,
)
from apps.enterprises import selectors
from apps.enterprises.models import QualificationType


def _tables(period: Period) -> selectors.PeriodTables:
    """The month's figures and decline list: the statistics page's, from its cache entry (one
    statement when cold, shared by the figures, the charts and the page)."""
    return selectors.cached_period_tables(year=period.year, month=period.month)


def _monthly(period: Period, scope) -> dict:
    """The month's year-to-date totals and decline warnings (the month's tables)."""
    tables = _tables(period)
    total = tables.statistics.total
    return {
        "reporting": total.reporting,
        "output": total.output,
        "revenue": total.revenue,
        "comparable_output": total.comparable_output,
        "previous_output": total.previous_output,
        "comparable_revenue": total.comparable_revenue,
        "previous_revenue": total.previous_revenue,
        "declining": len(tables.declining),
    }


def _registry(period: Period, scope) -> dict:
    """The registry's counts on the period's day (3 queries, kept through a monthly import:
    selectors.cached_registry_summary)."""
    summary = selectors.cached_registry_summary(on=period.day)
    return {
        "four_above": summary.four_above,
        "strategic": summary.strategic_emerging,
        "high_tech": summary.qualification_count("high_tech"),
        "provincial_rd": summary.qualification_count("provincial_rd"),
    }


def _qualification_filters(code: str):
    def filters(period: Period) -> dict:
        return {
            "qualification": reference_id(QualificationType, code),
            "on": period.day.isoformat(),
        }

    return filters


def _ytd(period: Period, *, basis: str, year: int | None = None) -> dict:
    return {
        basis: period.code,
        "year": year or period.year,
        "month_lte": period.month,
    }


def _reporting(period: Period) -> dict:
    return {"reporting": period.code}


STATISTICS = "enterprises.view_monthlystatistic"
# Counts of enterprises, and sums over monthly reports, shown on the enterprise list.
ENTERPRISES = FigureList("enterprise-list", "enterprises:enterprise_list")
REPORTING_ENTERPRISES = FigureList("enterprise-list", "enterprises:enterprise_list", STATISTICS)
MONTHLY_REPORTS = FigureList("monthly-statistic-list", "enterprises:enterprise_list", STATISTICS)
COMPARABLE_REPORTS = FigureList("monthly-statistic-list", "", STATISTICS)


FIGURES = [
    Figure(
        code="industry_enterprises",
        label=_("规上工业企业"),
        unit=_("家"),
        definition=_("统计月末在规上工业库、当年1月至该月有月报的企业数"),
        section="economy",
        compute=from_source(_monthly, "reporting"),
        **REPORTING_ENTERPRISES(_reporting),
        order=10,
    ),
    Figure(
        code="industry_output_ytd",
        label=_("规上工业总产值（累计）"),
        unit=_("万元"),
        definition=_("上述企业当年1月至该月工业总产值之和"),
        section="economy",
        compute=from_source(_monthly, "output"),
        **MONTHLY_REPORTS(
            lambda period: _ytd(period, basis="reporting"),
            sum_field="output_value",
            page_filters=_reporting,
        ),
        target="cumulative",
        order=11,
    ),
    Figure(
        code="industry_output_growth",
        label=_("规上工业总产值同比"),
        unit="%",
        definition=_("同口径（两年1月至该月均有月报的企业）累计总产值比上年同期增长"),
        section="economy",
        ratio=("growth", "industry_output_comparable", "industry_output_comparable_previous"),
        order=12,
        permission=STATISTICS,
    ),
    Figure(
        code="industry_revenue_ytd",
        label=_("工业营业收入（累计）"),
        unit=_("万元"),
        definition=_("规上工业企业当年1月至该月营业收入之和"),
        section="economy",
        compute=from_source(_monthly, "revenue"),
        **MONTHLY_REPORTS(
            lambda period: _ytd(period, basis="reporting"),
            sum_field="revenue",
            page_filters=_reporting,
        ),
        target="cumulative",
        order=13,
    ),
    Figure(
        code="industry_revenue_growth",
        label=_("工业营业收入同比"),
        unit="%",
        definition=_("同口径累计营业收入比上年同期增长"),
        section="economy",
        ratio=("growth", "industry_revenue_comparable", "industry_revenue_comparable_previous"),
        target="level",
        order=14,
        permission=STATISTICS,
    ),
    Figure(
        code="industry_output_comparable",
        label=_("同口径总产值（本年累计）"),
        unit=_("万元"),
        definition=_("两年1月至该月均有月报的规上工业企业本年累计总产值"),
        section=None,
        compute=from_source(_monthly, "comparable_output"),
        **COMPARABLE_REPORTS(
            lambda period: _ytd(period, basis="comparable"), sum_field="output_value"
        ),
    ),
    Figure(
        code="industry_output_comparable_previous",
        label=_("同口径总产值（上年同期）"),
        unit=_("万元"),
        definition=_("同一批企业上年1月至该月总产值"),
        section=None,
        compute=from_source(_monthly, "previous_output"),
        **COMPARABLE_REPORTS(
            lambda period: _ytd(period, basis="comparable", year=period.year - 1),
            sum_field="output_value",
        ),
    ),
    Figure(
        code="industry_revenue_comparable",
        label=_("同口径营业收入（本年累计）"),
        unit=_("万元"),
        definition=_("两年1月至该月均有月报的规上工业企业本年累计营业收入"),
        section=None,
        compute=from_source(_monthly, "comparable_revenue"),
        **COMPARABLE_REPORTS(lambda period: _ytd(period, basis="comparable"), sum_field="revenue"),
    ),
    Figure(
        code="industry_revenue_comparable_previous",
        label=_("同口径营业收入（上年同期）"),
        unit=_("万元"),
        definition=_("同一批企业上年1月至该月营业收入"),
        section=None,
        compute=from_source(_monthly, "previous_revenue"),
        **COMPARABLE_REPORTS(
            lambda period: _ytd(period, basis="comparable", year=period.year - 1),
            sum_field="revenue",
        ),
    ),
    Figure(
        code="decline_warnings",
        label=_("产值下滑预警"),
        unit=_("家"),
        definition=_("累计总产值同口径下降超过10%的规上工业企业"),
        section="economy",
        compute=from_source(_monthly, "declining"),
        **REPORTING_ENTERPRISES(lambda period: {"declining": period.code}),
        order=15,
    ),
    Figure(
        code="four_above",
        label=_("四上企业"),
        unit=_("家"),
        definition=_("期末在任一四上库的企业（入库日≤当日<退库日）"),
        section="economy",
        compute=from_source(_registry, "four_above"),
        **ENTERPRISES(lambda period: {"four_above": "any", "on": period.day.isoformat()}),
        order=20,
    ),
    Figure(
        code="strategic_emerging",
        label=_("战略新兴产业企业"),
        unit=_("家"),
        definition=_("期末在区（已入驻、未迁出）的战略性新兴产业企业"),
        section="economy",
        compute=from_source(_registry, "strategic"),
        **ENTERPRISES(
            lambda period: {"in_zone": "true", "strategic": "true", "on": period.day.isoformat()}
        ),
        order=21,
    ),
    Figure(
        code="high_tech",
        label=_("高新技术企业"),
        unit=_("家"),
        definition=_("期末持有有效高新技术企业证书的企业"),
        section="economy",
        compute=from_source(_registry, "high_tech"),
        **ENTERPRISES(_qualification_filters("high_tech")),
        order=22,
    ),
    Figure(
        code="provincial_rd",
        label=_("省级研发中心"),
        unit=_("家"),
        definition=_("期末持有有效省级研发中心认定的企业"),
        section="economy",
        compute=from_source(_registry, "provincial_rd"),
        **ENTERPRISES(_qualification_filters("provincial_rd")),
        order=23,
    ),
]


# --- Breakdowns (the dashboard's charts, see apps.core.figures.Breakdown) ----------------------

# The decline warnings shown by name: the steepest falls first.
DECLINE_SHOWN = 10


def _statistics(period: Period, scope):
    """The month's year-to-date totals by chain and by park (the month's tables)."""
    return _tables(period).statistics


def _groups(attribute: str, key: str):
    def rows(ctx) -> list[BreakdownRow]:
        return [
            BreakdownRow(
                str(group.label),
                group.output,
                group.reporting,
                None if group.key is None else {key: group.key},
                change=group.output_growth,
            )
            for group in getattr(ctx.source(_statistics), attribute)
        ]

    return rows


def _declining(ctx) -> list[BreakdownRow]:
    """The steepest decline warnings of the month (the month's tables: steepest first)."""
    enterprises = _tables(ctx.period).declining
    return [
        BreakdownRow(
            enterprise.name,
            enterprise.output_growth,
            1,
            {"q": enterprise.credit_code},
            change=None,
        )
        for enterprise in enterprises[:DECLINE_SHOWN]
    ]


_GROUPED = {
    "unit": _("万元"),
    "section": "economy",
    "api_list": "enterprise-list",
    "filters": _reporting,
    "page": "enterprises:enterprise_list",
    "permission": "enterprises.view_monthlystatistic",
}

BREAKDOWNS = [
    Breakdown(
        code="industry_output_by_chain",
        label=_("分产业链规上工业总产值（累计）"),
        definition=_(
            "规上工业企业当年1月至该月总产值按产业链分组，附同口径同比；链接为各组月报企业"
        ),
        rows=_groups("by_chain", "chain"),
        order=10,
        **_GROUPED,
    ),
    Breakdown(
        code="industry_output_by_park",
        label=_("分园区规上工业总产值（累计）"),
        definition=_("规上工业企业当年1月至该月总产值按园区分组，附同口径同比；链接为各组月报企业"),
        rows=_groups("by_park", "park"),
        order=20,
        **_GROUPED,
    ),
    Breakdown(
        code="decline_warning_enterprises",
        label=_("产值下滑预警企业"),
        unit="%",
        definition=_("累计总产值同口径下降超过10%的规上工业企业，降幅最大的10家，数值为同比增速"),
        section="economy",
        rows=_declining,
        api_list="enterprise-list",
        filters=lambda period: {"declining": period.code},
        page="enterprises:enterprise_list",
        permission="enterprises.view_monthlystatistic",
        order=30,
    ),
]
