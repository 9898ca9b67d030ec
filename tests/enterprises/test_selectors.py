from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.enterprises import selectors
from apps.enterprises.models import Qualification, StatisticsMembership
from tests.enterprises.factories import (
    EnterpriseFactory,
    IndustryChainFactory,
    MonthlyStatisticFactory,
    ParkFactory,
    QualificationFactory,
    StatisticsMembershipFactory,
    qualification_type,
)

pytestmark = pytest.mark.django_db


def report(enterprise, year, months, output, revenue=None):
    """Equal monthly figures so the YTD is output × number of months."""
    for month in months:
        MonthlyStatisticFactory(
            enterprise=enterprise,
            year=year,
            month=month,
            output_value=Decimal(output),
            revenue=Decimal(revenue if revenue is not None else output),
        )


def member(entered=date(2020, 1, 1), exited=None, **kwargs):
    enterprise = EnterpriseFactory(**kwargs)
    StatisticsMembershipFactory(enterprise=enterprise, entered_on=entered, exited_on=exited)
    return enterprise


class TestPeriodStatistics:
    def test_growth_is_computed_only_over_enterprises_that_reported_in_both_years(self):
        steady = member()
        report(steady, 2022, range(1, 4), 100)
        report(steady, 2023, range(1, 4), 110)
        newcomer = member(entered=date(2023, 1, 1))
        report(newcomer, 2023, range(1, 4), 500)

        total = selectors.period_statistics(year=2023, month=3).total

        assert total.reporting == 2
        assert total.output == Decimal(330 + 1500)
        assert total.comparable == 1
        assert total.output_growth == Decimal("10.00")
        assert total.revenue_growth == Decimal("10.00")

    def test_an_enterprise_that_left_the_list_before_the_month_ended_is_not_counted(self):
        stays = member()
        report(stays, 2022, range(1, 7), 100)
        report(stays, 2023, range(1, 7), 100)
        leaves = member(exited=date(2023, 6, 1))
        report(leaves, 2022, range(1, 7), 900)
        report(leaves, 2023, range(1, 7), 100)

        june = selectors.period_statistics(year=2023, month=6).total
        may = selectors.period_statistics(year=2023, month=5).total

        assert (june.reporting, june.output, june.output_growth) == (1, Decimal(600), 0)
        assert may.reporting == 2

    def test_a_membership_counts_when_it_is_active_on_the_last_day_of_the_month(self):
        joins = member(entered=date(2023, 3, 31))
        report(joins, 2023, [3], 100)
        assert selectors.period_statistics(year=2023, month=3).total.reporting == 1
        assert selectors.period_end(2024, 2) == date(2024, 2, 29)

    def test_only_months_up_to_the_chosen_one_enter_the_year_to_date(self):
        enterprise = member()
        report(enterprise, 2022, range(1, 13), 100)
        report(enterprise, 2023, range(1, 13), 50)
        total = selectors.period_statistics(year=2023, month=2).total
        assert (total.output, total.previous_output) == (Decimal(100), Decimal(200))
        assert total.output_growth == Decimal("-50.00")

    def test_other_four_above_categories_are_not_industry_figures(self):
        trade = EnterpriseFactory()
        StatisticsMembershipFactory(enterprise=trade, category=StatisticsMembership.Category.TRADE)
        report(trade, 2023, [1], 100)
        assert selectors.period_statistics(year=2023, month=1).total.reporting == 0

    def test_figures_are_broken_down_by_chain_and_by_park(self):
        chemicals, machinery = (
            IndustryChainFactory(name="化工甲"),
            IndustryChainFactory(name="机械乙"),
        )
        park = ParkFactory(name="园区丙")
        report(member(chain=chemicals, park=park), 2023, [1], 100)
        report(member(chain=machinery, park=park), 2023, [1], 300)

        statistics = selectors.period_statistics(year=2023, month=1)

        by_chain = {row.label: row.output for row in statistics.by_chain}
        assert by_chain == {"化工甲": Decimal(100), "机械乙": Decimal(300)}
        assert [(row.label, row.reporting) for row in statistics.by_park] == [("园区丙", 2)]

    def test_the_headline_reads_like_the_leadership_report(self):
        enterprise = member()
        report(enterprise, 2022, [1], 10000, 40000)
        report(enterprise, 2023, [1], 498600, 45000)
        headline = selectors.period_statistics(year=2023, month=1).headline
        assert headline == (
            "截至2023年1月份，1家规上工业企业工业总产值49.86亿元；"
            "工业营业收入累计实现4.5亿元，同比增长12.50%"
        )

    def test_a_month_without_reports_gives_zeros_and_no_growth(self):
        total = selectors.period_statistics(year=2023, month=1).total
        assert (total.reporting, total.output, total.revenue_growth) == (0, 0, None)


class TestDeclineWarning:
    def test_lists_members_whose_output_fell_more_than_the_threshold(self):
        falling = member(name="下滑企业")
        report(falling, 2022, range(1, 3), 100)
        report(falling, 2023, range(1, 3), 85)
        slight = member(name="微降企业")
        report(slight, 2022, range(1, 3), 100)
        report(slight, 2023, range(1, 3), 95)
        newcomer = member(name="新入库企业")
        report(newcomer, 2023, range(1, 3), 1)

        declining = list(selectors.decline_warning_enterprises(year=2023, month=2))

        assert [enterprise.name for enterprise in declining] == ["下滑企业"]
        assert declining[0].ytd_output == Decimal(170)
        assert declining[0].prev_ytd_output == Decimal(200)
        assert declining[0].output_growth == Decimal("-15.00")

    def test_the_threshold_can_be_chosen(self):
        slight = member()
        report(slight, 2022, [1], 100)
        report(slight, 2023, [1], 95)
        assert selectors.decline_warning_enterprises(year=2023, month=1).count() == 0
        assert (
            selectors.decline_warning_enterprises(
                year=2023, month=1, threshold=Decimal("0.04")
            ).count()
            == 1
        )

    def test_an_enterprise_no_longer_in_the_list_is_not_warned_about(self):
        gone = member(exited=date(2023, 1, 15))
        report(gone, 2022, [1, 2], 100)
        report(gone, 2023, [1, 2], 10)
        assert selectors.decline_warning_enterprises(year=2023, month=2).count() == 0


def test_the_latest_reported_period_is_the_newest_month():
    assert selectors.latest_reported_period() is None
    enterprise = EnterpriseFactory()
    MonthlyStatisticFactory(enterprise=enterprise, year=2022, month=12)
    MonthlyStatisticFactory(enterprise=enterprise, year=2023, month=2)
    assert selectors.latest_reported_period() == (2023, 2)


class TestQualificationStatus:
    def test_status_follows_the_dates(self):
        today = date(2023, 11, 30)
        status = selectors.qualification_status
        assert status(issued_on=date(2021, 1, 1), expires_on=None, on=today) == "valid"
        assert (
            status(issued_on=date(2021, 1, 1), expires_on=today + timedelta(days=90), on=today)
            == Qualification.Status.EXPIRING
        )
        assert (
            status(issued_on=date(2021, 1, 1), expires_on=today + timedelta(days=91), on=today)
            == Qualification.Status.VALID
        )
        assert (
            status(issued_on=date(2020, 1, 1), expires_on=today - timedelta(days=1), on=today)
            == Qualification.Status.EXPIRED
        )

    def test_the_registry_counts_only_valid_certificates_once_per_enterprise(self):
        high_tech = qualification_type("high_tech")
        holder = EnterpriseFactory()
        QualificationFactory(enterprise=holder, type=high_tech, issued_on=date(2023, 1, 1))
        QualificationFactory(enterprise=holder, type=high_tech, issued_on=date(2022, 6, 1))
        lapsed = EnterpriseFactory()
        QualificationFactory(enterprise=lapsed, type=high_tech, issued_on=date(2019, 1, 1))

        summary = selectors.registry_summary(on=date(2023, 11, 30))

        assert summary.qualification_count("high_tech") == 1


def test_the_registry_summary_counts_four_above_members_as_of_a_day():
    member()
    member(exited=date(2023, 6, 1))
    both = member()
    StatisticsMembershipFactory(enterprise=both, category=StatisticsMembership.Category.SERVICES)
    EnterpriseFactory(is_strategic_emerging=True)
    EnterpriseFactory(is_strategic_emerging=True, status="moved_out")

    summary = selectors.registry_summary(on=date(2023, 11, 30))

    assert summary.four_above == 2
    assert summary.by_category["industry"] == 2
    assert summary.by_category["services"] == 1
    assert summary.strategic_emerging == 1
    assert summary.enterprises == 4


def test_an_enterprise_figures_give_the_chart_series_and_ytd():
    enterprise = EnterpriseFactory()
    report(enterprise, 2022, range(1, 13), 100)
    report(enterprise, 2023, range(1, 4), 120)
    figures = selectors.enterprise_figures(enterprise)
    assert (figures.year, figures.month) == (2023, 3)
    assert figures.ytd_output == Decimal(360)
    assert figures.prev_ytd_output == Decimal(300)
    assert figures.output_growth == Decimal("20.00")
    chart = figures.chart_data()
    assert chart["output"][:4] == [120.0, 120.0, 120.0, None]
    assert chart["previous_output"][11] == 100.0


def test_an_enterprise_counts_in_the_zone_from_its_settled_in_date():
    EnterpriseFactory(settled_on=date(2023, 6, 1))
    EnterpriseFactory(settled_on=None)
    assert selectors.registry_summary(on=date(2023, 5, 31)).enterprises == 1
    assert selectors.registry_summary(on=date(2023, 6, 1)).enterprises == 2


def test_the_output_trend_gives_each_month_the_total_of_that_months_members():
    """industry_ytd_by_month() is period_statistics()'s year-to-date output for every month at
    once: the members on the month's last day, their reports of months 1..M."""
    reports = report
    steady = StatisticsMembershipFactory(entered_on=date(2020, 1, 1)).enterprise
    reports(steady, 2023, range(1, 7), "100")
    reports(steady, 2022, range(1, 13), "10")
    # A gap: no report for March; its earlier months still count from March on.
    gap = StatisticsMembershipFactory(entered_on=date(2020, 1, 1)).enterprise
    reports(gap, 2023, [1, 2, 4], "1000")
    # Enters on 1 May: counted from May (all of its year's reports), not before.
    late = StatisticsMembershipFactory(entered_on=date(2023, 5, 1)).enterprise
    reports(late, 2023, range(1, 7), "1")
    # Leaves on 31 March: a member on 28 February, not on 31 March.
    leaving = StatisticsMembershipFactory(entered_on=date(2020, 1, 1), exited_on=date(2023, 3, 31))
    reports(leaving.enterprise, 2023, range(1, 7), "5")
    # Another category, or no membership: never counted.
    other = StatisticsMembershipFactory(category=StatisticsMembership.Category.TRADE).enterprise
    reports(other, 2023, range(1, 7), "7")
    reports(EnterpriseFactory(), 2023, range(1, 7), "9")

    months = selectors.industry_ytd_by_month(years=[2022, 2023])

    assert months == {
        **{(2022, m): Decimal(10 * m) for m in range(1, 13)},
        (2023, 1): Decimal(100 + 1000 + 5),
        (2023, 2): Decimal(200 + 2000 + 10),
        (2023, 3): Decimal(300 + 2000),
        (2023, 4): Decimal(400 + 3000),
        (2023, 5): Decimal(500 + 3000 + 5),
        (2023, 6): Decimal(600 + 3000 + 6),
    }
    for (year, month), output in months.items():
        assert selectors.period_statistics(year=year, month=month).total.output == output
    assert selectors.industry_ytd_by_month(years=[2021]) == {}


class TestPeriodTablesInOneStatement:
    """The statistics page's figures and decline list come from one statement when cold
    (selectors.period_tables): the same figures as period_statistics() and the same rows, order
    and annotations as decline_warning_enterprises()."""

    def _data(self):
        chain, park = IndustryChainFactory(), ParkFactory()
        rows = [
            ("甲下滑", 100, 85, 120, 90),  # -15 %
            ("乙同幅", 100, 85, 50, 60),  # -15 % as well: the two ordered by name
            ("丙边界", 100, 90, 10, 10),  # exactly -10 %: not below the threshold
            ("丁微降", 100, 95, 10, 10),
            ("戊上年为零", 0, 50, 0, 10),
            ("己增长", 50, 80, 10, 10),
        ]
        for name, before, now, revenue_before, revenue_now in rows:
            enterprise = member(name=name, chain=chain, park=park)
            report(enterprise, 2022, [1, 2], before, revenue_before)
            report(enterprise, 2023, [1, 2], now, revenue_now)
        newcomer = member(name="庚新入库")
        report(newcomer, 2023, [1, 2], 5)
        gone = member(name="辛已出库", exited=date(2023, 1, 10))
        report(gone, 2022, [1, 2], 100)
        report(gone, 2023, [1, 2], 10)

    @pytest.mark.parametrize("threshold", [None, Decimal("0.04"), Decimal("0.10"), Decimal("0.5")])
    def test_the_same_figures_and_decline_rows_as_the_two_queries(self, threshold):
        self._data()
        tables = selectors.period_tables(year=2023, month=2, threshold=threshold)
        assert tables.statistics == selectors.period_statistics(year=2023, month=2)
        expected = list(
            selectors.decline_warning_enterprises(year=2023, month=2, threshold=threshold)
        )
        fields = (
            "pk",
            "name",
            "ytd_output",
            "prev_ytd_output",
            "output_growth",
            "ytd_revenue",
            "prev_ytd_revenue",
            "revenue_growth",
            "responsible_staff_id",
        )
        assert [[getattr(e, f) for f in fields] for e in tables.declining] == [
            [getattr(e, f) for f in fields] for e in expected
        ]
        if threshold is None:
            # Both at -15 %: by name, in the database's collation (as the list sorts).
            assert {e.name for e in tables.declining} == {"甲下滑", "乙同幅"}

    def test_one_statement_reads_the_monthly_rows(self, django_assert_num_queries):
        self._data()
        # The statement, chain names, park names, the listed enterprises with their 包联干部.
        with django_assert_num_queries(4) as captured:
            tables = selectors.period_tables(year=2023, month=2)
            [e.responsible_staff for e in tables.declining]
        monthly = [
            q for q in captured.captured_queries if "enterprises_monthlystatistic" in q["sql"]
        ]
        assert len(monthly) == 1


# Membership spans and reports drawn at random: the output trend's statement (two parts, the
# whole-year members and the others) against the definition computed here in Python.
# Entry and exit days near the months' last days (where a membership changes a month's total)
# and in the middle of months, from 2021 to 2024: sorted, taken in pairs (entered, exited), an
# odd last one open.
_DAYS = sorted(
    {
        day
        for year in range(2021, 2025)
        for month in range(1, 13)
        for day in (
            selectors.period_end(year, month),
            selectors.period_end(year, month) + timedelta(days=1),
            date(year, month, 15),
        )
    }
)
# The whole-year test's edges (31 January, 31 December, the days after) drawn as often again.
_EDGES = [
    day
    for year in range(2021, 2025)
    for day in (date(year, 1, 31), date(year, 2, 1), date(year, 12, 31), date(year + 1, 1, 1))
]
_SPANS = st.lists(
    st.one_of(st.sampled_from(_DAYS), st.sampled_from(_EDGES)), unique=True, max_size=5
).map(sorted)
_REPORTS = st.dictionaries(
    st.tuples(st.sampled_from([2022, 2023]), st.integers(1, 12)),
    st.decimals(min_value=0, max_value=10000, places=4),
    max_size=10,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(enterprises=st.lists(st.tuples(_SPANS, _REPORTS), min_size=1, max_size=4))
def test_the_output_trend_is_its_definition_for_any_memberships(enterprises):
    """Each month with a report: the sum of the year's reports up to the month of the members
    on its last day; a month appears when one of them reported by then."""
    with transaction.atomic():
        members: dict[int, list[tuple[date, date | None]]] = {}
        rows: dict[int, dict[tuple[int, int], Decimal]] = {}
        for spans, reports in enterprises:
            enterprise = EnterpriseFactory()
            periods = [
                (spans[i], spans[i + 1] if i + 1 < len(spans) else None)
                for i in range(0, len(spans), 2)
            ]
            for entered, exited in periods:
                StatisticsMembershipFactory(
                    enterprise=enterprise, entered_on=entered, exited_on=exited
                )
            for (year, month), output in reports.items():
                MonthlyStatisticFactory(
                    enterprise=enterprise, year=year, month=month, output_value=output
                )
            members[enterprise.pk], rows[enterprise.pk] = periods, reports

        expected = {}
        reported = {key for reports in rows.values() for key in reports}
        for year, month in reported:
            day = selectors.period_end(year, month)
            values = [
                output
                for pk, reports in rows.items()
                if any(e <= day and (x is None or x > day) for e, x in members[pk])
                for (y, m), output in reports.items()
                if y == year and m <= month
            ]
            if values:
                expected[(year, month)] = sum(values, Decimal(0))

        assert selectors.industry_ytd_by_month(years=[2022, 2023]) == expected
        transaction.set_rollback(True)
