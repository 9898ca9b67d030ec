"""Annual targets and the team ranking (赛马榜) on small hand-computed data: completion,
超/欠序时, late starts, the score; the page, its Excel and the API say the same."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from apps.core.errors import NotAllowed
from apps.investment import selectors, services
from apps.investment.models import FundsArrival, Project, Signing
from tests.accounts.factories import UserFactory
from tests.enterprises.factories import EnterpriseFactory
from tests.investment.factories import ProjectFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return UserFactory(is_superuser=True)


def _signed(team, on, amount, **fields):
    if fields.get("status") == Project.Status.STARTED:
        fields["enterprise"] = EnterpriseFactory()
    project = ProjectFactory(
        team=team,
        status=fields.pop("status", Project.Status.SIGNED),
        signed_on=on,
        contract_investment=Decimal(amount),
        **fields,
    )
    Signing.objects.create(
        project=project, kind="contract", signed_on=on, amount=Decimal(amount), by=team.leader
    )
    return project


@pytest.fixture
def race(admin, team, other_team):
    """招商一组: 2 signings (30000 + 10000 万元, plus a 5000 increase) and 6000 arrived, target
    4 / 80000 / 20000. 招商二组: 1 signing of 50000 not started past its committed start,
    target 2 / 100000 / 10000. Plus one signing after June, outside the period."""
    services.annual_target_save(
        by=admin, team=team, year=2026, signings=4, contract_investment=80000, funds=20000
    )
    services.annual_target_save(
        by=admin, team=other_team, year=2026, signings=2, contract_investment=100000, funds=10000
    )
    first = _signed(team, datetime.date(2026, 2, 10), 30000, status=Project.Status.STARTED)
    _signed(team, datetime.date(2026, 6, 5), 10000, status=Project.Status.STARTED)
    Signing.objects.create(
        project=first,
        kind="supplement",
        signed_on=datetime.date(2026, 5, 1),
        amount=Decimal(5000),
        is_increase=True,
        by=team.leader,
    )
    FundsArrival.objects.create(
        project=first,
        month=datetime.date(2026, 3, 1),
        fixed_assets=Decimal(4000),
        working_capital=Decimal(2000),
        origin="province",
        by=team.leader,
    )
    _signed(
        other_team,
        datetime.date(2026, 1, 20),
        50000,
        committed_start_on=datetime.date(2026, 4, 1),
    )
    _signed(team, datetime.date(2026, 9, 1), 99999, status=Project.Status.STARTED)
    return team, other_team


def test_the_ranking_is_computed_against_the_targets(race):
    team, other_team = race
    rows = selectors.team_ranking(year=2026, month=6, today=datetime.date(2026, 12, 1))
    one, two = rows
    assert one["team"] == team and one["rank"] == 1
    assert (one["signings"], one["signings_month"]) == (2, 1)
    assert one["contract_investment"] == Decimal(45000)
    assert one["funds"] == Decimal(6000)
    assert one["signings_rate"] == Decimal("50.00")
    assert one["contract_investment_rate"] == Decimal("56.25")
    # Six months of twelve: the calendar is at 50 %.
    assert one["contract_investment_ahead"] == Decimal("6.25")
    assert one["funds_rate"] == Decimal("30.00")
    assert one["late_starts"] == 0
    # 0.5 × 50 + 0.5 × 56.25
    assert one["score"] == Decimal("53.13")
    assert two["team"] == other_team
    assert (two["signings"], two["contract_investment"], two["late_starts"]) == (1, 50000, 1)
    assert two["signings_ahead"] == Decimal("0.00")
    # 0.5 × 50 + 0.5 × 50 − 5 for the late start
    assert two["score"] == Decimal("45.00")


def test_the_ranking_weights_are_configurable(race, settings):
    settings.INVESTMENT_RANKING = {"late_start_penalty": 0, "signings": 1, "contract_investment": 0}
    rows = selectors.team_ranking(year=2026, month=6, today=datetime.date(2026, 12, 1))
    assert [(row["team"].name, row["score"]) for row in rows] == [
        ("招商一组", Decimal("50.00")),
        ("招商二组", Decimal("50.00")),
    ]


def test_a_team_without_a_target_has_no_completion(team):
    TeamFactory(name="招商三组")
    rows = selectors.team_ranking(year=2026, month=3)
    assert all(row["signings_rate"] is None and row["score"] == 0 for row in rows)


def test_only_the_administrator_sets_targets(officer, team):
    with pytest.raises(NotAllowed):
        services.annual_target_save(
            by=officer, team=team, year=2026, signings=1, contract_investment=1, funds=1
        )


def test_page_excel_and_api_show_the_same_ranking(
    client, officer, race, django_assert_max_num_queries
):
    client.force_login(officer)
    url = reverse("investment:ranking") + "?year=2026&month=6"
    with django_assert_max_num_queries(14):
        page = client.get(url)
    body = page.content.decode()
    assert 'data-score="53.13"' in body and 'data-score="45.00"' in body
    book = openpyxl.load_workbook(io.BytesIO(client.get(url + "&export=xlsx").content))
    sheet = book.active
    assert [c.value for c in sheet[2]][:4] == [1, "招商一组", 1, 2]
    api = client.get("/api/investment/ranking/?year=2026&month=6").json()
    assert [row["team_name"] for row in api["results"]] == ["招商一组", "招商二组"]
    assert api["results"][0]["score"] == "53.13"
    assert client.get(url + "&print=1").status_code == 200


def test_bad_periods_fall_back_without_error(client, officer, team):
    client.force_login(officer)
    for query in ("?year=abc&month=13", "?year=99999&month=-4", "?month=x"):
        assert client.get(reverse("investment:ranking") + query).status_code == 200
        assert client.get("/api/investment/ranking/" + query).status_code == 200


def test_the_targets_list_filters_by_year(client, officer, race, admin, team):
    services.annual_target_save(
        by=admin, team=team, year=2025, signings=3, contract_investment=1000, funds=10
    )
    client.force_login(officer)
    assert client.get("/api/investment/targets/?year=2025").json()["count"] == 1
    assert client.get("/api/investment/targets/").json()["count"] == 3
    page = client.get(reverse("investment:target_list") + "?year=2026").content.decode()
    assert "招商二组" in page
