"""The leadership's instruction (批示) on a demand: its one write, at any stage, on the timeline,
through the page and the API, refused to everyone else with a reason."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.errors import NotAllowed
from apps.services import services
from apps.services.models import DemandEvent
from tests.services.factories import DemandFactory

pytestmark = pytest.mark.django_db


def test_a_leader_instructs_on_an_open_demand_without_moving_it(actors):
    demand = DemandFactory()
    before = demand.status
    services.demand_instruct(demand=demand, by=actors["leader"], instruction=" 请本周内办结 ")
    demand.refresh_from_db()
    event = demand.events.get(action=DemandEvent.Action.INSTRUCT)
    assert (demand.status, event.from_status, event.to_status) == (before, before, before)
    assert (event.by, event.comment) == (actors["leader"], "请本周内办结")


def test_a_closed_demand_can_still_be_instructed_on(actors):
    demand = DemandFactory()
    demand.status, demand.resolution, demand.closed_on = "closed", "已办结", demand.raised_on
    demand.save()
    services.demand_instruct(demand=demand, by=actors["leader"], instruction="做好回访")
    assert demand.events.filter(action=DemandEvent.Action.INSTRUCT).count() == 1


@pytest.mark.parametrize("actor", ["service", "approval", "economy", "liaison", "investment"])
def test_only_the_leadership_may_instruct(actors, actor):
    demand = DemandFactory()
    with pytest.raises(NotAllowed) as refused:
        services.demand_instruct(demand=demand, by=actors[actor], instruction="批示")
    assert "只有领导可以对诉求作出批示" in str(refused.value)
    assert not demand.events.filter(action=DemandEvent.Action.INSTRUCT).exists()


def test_an_empty_instruction_is_refused(actors):
    demand = DemandFactory()
    with pytest.raises(ValidationError) as refused:
        services.demand_instruct(demand=demand, by=actors["leader"], instruction="   ")
    assert "批示内容不能为空" in str(refused.value)
    assert not demand.events.filter(action=DemandEvent.Action.INSTRUCT).exists()


def test_the_leader_instructs_from_the_demand_page_and_sees_it_on_the_timeline(client, actors):
    demand = DemandFactory()
    client.force_login(actors["leader"])
    page = client.get(reverse("services:demand_detail", args=[demand.pk])).content.decode()
    assert "批示" in page
    url = reverse("services:demand_transition", args=[demand.pk, "instruct"])
    response = client.post(url, {"instruct-instruction": "请行政审批局加快办理"})
    assert response.status_code == 302
    page = client.get(reverse("services:demand_detail", args=[demand.pk])).content.decode()
    assert "请行政审批局加快办理" in page


def test_an_empty_instruction_on_the_page_is_answered_in_chinese(client, actors):
    demand = DemandFactory()
    client.force_login(actors["leader"])
    url = reverse("services:demand_transition", args=[demand.pk, "instruct"])
    response = client.post(url, {"instruct-instruction": ""})
    assert response.status_code == 400
    assert "批示内容不能为空" in response.content.decode()
    assert not demand.events.filter(action=DemandEvent.Action.INSTRUCT).exists()


def test_other_roles_are_refused_on_the_page(client, actors):
    demand = DemandFactory()
    client.force_login(actors["liaison"])
    url = reverse("services:demand_transition", args=[demand.pk, "instruct"])
    response = client.post(url, {"instruct-instruction": "批示"})
    assert response.status_code in (400, 403)
    assert not demand.events.filter(action=DemandEvent.Action.INSTRUCT).exists()


def test_the_leader_instructs_through_the_api(client, actors):
    demand = DemandFactory()
    client.force_login(actors["leader"])
    url = reverse("api:demand-instruct", args=[demand.pk])
    response = client.post(url, {"instruction": "请督办"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["events"][-1]["comment"] == "请督办"
    assert "instruct" in response.json()["allowed_actions"]


def test_other_roles_get_403_with_the_reason_through_the_api(client, actors):
    demand = DemandFactory()
    client.force_login(actors["service"])
    url = reverse("api:demand-instruct", args=[demand.pk])
    response = client.post(url, {"instruction": "批示"}, content_type="application/json")
    assert response.status_code == 403
    assert "只有领导可以对诉求作出批示" in response.json()["detail"]
