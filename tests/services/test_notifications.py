"""Who is told about each demand event: computed with the services app's permission rules,
never the actor, never twice for the same occurrence."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import Department, Notification
from apps.accounts.roles import Role
from apps.core.errors import Refused
from apps.services import notifications, services
from apps.services.tasks import notify_escalated_demands
from tests.enterprises.factories import EnterpriseFactory
from tests.services.factories import DemandFactory, category

pytestmark = pytest.mark.django_db


def told(event, demand=None):
    rows = Notification.objects.filter(event=event)
    if demand is not None:
        rows = rows.filter(object_id=demand.pk)
    return sorted(rows.values_list("recipient__username", flat=True))


@pytest.fixture
def registered(actors):
    """A 手续办理 demand registered by 李敏 of 企业服务局: it goes to 行政审批局."""
    return services.demand_create(
        enterprise=EnterpriseFactory(),
        source="phone",
        category=category("procedure"),
        description="环评手续办理缓慢",
        by=actors["service"],
    )


def test_a_registered_demand_is_told_to_the_handlers_of_its_department_only(
    actors, registered, user_of
):
    user_of(Role.APPROVAL, username="liu2")

    created = notifications.demand_routed(registered, actors["service"])

    assert registered.department.code == Department.Code.APPROVAL
    assert sorted(n.recipient.username for n in created) == ["liu", "liu2"]
    # The leader reads demands but does not handle them; the economy bureau is another
    # department; the superuser sits in 党政办.
    assert told(notifications.ROUTED) == ["liu", "liu2"]


def test_telling_the_same_routing_twice_notifies_nobody_twice(actors, registered):
    notifications.demand_routed(registered, actors["service"])
    assert notifications.demand_routed(registered, actors["service"]) == []
    assert told(notifications.ROUTED) == ["liu"]


def test_a_reassigned_demand_is_told_to_the_new_department(actors, registered):
    notifications.demand_routed(registered, actors["service"])
    economy = Department.objects.get(code=Department.Code.ECONOMY)
    demand = services.demand_reassign(
        demand=registered, by=actors["approval"], department=economy, reason="属经济发展局职责"
    )
    notifications.demand_routed(demand, actors["approval"])
    assert told(notifications.ROUTED) == ["liu", "zhang"]


def test_the_assignee_is_told_unless_they_took_the_demand_themselves(actors, registered, user_of):
    colleague = user_of(Role.APPROVAL, username="liu2")

    mine = services.demand_accept(demand=registered, by=actors["approval"])
    assert notifications.demand_assigned(mine, actors["approval"]) == []

    other = DemandFactory(category=category("procedure"))
    other = services.demand_accept(demand=other, by=actors["approval"], assignee=colleague)
    notifications.demand_assigned(other, actors["approval"])
    assert told(notifications.ASSIGNED) == ["liu2"]


def test_a_returned_demand_is_told_to_the_officer_who_registered_it(actors, registered):
    demand = services.demand_return(demand=registered, by=actors["approval"], reason="非本局职责")
    created = notifications.demand_returned(demand, actors["approval"])
    assert told(notifications.RETURNED) == ["li"]
    assert created[0].body == "非本局职责"
    assert created[0].url == f"/services/demands/{demand.pk}/"


def test_an_instruction_is_told_to_the_handlers_and_the_assignee_not_the_leader(actors, registered):
    demand = services.demand_accept(demand=registered, by=actors["approval"])
    demand = services.demand_instruct(demand=demand, by=actors["leader"], instruction="抓紧办理")
    created = notifications.demand_instructed(demand, actors["leader"])
    assert told(notifications.INSTRUCTED) == ["liu"]
    assert created[0].body == "抓紧办理"


def test_a_closed_demand_is_told_to_its_registering_officer_for_the_follow_up(actors, registered):
    demand = services.demand_accept(demand=registered, by=actors["approval"])
    demand = services.demand_close(demand=demand, by=actors["approval"], resolution="已办结")
    notifications.demand_closed(demand, actors["approval"])
    assert told(notifications.CLOSED) == ["li"]


def test_someone_who_may_not_see_demands_is_never_told(actors, user_of):
    hr = user_of(Role.HR, username="sun")
    demand = DemandFactory(created_by=hr, category=category("procedure"))
    demand = services.demand_return(demand=demand, by=actors["approval"], reason="重复登记")
    assert notifications.demand_returned(demand, actors["approval"]) == []
    assert told(notifications.RETURNED) == []


def test_the_daily_check_tells_the_leadership_of_each_newly_escalated_demand_once(actors):
    today = timezone.localdate()
    raised = today - timedelta(days=40)
    escalated = DemandFactory(raised_on=raised, deadline=today - timedelta(days=8))
    DemandFactory(raised_on=raised, deadline=today - timedelta(days=2))  # overdue, not escalated

    assert notify_escalated_demands.delay().get() == 1
    assert notify_escalated_demands.delay().get() == 0
    assert told(notifications.ESCALATED) == ["wang"]
    assert told(notifications.ESCALATED, escalated) == ["wang"]


def test_the_workflow_tells_after_the_write_commits(
    actors, user_of, django_capture_on_commit_callbacks
):
    """The transitions themselves raise the events (DEMAND_WORKFLOW's `notify`), once the
    transaction has committed: registered → routed, accepted for someone → assigned, closed."""
    colleague = user_of(Role.APPROVAL, username="approval-colleague")
    with django_capture_on_commit_callbacks(execute=True):
        demand = services.demand_create(
            enterprise=EnterpriseFactory(),
            source="phone",
            category=category("procedure"),
            description="施工许可办理",
            by=actors["service"],
        )
    assert actors["approval"].username in told(notifications.ROUTED, demand)
    with django_capture_on_commit_callbacks(execute=True):
        services.demand_accept(demand=demand, by=actors["approval"], assignee=colleague)
    assert told(notifications.ASSIGNED, demand) == ["approval-colleague"]
    with django_capture_on_commit_callbacks(execute=True):
        services.demand_close(demand=demand, by=colleague, resolution="已办结")
    assert told(notifications.CLOSED, demand) == [actors["service"].username]


def test_a_refused_transition_tells_nobody(actors, django_capture_on_commit_callbacks):
    demand = DemandFactory(category=category("procedure"))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Refused):
        services.demand_close(demand=demand, by=actors["approval"], resolution="x")
    assert not Notification.objects.exists()
