"""Whatever anyone tries, in any order, a demand only ever moves along the allowed
transitions, each move leaves exactly one event, and a refusal changes nothing."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.accounts.models import Department
from apps.core.errors import NotAllowed
from apps.services import services
from apps.services.models import Demand
from tests.services.factories import DemandFactory

pytestmark = pytest.mark.django_db

ALLOWED = {
    ("pending", "accept"): "in_progress",
    ("pending", "return"): "returned",
    ("pending", "reassign"): "pending",
    ("in_progress", "reassign"): "pending",
    ("in_progress", "close"): "closed",
    ("closed", "follow_up:satisfied"): "followed_up",
    ("closed", "follow_up:dissatisfied"): "in_progress",
}
ACTORS = ["service", "approval", "economy", "leader", "liaison", "admin"]
ACTIONS = [
    "accept",
    "close",
    "return",
    "reassign",
    "follow_up:satisfied",
    "follow_up:dissatisfied",
]


def attempt(demand, actor, action):
    if action == "accept":
        return services.demand_accept(demand=demand, by=actor)
    if action == "close":
        return services.demand_close(demand=demand, by=actor, resolution="已办")
    if action == "return":
        return services.demand_return(demand=demand, by=actor, reason="不属于职责范围")
    if action == "reassign":
        target = Department.Code.ECONOMY if demand.department.code != "economy" else "approval"
        return services.demand_reassign(
            demand=demand, by=actor, department=Department.objects.get(code=target), reason="转办"
        )
    satisfaction = action.split(":")[1]
    return services.demand_follow_up(
        demand=demand, by=actor, satisfaction=satisfaction, comment="回访"
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.tuples(st.sampled_from(ACTORS), st.sampled_from(ACTIONS)), max_size=12))
def test_a_demand_moves_only_along_the_allowed_transitions(actors, steps):
    demand = DemandFactory()
    moves = 0
    for who, action in steps:
        before = Demand.objects.get(pk=demand.pk)
        try:
            attempt(before, actors[who], action)
        except (ValidationError, NotAllowed):
            after = Demand.objects.get(pk=demand.pk)
            assert (after.status, after.department_id, after.assignee_id) == (
                before.status,
                before.department_id,
                before.assignee_id,
            )
            continue
        after = Demand.objects.get(pk=demand.pk)
        assert ALLOWED[(before.status, action)] == after.status
        moves += 1
    events = list(demand.events.order_by("at", "id"))
    assert len(events) == moves
    if events:
        assert events[-1].to_status == Demand.objects.get(pk=demand.pk).status
