"""The registry's values on hand-made data, their cache and its invalidation by writes."""

import datetime
from decimal import Decimal

import pytest

from apps.core.figures import Period, figure_values
from apps.enterprises.imports import ReportRow
from apps.enterprises.services import monthly_statistics_import
from apps.services import services
from apps.services.models import Demand
from tests.enterprises.factories import (
    EnterpriseFactory,
    MonthlyStatisticFactory,
    StatisticsMembershipFactory,
)
from tests.services.factories import DemandFactory

pytestmark = pytest.mark.django_db
NOVEMBER = Period(2023, 11)


def _member_with_reports(output_2022: str, output_2023: str):
    enterprise = EnterpriseFactory()
    StatisticsMembershipFactory(enterprise=enterprise)
    for year, amount in ((2022, output_2022), (2023, output_2023)):
        for month in range(1, 12):
            MonthlyStatisticFactory(
                enterprise=enterprise,
                year=year,
                month=month,
                output_value=Decimal(amount),
                revenue=Decimal(amount),
            )
    return enterprise


def test_output_to_date_and_its_growth_are_computed_on_the_comparable_basis():
    _member_with_reports("100", "110")
    _member_with_reports("200", "180")
    newcomer = EnterpriseFactory()
    StatisticsMembershipFactory(enterprise=newcomer, entered_on=datetime.date(2023, 3, 1))
    MonthlyStatisticFactory(enterprise=newcomer, year=2023, month=11, output_value=Decimal(500))

    values = figure_values(NOVEMBER)

    assert values["industry_enterprises"].value == 3
    assert values["industry_output_ytd"].value == Decimal(110 * 11 + 180 * 11 + 500)
    # 同口径: (110 + 180) / (100 + 200) − 1, the newcomer left out.
    assert values["industry_output_growth"].value == Decimal("-3.33")
    assert values["industry_output_comparable"].value == Decimal(290 * 11)


def test_a_monthly_import_is_seen_by_the_next_read_of_the_figures(role_users):
    enterprise = _member_with_reports("100", "100")
    before = figure_values(NOVEMBER)["industry_output_ytd"].value
    assert figure_values(NOVEMBER)["industry_output_ytd"].value == before  # from the cache

    row = ReportRow(
        number=2,
        credit_code=enterprise.credit_code,
        year=2023,
        month=11,
        output_value=Decimal("400"),
        revenue=Decimal("100"),
        enterprise=enterprise,
        exists=True,
    )
    monthly_statistics_import(rows=[row], year=2023, month=11, by=role_users["经济发展"])

    assert figure_values(NOVEMBER)["industry_output_ytd"].value == before + 300


def test_a_new_visit_is_seen_by_the_next_read_of_the_figures(role_users):
    today = datetime.date.today()
    period = Period(today.year, today.month)
    assert figure_values(period)["visits"].value == 0

    services.visit_create(
        enterprise=EnterpriseFactory(),
        visited_on=today,
        staff=[role_users["企业服务"]],
        purpose="了解生产经营情况",
        by=role_users["企业服务"],
    )

    assert figure_values(period)["visits"].value == 1


def test_a_demand_transition_is_seen_by_the_next_read_of_the_figures(role_users):
    today = datetime.date.today()
    period = Period(today.year, today.month)
    officer = role_users["企业服务"]
    demand = DemandFactory(
        status=Demand.Status.IN_PROGRESS,
        department=officer.department,
        assignee=officer,
        raised_on=today,
    )
    assert figure_values(period)["demands_closed"].value == 0

    services.demand_close(demand=demand, by=officer, resolution="已协调解决")

    assert figure_values(period)["demands_closed"].value == 1
    assert figure_values(period)["demand_closure_rate"].value == Decimal("100.00")
