import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.investment import selectors
from apps.investment.models import FundsArrival, Project, Signing
from tests.enterprises.factories import EnterpriseFactory
from tests.investment.factories import ProjectFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _signed(team, status, amount, on, funds=()):
    fields = {"enterprise": EnterpriseFactory()} if status not in ("signed", "terminated") else {}
    if status == "terminated":
        fields["closing_note"] = "投资方违约"
    project = ProjectFactory(
        team=team, status=status, signed_on=on, contract_investment=Decimal(amount), **fields
    )
    Signing.objects.create(
        project=project, kind="contract", signed_on=on, amount=amount, by=team.leader
    )
    for month, fixed in funds:
        FundsArrival.objects.create(
            project=project, month=month, fixed_assets=fixed, origin="province", by=team.leader
        )
    return project


def test_the_indicators_on_hand_computed_data(team):
    # Four projects signed in 2024: 20000 (started), 5000 (registered), 15000 (signed),
    # 10000 (terminated); one signed in 2023 that must not count.
    a = _signed(team, "started", 20000, D(2024, 3, 1), [(D(2024, 4, 1), 4000)])
    _signed(team, "registered", 5000, D(2024, 5, 1), [(D(2024, 6, 1), 1000)])
    _signed(team, "signed", 15000, D(2024, 8, 1))
    _signed(team, "terminated", 10000, D(2024, 9, 1))
    _signed(team, "started", 9000, D(2023, 6, 1), [(D(2024, 2, 1), 500)])
    Signing.objects.create(
        project=a,
        kind="supplement",
        signed_on=D(2024, 10, 1),
        amount=3000,
        is_increase=True,
        by=team.leader,
    )
    figures = selectors.indicators(start=D(2024, 1, 1), end=D(2024, 12, 31))
    assert figures["signed_count"] == 4
    assert figures["contract_investment"] == Decimal("53000")  # 50000 + the 3000 increase
    assert figures["big_count"] == 3  # ≥ 1 亿元 (10000 万元)
    assert figures["funds"] == Decimal("5500")  # every project's funds in 2024
    assert figures["performance_rate"] == Decimal("50.00")  # started + registered: 2 of 4
    assert figures["start_rate"] == Decimal("25.00")  # 1 of 4
    assert figures["funds_rate"] == Decimal("10.00")  # 5000 of 50000


def test_the_indicators_of_an_empty_period_have_no_rates(team):
    figures = selectors.indicators(start=D(2030, 1, 1), end=D(2030, 12, 31))
    assert figures["signed_count"] == 0 and figures["start_rate"] is None


def test_time_in_stage_turns_amber_then_red(team):
    now = timezone.now()
    project = ProjectFactory(team=team, status=Project.Status.REVIEWING)
    for days, light in ((3, "green"), (16, "amber"), (31, "red")):
        project.stage_entered_at = now - datetime.timedelta(days=days)
        project.save()
        assert selectors.stage_light(project) == light
        assert Project.objects.filter(selectors.red_q(), pk=project.pk).exists() is (light == "red")
