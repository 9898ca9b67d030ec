"""Prepared selectors (apps.core.prepared): built once per key, a clone for every caller."""

import datetime

import pytest
from django.test import override_settings

from apps.core.prepared import KEPT_KEYS, prepared
from apps.services import selectors
from apps.services.models import Demand
from tests.services.factories import DemandFactory

pytestmark = pytest.mark.django_db


def test_a_selector_is_built_once_per_key_and_each_caller_gets_a_clone():
    built = []

    @prepared(lambda kind: kind)
    def demands(kind):
        built.append(kind)
        return Demand.objects.filter(source=kind)

    first, second = demands("phone"), demands("phone")
    assert built == ["phone"]
    assert first is not second and first.query is not second.query
    demands("visit")
    assert built == ["phone", "visit"]
    assert demands.build("phone").query is not first.query  # the undecorated function


def test_what_a_caller_does_with_its_clone_never_reaches_the_next_caller():
    @prepared(lambda: None)
    def demands():
        return Demand.objects.order_by("id")

    DemandFactory(priority="urgent")
    DemandFactory(priority="normal")
    narrowed = demands().filter(priority="urgent").order_by("-id")
    assert narrowed.count() == 1
    list(demands())  # evaluated: a result cache on the clone only
    fresh = demands()
    assert fresh._result_cache is None
    assert fresh.count() == 2
    assert "WHERE" not in str(fresh.query) and str(fresh.query).endswith('"id" ASC')


def test_only_a_few_keys_are_kept():
    built = []

    @prepared(lambda day: day)
    def on(day):
        built.append(day)
        return Demand.objects.filter(raised_on=day)

    days = [datetime.date(2023, 11, 1) + datetime.timedelta(days=n) for n in range(KEPT_KEYS + 1)]
    for day in days:
        on(day)
    on(days[-1])  # kept
    on(days[0])  # pushed out by the newer ones: built again
    assert built == [*days, days[0]]


def test_the_demand_list_is_keyed_by_today_and_the_escalation_setting():
    deadline = datetime.date(2023, 11, 10)
    demand = DemandFactory(
        status="pending", raised_on=datetime.date(2023, 11, 1), deadline=deadline
    )

    def flags(today):
        row = selectors.demand_list(today).get(pk=demand.pk)
        return row.is_overdue, row.overdue_days, row.is_escalated

    assert flags(deadline) == (False, 0, False)
    assert flags(deadline + datetime.timedelta(days=2)) == (True, 2, False)
    # Without the setting in the key the list prepared above would be served unchanged.
    with override_settings(SERVICES_ESCALATE_AFTER_DAYS=1):
        assert flags(deadline + datetime.timedelta(days=2)) == (True, 2, True)
    assert flags(deadline + datetime.timedelta(days=2)) == (True, 2, False)


def test_today_by_default_is_today_when_called(monkeypatch):
    demand = DemandFactory(
        status="pending", raised_on=datetime.date(2023, 11, 1), deadline=datetime.date(2023, 11, 10)
    )
    selectors.demand_list()  # prepared for the real today
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2023, 11, 10))
    assert selectors.demand_list().get(pk=demand.pk).is_overdue is False
    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2023, 11, 11))
    assert selectors.demand_list().get(pk=demand.pk).is_overdue is True


def test_building_the_selectors_reads_nothing(django_assert_num_queries):
    selectors.prepared_demand_list.forget()
    selectors.visit_list.forget()
    with django_assert_num_queries(0):
        selectors.demand_list()
        selectors.visit_list()
        selectors.visit_officers()


def test_a_merge_with_a_related_manager_does_not_reach_the_kept_queryset():
    demand = DemandFactory()
    merged = selectors.demand_list() & demand.enterprise.demands.all()
    assert list(merged) == [demand]
    kept = selectors.prepared_demand_list(*_key())
    assert kept._known_related_objects == {}


def _key():
    from django.utils import timezone

    return timezone.localdate(), selectors.escalate_after_days()


def test_the_escalation_days_in_the_key_are_the_ones_the_statement_uses():
    deadline = datetime.date(2023, 11, 10)
    demand = DemandFactory(
        status="pending", raised_on=datetime.date(2023, 11, 1), deadline=deadline
    )
    today = deadline + datetime.timedelta(days=4)
    assert selectors.prepared_demand_list(today, 3).get(pk=demand.pk).is_escalated is True
    assert selectors.prepared_demand_list(today, 7).get(pk=demand.pk).is_escalated is False
