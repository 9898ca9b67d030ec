"""Hand-written row serialisation (kept where it measured faster in bench/) says exactly what
the declared serializer fields say: for each class that overrides ``to_representation``, its
output equals DRF's field-by-field output of the same declared fields, on real rows."""

import datetime
import importlib
import pkgutil
from decimal import Decimal

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from apps.accounts.roles import Role
from apps.core.registry import app_modules
from apps.enterprises.api.serializers import EnterpriseListSerializer, MonthlyStatisticSerializer
from apps.enterprises.models import MonthlyStatistic
from apps.services import selectors as service_selectors
from apps.services import services
from apps.services.api.serializers import (
    DemandDetailSerializer,
    DemandSerializer,
    VisitSerializer,
)
from tests.enterprises.factories import EnterpriseFactory
from tests.services.factories import DemandFactory, VisitFactory

pytestmark = pytest.mark.django_db


def _declared(serializer, instance):
    """What DRF's own ModelSerializer.to_representation makes of the declared fields."""
    return serializers.ModelSerializer.to_representation(serializer, instance)


def _normalise(data):
    """DRF renders nested lists as ReturnList and dates as strings: compare plain values."""
    if isinstance(data, dict):
        return {key: _normalise(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_normalise(value) for value in data]
    return data


@pytest.fixture
def request_as(user_of):
    def build(role):
        request = APIRequestFactory().get("/")
        request.user = user_of(role, username=f"parity-{role}")
        return request

    return build


def _project_serializer_modules():
    """Every module of every project app's ``api`` package (serializers may live in any)."""
    modules = []
    for _config, package in app_modules("api"):
        modules.append(package)
        # apps.core.api is a module of its own (the shared API machinery).
        for info in pkgutil.walk_packages(getattr(package, "__path__", []), f"{package.__name__}."):
            modules.append(importlib.import_module(info.name))
    return modules


def _hand_written() -> set[type]:
    """The serializers of any app that write their own ``to_representation``."""
    return {
        cls
        for module in _project_serializer_modules()
        for cls in vars(module).values()
        if isinstance(cls, type)
        and issubclass(cls, serializers.BaseSerializer)
        and cls.__module__.startswith("apps.")
        and "to_representation" in vars(cls)
    }


# The classes the tests below compare with their declared fields. A new hand-written
# to_representation in any app fails the next test until a parity test covers it here.
COVERED = {
    EnterpriseListSerializer,
    MonthlyStatisticSerializer,
    DemandSerializer,
    DemandDetailSerializer,
    VisitSerializer,
}


def test_every_hand_written_representation_is_covered_here():
    scanned = {module.__name__ for module in _project_serializer_modules()}
    # The scan reaches the apps whose overrides are known (so an empty scan cannot pass).
    assert {"apps.enterprises.api.serializers", "apps.services.api.serializers"} <= scanned
    assert _hand_written() == COVERED


def test_the_enterprise_row_equals_its_declared_fields():
    enterprise = EnterpriseFactory(registered_capital=Decimal("1234.5678"))
    from apps.enterprises import selectors

    row = selectors.enterprise_list().get(pk=enterprise.pk)
    serializer = EnterpriseListSerializer()
    assert _normalise(serializer.to_representation(row)) == _normalise(_declared(serializer, row))


def test_the_monthly_row_equals_its_declared_fields():
    statistic = MonthlyStatistic.objects.create(
        enterprise=EnterpriseFactory(),
        year=2023,
        month=11,
        output_value=Decimal("12.3456"),
        revenue=Decimal("7"),
        tax=Decimal("0.5"),
        employees=30,
    )
    serializer = MonthlyStatisticSerializer()
    assert _normalise(serializer.to_representation(statistic)) == _normalise(
        _declared(serializer, statistic)
    )


@pytest.mark.parametrize("serializer_class", [DemandSerializer, DemandDetailSerializer])
def test_the_demand_rows_equal_their_declared_fields(serializer_class, request_as, user_of):
    overdue = DemandFactory(
        raised_on=datetime.date(2023, 1, 2), deadline=datetime.date(2023, 1, 20)
    )
    accepted = DemandFactory()
    services.demand_accept(demand=accepted, by=user_of(Role.ADMIN, username="parity-admin"))
    for role in (Role.APPROVAL, Role.LEADER):
        serializer = serializer_class(context={"request": request_as(role)})
        for demand in service_selectors.demand_list().filter(pk__in=[overdue.pk, accepted.pk]):
            demand = (
                service_selectors.demand_list().prefetch_related("events__by").get(pk=demand.pk)
            )
            assert _normalise(serializer.to_representation(demand)) == _normalise(
                _declared(serializer, demand)
            )


def test_the_visit_rows_equal_their_declared_fields(user_of):
    named = user_of(Role.SERVICE, username="parity-b", full_name="李四")
    unnamed = user_of(Role.SERVICE, username="parity-a", full_name="")
    visit = VisitFactory(staff=[named, unnamed], findings="")
    DemandFactory(enterprise=visit.enterprise, source="visit", visit=visit)
    plain = VisitFactory()
    serializer = VisitSerializer()
    rows = service_selectors.visit_list().filter(pk__in=[visit.pk, plain.pk])
    for row in rows:
        assert _normalise(serializer.to_representation(row)) == _normalise(
            _declared(serializer, row)
        )
    assert {row.demand_count for row in rows} == {0, 1}


def test_allowed_actions_depend_only_on_state_and_department():
    """DemandSerializer computes allowed actions once per (status, department) on a page: true
    while the workflow's actor rules are these (each reads the user and at most the demand's
    department). A new or changed rule fails here and must revisit that key."""
    workflow = services.DEMAND_WORKFLOW
    rules = {t.action: getattr(t.actor_rule, "__name__", None) for t in workflow.transitions}
    assert rules == {
        "accept": "_responsible",
        "close": "_responsible",
        "follow_up": "_follow_up_officer",
        "return": "_responsible",
        "reassign": "_responsible",
        "instruct": None,
    }
    assert workflow.state_field == "status"
