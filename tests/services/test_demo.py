"""The demo enterprise service reproduces the seed report's figures."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.enterprises.models import Qualification
from apps.services import selectors
from apps.services.models import (
    Demand,
    DemandEvent,
    FinancialInstitution,
    LoanIntent,
    MatchmakingMeeting,
    PolicyApplication,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

YEAR_2023 = {"start": datetime.date(2023, 1, 1), "end": datetime.date(2023, 12, 31)}


def test_2023_completed_30_plus_procedures_and_resolved_4_construction_disputes():
    figures = selectors.outcome_figures(**YEAR_2023)
    assert figures.procedures_closed >= 30
    assert figures.disputes_closed == 4


def test_every_2023_week_meets_the_visit_target_for_every_officer():
    monday = datetime.date(2023, 1, 2)
    while monday.year == 2023:
        report = selectors.weekly_visit_report(week_of=monday)
        assert len(report["rows"]) == 6
        assert report["short_count"] == 0, monday
        monday += datetime.timedelta(days=7)


def test_some_demands_are_open_some_overdue_and_some_escalated():
    demands = selectors.demand_list()
    assert demands.filter(status=Demand.Status.PENDING).exists()
    assert demands.filter(status=Demand.Status.IN_PROGRESS, is_overdue=False).exists()
    assert demands.filter(is_overdue=True, is_escalated=False).exists()
    assert demands.filter(is_escalated=True).exists()


def test_every_demand_has_its_transitions_logged():
    for demand in Demand.objects.prefetch_related("events"):
        events = list(demand.events.all())
        assert events[0].action == DemandEvent.Action.CREATE
        assert events[-1].to_status == demand.status


def test_nine_institutions_attended_both_matchmaking_meetings():
    assert FinancialInstitution.objects.count() == 9
    meetings = MatchmakingMeeting.objects.all()
    assert len(meetings) == 2
    assert all(meeting.institutions.count() == 9 for meeting in meetings)
    assert {meeting.organiser for meeting in meetings} == {"县金融工作局"}


def test_ten_plus_enterprises_signed_loan_intents_above_100_million():
    totals = selectors.loan_totals()
    assert totals["enterprises"] >= 10
    assert totals["amount"] > Decimal("10000")
    assert LoanIntent.objects.filter(status=LoanIntent.Status.DISBURSED).exists()


def test_six_high_tech_applications_are_under_way():
    assert (
        PolicyApplication.objects.filter(
            programme__code="high_tech", status__in=["coaching", "submitted"]
        ).count()
        == 6
    )


def test_the_named_enterprises_applications():
    approved = PolicyApplication.objects.filter(status="approved").select_related(
        "enterprise", "programme"
    )
    pairs = {(a.programme.code, a.enterprise.name) for a in approved}
    for part in ["猎金科技", "瀚之源", "航宏航空"]:
        assert any(code == "city_engineering" and part in name for code, name in pairs)
    assert any(code == "smart_workshop" and "天鑫新能源" in name for code, name in pairs)
    fund = PolicyApplication.objects.get(programme__code="manufacturing_fund")
    assert "澳美电气" in fund.enterprise.name and fund.status == "submitted"
    # Each approval matches one certificate, not two.
    for application in approved:
        assert (
            Qualification.objects.filter(
                enterprise=application.enterprise, type=application.programme.grants_qualification
            ).count()
            == 1
        )


def test_the_home_week_has_visits():
    report = selectors.weekly_visit_report(week_of=timezone.localdate())
    assert sum(row["visits"] for row in report["rows"]) > 0


def test_every_week_since_the_reform_meets_the_visit_target_for_every_officer():
    from apps.services.demo import FIRST_WEEK

    monday, today = FIRST_WEEK, timezone.localdate()
    this_monday = today - datetime.timedelta(days=today.weekday())
    while monday < this_monday:  # the current week may have just begun
        assert selectors.weekly_visit_report(week_of=monday)["short_count"] == 0, monday
        monday += datetime.timedelta(days=7)


def test_every_year_of_the_story_has_demands_closed_and_the_current_one_has_open_ones():
    today = timezone.localdate()
    for year in range(2022, today.year + 1):
        figures = selectors.outcome_figures(
            start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31)
        )
        assert figures.closed >= 10, year
        assert figures.procedures_closed >= 3, year
    assert Demand.objects.filter(raised_on__gt=today - datetime.timedelta(days=45)).exists()


def test_the_outcomes_page_opens_on_this_year_with_its_figures(client):
    from apps.accounts.models import User

    client.force_login(User.objects.get(username="leader"))
    response = client.get("/services/outcomes/")
    figures = response.context["figures"]
    assert figures.start == timezone.localdate().replace(month=1, day=1)
    assert figures.closed > 0
    assert "尚未更新" not in response.content.decode()
