"""The pipeline board (columns by stage, time in stage on each card) and the signings
forecast (weighted by stage probability, by expected month)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.errors import Refused
from apps.investment import selectors, services
from apps.investment.models import Project
from tests.investment.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_the_board_shows_each_stage_with_its_cards_and_time_in_stage(
    client, officer, team, other_team, django_assert_max_num_queries
):
    ProjectFactory(team=team, name="洽谈项目甲")
    ProjectFactory(
        team=team,
        name="评审项目乙",
        status=Project.Status.REVIEWING,
        stage_entered_at=timezone.now() - datetime.timedelta(days=40),
    )
    ProjectFactory(team=other_team, name="他组项目")
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("investment:board")).content.decode()
    assert "洽谈项目甲" in body and "评审项目乙" in body and "他组项目" not in body
    assert 'data-stage="reviewing"' in body and 'data-light="red"' in body


def test_the_board_caps_each_column_and_counts_all(team):
    for _ in range(selectors.BOARD_CARDS + 2):
        ProjectFactory(team=team)
    column = selectors.board(Project.objects.all())[0]
    assert column["count"] == selectors.BOARD_CARDS + 2
    assert len(column["cards"]) == selectors.BOARD_CARDS


def test_the_forecast_weights_by_stage_probability(client, officer, team):
    month = datetime.date(2027, 3, 1)
    for status, amount in (("negotiating", 10000), ("reviewing", 20000), ("signed", 99999)):
        ProjectFactory(
            team=team,
            status=status,
            planned_investment=Decimal(amount),
            expected_signing_month=month,
        )
    ProjectFactory(team=team, status="inspecting")
    result = selectors.forecast(Project.objects.all(), today=datetime.date(2026, 12, 1))
    (row,) = result["months"]
    # 0.2 × 10000 + 0.7 × 20000; the signed project is out.
    assert (row["n"], row["amount"], row["weighted"]) == (2, Decimal(30000), Decimal("16000.00"))
    assert row["weighted_count"] == Decimal("0.90") and result["unscheduled"] == 1
    client.force_login(officer)
    assert 'data-weighted="16000.00"' in client.get(reverse("investment:forecast")).content.decode()
    api = client.get("/api/investment/forecast/").json()
    assert api["results"][0]["weighted_investment"] == "16000.00"
    assert client.get(reverse("investment:forecast") + "?export=xlsx").status_code == 200


def test_the_expected_month_is_set_before_signing_only(client, officer, team):
    project = ProjectFactory(team=team)
    services.project_expect_signing(by=officer, project=project, month=datetime.date(2027, 5, 17))
    assert project.expected_signing_month == datetime.date(2027, 5, 1)
    signed = ProjectFactory(team=team, status=Project.Status.SIGNED)
    with pytest.raises(Refused):
        services.project_expect_signing(by=officer, project=signed, month=None)
    client.force_login(officer)
    url = reverse("investment:project_expect", args=[signed.pk])
    assert client.post(url, {"month": "2027-01-01"}).status_code == 400
    url = reverse("investment:project_expect", args=[project.pk])
    assert client.post(url, {"month": "not a date"}).status_code == 400
    assert client.post(url, {"month": ""}).status_code == 302
