"""Generated from the figure registry: every figure equals the API list it names (its `count`,
or the sum of its `sum_field` over every row), and every rate equals the rate of its two parts,
for the demo's November 2023 and for the latest reported month."""

from decimal import Decimal

import pytest

from apps.core.figures import (
    Period,
    _ratio,
    all_breakdowns,
    all_figures,
    compute_breakdowns,
    compute_figures,
)
from apps.dashboard.selectors import latest_period

FIGURES = all_figures()
LISTED = sorted(code for code, figure in FIGURES.items() if figure.ratio is None)
RATIOS = sorted(code for code, figure in FIGURES.items() if figure.ratio is not None)


def _walk(client, url: str) -> tuple[int, list[dict]]:
    """The list's count and all its rows (following `next`)."""
    response = client.get(url + "&page_size=200" if "?" in url else url + "?page_size=200")
    assert response.status_code == 200, (url, response.content[:300])
    body = response.json()
    count, rows = body["count"], list(body["results"])
    while body["next"]:
        body = client.get(body["next"]).json()
        rows.extend(body["results"])
    assert len(rows) == count
    return count, rows


@pytest.fixture
def admin_client(client, role_users):
    client.force_login(role_users["系统管理员"])
    return client


def _periods():
    return [Period(2023, 11), latest_period()]


def test_every_figure_either_names_its_list_or_is_a_ratio_of_two_that_do():
    for code, figure in FIGURES.items():
        if figure.ratio is None:
            assert figure.api_list and figure.filters and figure.compute, code
        else:
            _kind, numerator, denominator = figure.ratio
            assert FIGURES[numerator].api_list and FIGURES[denominator].api_list, code


@pytest.mark.parametrize("code", LISTED)
def test_each_figure_equals_the_count_or_sum_of_its_list(code, demo, admin_client):
    figure = FIGURES[code]
    for period in _periods():
        value = compute_figures(period)[code]
        count, rows = _walk(admin_client, value.list_url)
        if figure.sum_field:
            listed = sum((Decimal(row[figure.sum_field]) for row in rows), Decimal(0))
            assert Decimal(value.value) == listed, (code, period, value.list_url)
        else:
            assert value.value == count, (code, period, value.list_url)


@pytest.mark.parametrize("code", RATIOS)
def test_each_rate_is_the_rate_of_its_two_listed_parts(code, demo, db):
    kind, numerator, denominator = FIGURES[code].ratio
    for period in _periods():
        values = compute_figures(period)
        expected = _ratio(kind, values[numerator].value, values[denominator].value)
        assert values[code].value == expected
        assert expected is not None, (code, period)


def test_the_seed_month_gives_the_seed_figures(demo, db):
    values = {code: v.value for code, v in compute_figures(Period(2023, 11)).items()}
    assert values["four_above"] == 131
    assert values["strategic_emerging"] == 10
    assert values["high_tech"] == 15
    assert values["provincial_rd"] == 8
    assert values["industry_enterprises"] == 77
    assert round(values["industry_output_ytd"] / 10000, 2) == Decimal("49.86")
    assert round(values["industry_revenue_ytd"] / 10000, 1) == Decimal("50.4")
    assert values["industry_revenue_growth"] == Decimal("12.04")
    assert values["decline_warnings"] == 6
    # 招商引资: 100+ activities (~70 receptions, 20+ trips); 2023's signings.
    assert values["investment_activities"] >= 100
    assert 65 <= values["investment_receptions"] <= 75
    assert values["investment_trips"] >= 20
    assert values["investment_signed"] == 7


BREAKDOWNS = sorted(all_breakdowns())


@pytest.mark.parametrize("code", BREAKDOWNS)
def test_each_group_of_a_breakdown_equals_its_list(code, demo, admin_client):
    breakdown = all_breakdowns()[code]
    for period in _periods():
        groups = compute_breakdowns(period)[code]
        for group in groups:
            if group.list_url is None:
                continue
            count, rows = _walk(admin_client, group.list_url)
            assert group.count == count, (code, period, group.label, group.list_url)
            if breakdown.sum_field:
                listed = sum((Decimal(row[breakdown.sum_field]) for row in rows), Decimal(0))
                assert Decimal(group.value) == listed, (code, period, group.label)
    assert any(compute_breakdowns(period)[code] for period in _periods()), code
