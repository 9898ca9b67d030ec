import datetime
from decimal import Decimal

import pytest

from apps.accounts.roles import Role
from apps.services import selectors, services
from apps.services.models import Demand
from tests.enterprises.factories import EnterpriseFactory, MonthlyStatisticFactory
from tests.services.factories import DemandFactory, LoanIntentFactory, VisitFactory, category

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2023, 11, 20)


def annotated(demand, today=TODAY):
    return selectors.demand_list(today).get(pk=demand.pk)


def late(days_past_deadline, **kwargs):
    deadline = TODAY - datetime.timedelta(days=days_past_deadline)
    return DemandFactory(
        raised_on=deadline - datetime.timedelta(days=15), deadline=deadline, **kwargs
    )


# --- overdue and escalation -------------------------------------------------------------------


def test_an_open_demand_past_its_deadline_is_overdue_by_the_days_since():
    demand = annotated(late(3))
    assert (demand.is_overdue, demand.overdue_days, demand.is_escalated) == (True, 3, False)


def test_a_demand_due_today_is_not_yet_overdue():
    demand = annotated(late(0))
    assert (demand.is_overdue, demand.overdue_days) == (False, 0)


def test_overdue_follows_the_calendar_without_anything_being_saved():
    demand = late(0)
    assert annotated(demand, TODAY + datetime.timedelta(days=9)).overdue_days == 9


def test_a_demand_overdue_by_more_than_the_threshold_is_escalated(settings):
    assert annotated(late(7)).is_escalated is False
    assert annotated(late(8)).is_escalated is True
    settings.SERVICES_ESCALATE_AFTER_DAYS = 30
    assert annotated(late(8)).is_escalated is False


def test_closed_and_returned_demands_are_never_overdue(actors):
    demand = late(20, created_by=actors["service"])
    services.demand_return(demand=demand, by=actors["approval"], reason="不属于职责范围")
    assert annotated(demand).is_overdue is False
    second = late(20, created_by=actors["service"])
    services.demand_accept(demand=second, by=actors["approval"])
    assert annotated(second).is_overdue is True
    services.demand_close(demand=second, by=actors["approval"], resolution="已办")
    assert annotated(second).is_overdue is False


def test_the_inbox_boxes_hold_the_departments_demands(actors):
    overdue = late(5, category=category("procedure"))
    new = DemandFactory(category=category("procedure"), raised_on=TODAY, deadline=TODAY)
    DemandFactory(category=category("labour"))
    boxes = selectors.department_inbox(department=actors["approval"].department, today=TODAY)
    assert {d.pk for d in boxes["new"]} == {overdue.pk, new.pk}
    assert [d.pk for d in boxes["overdue"]] == [overdue.pk]
    assert list(boxes["in_progress"]) == []


def test_the_home_counts(actors):
    late(10, category=category("procedure"))
    DemandFactory(category=category("procedure"), raised_on=TODAY, deadline=TODAY)
    counts = selectors.demand_counts(
        department=actors["approval"].department, user=actors["approval"], today=TODAY
    )
    assert counts == {"new": 2, "overdue": 1, "mine": 0, "escalated": 1}


# --- weekly visit report ----------------------------------------------------------------------


def test_the_weekly_report_counts_each_officers_visits_against_the_target(user_of):
    li = user_of(Role.SERVICE, username="li", full_name="李敏")
    wu = user_of(Role.SERVICE, username="wu", full_name="吴刚")
    monday = datetime.date(2023, 11, 13)
    for offset in (0, 2, 4):
        VisitFactory(created_by=li, visited_on=monday + datetime.timedelta(days=offset))
    VisitFactory(created_by=wu, visited_on=monday + datetime.timedelta(days=1), staff=[wu, li])
    VisitFactory(created_by=wu, visited_on=monday - datetime.timedelta(days=1))  # week before
    report = selectors.weekly_visit_report(week_of=datetime.date(2023, 11, 16))
    assert (report["start"], report["end"]) == (monday, datetime.date(2023, 11, 19))
    rows = {row["user"].username: row for row in report["rows"]}
    assert (rows["li"]["visits"], rows["li"]["short"]) == (4, False)
    assert (rows["wu"]["visits"], rows["wu"]["short"]) == (1, True)
    assert report["short_count"] == 1
    assert report["departments"] == [{"name": "企业服务局", "staff": 2, "visits": 5, "target": 4}]
    # The weeks that fell short, over the last eight: 吴刚 made one visit the week before.
    assert monday - datetime.timedelta(days=7) in rows["wu"]["short_weeks"]
    assert monday not in rows["li"]["short_weeks"]


def test_the_target_is_configurable(user_of, settings):
    li = user_of(Role.SERVICE, username="li")
    VisitFactory(created_by=li, visited_on=TODAY)
    settings.SERVICES_WEEKLY_VISIT_TARGET = 1
    assert selectors.weekly_visit_report(week_of=TODAY)["short_count"] == 0
    assert selectors.weekly_visit_report(week_of=TODAY, target=3)["short_count"] == 1


# --- coverage ---------------------------------------------------------------------------------


def test_enterprises_not_visited_for_more_than_n_days(actors):
    never = EnterpriseFactory(name="从未走访企业")
    long_ago = EnterpriseFactory(name="很久前走访企业")
    recent = EnterpriseFactory(name="最近走访企业")
    VisitFactory(enterprise=long_ago, visited_on=TODAY - datetime.timedelta(days=120))
    VisitFactory(enterprise=recent, visited_on=TODAY - datetime.timedelta(days=10))
    names = [e.name for e in selectors.enterprises_not_visited(days=90, today=TODAY)]
    assert names == [never.name, long_ago.name]
    assert [e.name for e in selectors.enterprises_not_visited(days=5, today=TODAY)] == [
        never.name,
        long_ago.name,
        recent.name,
    ]


def test_declining_enterprises_without_a_recent_visit(actors):
    from tests.enterprises.factories import StatisticsMembershipFactory

    falling = EnterpriseFactory(name="下滑企业")
    visited = EnterpriseFactory(name="下滑但已走访企业")
    for enterprise in (falling, visited):
        StatisticsMembershipFactory(enterprise=enterprise)
        for year, value in ((2022, Decimal("1000")), (2023, Decimal("500"))):
            MonthlyStatisticFactory(enterprise=enterprise, year=year, month=10, output_value=value)
    VisitFactory(enterprise=visited, visited_on=TODAY - datetime.timedelta(days=3))
    rows, period = selectors.decline_enterprises_not_visited(today=TODAY)
    assert period == (2023, 10)
    assert [e.name for e in rows] == ["下滑企业"]


# --- outcomes ---------------------------------------------------------------------------------


def test_outcome_figures_for_a_period(actors):
    def done(code, raised, closed, satisfaction=None):
        demand = DemandFactory(
            category=category(code),
            raised_on=raised,
            deadline=raised + datetime.timedelta(days=30),
            created_by=actors["service"],
        )
        services.demand_accept(demand=demand, by=actors["admin"])
        services.demand_close(
            demand=demand, by=actors["admin"], resolution="已办", closed_on=closed
        )
        if satisfaction:
            services.demand_follow_up(
                demand=demand, by=actors["service"], satisfaction=satisfaction
            )

    start = datetime.date(2023, 1, 1)
    done("procedure", datetime.date(2023, 3, 1), datetime.date(2023, 3, 5), "satisfied")
    done("procedure", datetime.date(2023, 4, 1), datetime.date(2023, 4, 11), "basically")
    done("construction_dispute", datetime.date(2023, 5, 1), datetime.date(2023, 5, 21))
    DemandFactory(category=category("labour"), raised_on=datetime.date(2023, 6, 1))
    DemandFactory(category=category("procedure"), raised_on=datetime.date(2022, 6, 1))
    figures = selectors.outcome_figures(start=start, end=datetime.date(2023, 12, 31))
    assert (figures.raised, figures.closed) == (4, 3)
    assert (figures.procedures_closed, figures.disputes_closed) == (2, 1)
    assert figures.resolution_rate == Decimal("75.0")
    assert figures.median_days_to_close == 10.0
    assert (figures.followed_up, figures.satisfied, figures.satisfaction_rate) == (
        2,
        1,
        Decimal("50.0"),
    )


def test_outcomes_of_an_empty_period_are_blank_not_zero_division():
    figures = selectors.outcome_figures(start=TODAY, end=TODAY)
    assert (figures.raised, figures.resolution_rate, figures.median_days_to_close) == (
        0,
        None,
        None,
    )


# --- matchmaking ------------------------------------------------------------------------------


def test_loan_totals_by_institution_and_status(actors):
    enterprise = EnterpriseFactory()
    LoanIntentFactory(enterprise=enterprise, amount=1000)
    second = LoanIntentFactory(amount=500)
    services.loan_intent_advance(intent=second, status="reviewing", by=actors["economy"])
    services.loan_intent_advance(
        intent=second, status="credited", by=actors["economy"], credit_amount=400
    )
    (row,) = selectors.loan_totals_by_institution()
    assert (row["intents"], row["enterprises"], row["amount"], row["credit"]) == (
        2,
        2,
        Decimal("1500"),
        Decimal("400"),
    )
    assert (row["n_intent"], row["n_credited"], row["n_failed"]) == (1, 1, 0)
    assert selectors.loan_totals()["amount"] == Decimal("1500")
    assert Demand.objects.count() == 0
