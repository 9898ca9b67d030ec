"""Hand-written row serialisation (kept where it measured faster in bench/) says exactly what
the declared serializer fields say: for each class that overrides ``to_representation``, and for
every list read as ``.values()`` rows (apps.core.api.RowSerializer), its output equals DRF's
field-by-field output of the same declared fields over model instances, on real rows: in the
serializer alone, and through the API list (page numbers and cursor pages)."""

import datetime
import importlib
import pkgutil
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework import serializers
from rest_framework.test import APIClient, APIRequestFactory

from apps.accounts.roles import Role
from apps.core.api import RowList, RowListMixin, RowSerializer
from apps.core.registry import app_modules
from apps.enterprises import selectors as enterprise_selectors
from apps.enterprises.api.serializers import EnterpriseListSerializer, MonthlyStatisticSerializer
from apps.enterprises.models import MonthlyStatistic
from apps.services import selectors as service_selectors
from apps.services import services
from apps.services.api.serializers import (
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
    # The shared machinery: every list read as rows is compared below (ROW_CASES).
    RowSerializer,
    RowList,
    MonthlyStatisticSerializer,
}


def test_every_hand_written_representation_is_covered_here():
    scanned = {module.__name__ for module in _project_serializer_modules()}
    # The scan reaches the apps whose overrides are known (so an empty scan cannot pass).
    assert {"apps.enterprises.api.serializers", "apps.services.api.serializers"} <= scanned
    assert _hand_written() == COVERED


def _row_serializers() -> set[type]:
    """The serializers the API's lists read as rows: each RowListMixin viewset's list one."""
    from zone_portal.api import router

    found = set()
    for _prefix, viewset, _basename in router.registry:
        if issubclass(viewset, RowListMixin):
            view = viewset()
            view.action = "list"
            serializer_class = view.get_serializer_class()
            if issubclass(serializer_class, RowSerializer):
                found.add(serializer_class)
    return found


# Each RowSerializer with the list it serves: (API list, the list's queryset).
ROW_CASES = {
    EnterpriseListSerializer: (
        "api:enterprise-list",
        lambda: enterprise_selectors.enterprise_list().select_related("park", "chain"),
    ),
    DemandSerializer: ("api:demand-list", service_selectors.demand_list),
    VisitSerializer: ("api:visit-list", service_selectors.visit_list),
}


def test_every_row_serializer_is_compared_here():
    assert _row_serializers() == set(ROW_CASES)


def _rows_equal_instances(serializer_class, queryset, context):
    """The values rows as the serializer writes them equal DRF's output for the instances."""
    data = serializer_class(many=True, context=context).to_representation(
        serializer_class.rows(queryset)
    )
    assert data
    for written in data:
        instance = queryset.get(pk=written["id"])
        expected = _declared(serializer_class(context=context), instance)
        # The list's serializer writes the list's fields (a detail adds its own to an object).
        expected = {name: value for name, value in expected.items() if name in written}
        assert _normalise(written) == _normalise(expected)
    return data


def test_the_enterprise_row_equals_its_declared_fields():
    EnterpriseFactory(registered_capital=Decimal("1234.5678"))
    EnterpriseFactory(park=None, chain=None, chain_node=None)
    queryset = ROW_CASES[EnterpriseListSerializer][1]()
    data = _rows_equal_instances(EnterpriseListSerializer, queryset, {})
    assert None in {row["park_name"] for row in data}


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


@pytest.fixture
def demands(user_of):
    overdue = DemandFactory(
        raised_on=datetime.date(2023, 1, 2), deadline=datetime.date(2023, 1, 20)
    )
    accepted = DemandFactory()
    services.demand_accept(
        demand=accepted, by=user_of(Role.ADMIN, username="parity-admin"), comment="受理"
    )
    unnamed = user_of(Role.SERVICE, username="parity-unnamed", full_name="")
    unnamed_assignee = DemandFactory(department=unnamed.department)
    services.demand_accept(demand=unnamed_assignee, by=unnamed)
    return [overdue, accepted, unnamed_assignee]


def test_the_demand_rows_equal_their_declared_fields(request_as, demands):
    queryset = service_selectors.demand_list().filter(pk__in=[d.pk for d in demands])
    for role in (Role.APPROVAL, Role.LEADER, Role.SERVICE):
        context = {"request": request_as(role)}
        data = _rows_equal_instances(DemandSerializer, queryset, context)
        assert {row["assignee_name"] for row in data} >= {None, "parity-unnamed"}
        assert {row["is_overdue"] for row in data} == {True, False}


def test_the_visit_rows_equal_their_declared_fields(user_of):
    named = user_of(Role.SERVICE, username="parity-b", full_name="李四")
    unnamed = user_of(Role.SERVICE, username="parity-a", full_name="")
    visit = VisitFactory(staff=[named, unnamed], findings="")
    DemandFactory(enterprise=visit.enterprise, source="visit", visit=visit)
    plain = VisitFactory(staff=[])
    queryset = service_selectors.visit_list().filter(pk__in=[visit.pk, plain.pk])
    data = _rows_equal_instances(VisitSerializer, queryset, {})
    assert {row["demand_count"] for row in data} == {0, 1}
    by_id = {row["id"]: row for row in data}
    # In the officers' order (username), the unnamed one by their username.
    assert by_id[visit.pk]["staff_names"] == ["parity-a", "李四"]
    assert len(by_id[plain.pk]["staff"]) == len(by_id[plain.pk]["staff_names"]) >= 1


@pytest.mark.parametrize("serializer_class", sorted(ROW_CASES, key=lambda cls: cls.__name__))
def test_the_api_lists_answer_the_declared_fields_in_both_page_modes(
    serializer_class, user_of, demands
):
    url_name, queryset = ROW_CASES[serializer_class]
    EnterpriseFactory(park=None, chain=None, chain_node=None)
    VisitFactory(staff=[user_of(Role.SERVICE, username="parity-v", full_name="")])
    leader = user_of(Role.LEADER, username="parity-leader")
    api = APIClient()
    api.force_authenticate(leader)
    request = APIRequestFactory().get("/")
    request.user = leader
    context = {"request": request}
    for params in ({"page_size": 2}, {"page_size": 2, "cursor": ""}):
        answered = api.get(reverse(url_name), params)
        assert answered.status_code == 200, answered.content
        rows = answered.json()["results"]
        assert rows
        for written in rows:
            instance = queryset().get(pk=written["id"])
            assert written == _normalise(_declared(serializer_class(context=context), instance))


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
