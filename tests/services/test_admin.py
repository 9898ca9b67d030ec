import pytest
from django.urls import reverse

from tests.services.factories import (
    ApplicationFactory,
    DemandFactory,
    FinancingNeedFactory,
    LoanIntentFactory,
    MeetingFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "visit",
    "demandcategory",
    "demand",
    "demandevent",
    "financialinstitution",
    "matchmakingmeeting",
    "financingneed",
    "loanintent",
    "policyprogramme",
    "policyapplication",
]


def test_every_model_has_a_working_admin_list_and_change_page(client, actors):
    objects = {
        "visit": VisitFactory(created_by=actors["service"]),
        "demand": DemandFactory(),
        "matchmakingmeeting": MeetingFactory(),
        "financingneed": FinancingNeedFactory(),
        "loanintent": LoanIntentFactory(),
        "policyapplication": ApplicationFactory(),
    }
    client.force_login(actors["admin"])
    for model in MODELS:
        response = client.get(reverse(f"admin:services_{model}_changelist"), {"q": "测试"})
        assert response.status_code == 200, model
        if model in objects:
            url = reverse(f"admin:services_{model}_change", args=[objects[model].pk])
            assert client.get(url).status_code == 200, model


def test_demands_are_not_added_in_the_admin_and_their_state_is_read_only(client, actors):
    demand = DemandFactory()
    client.force_login(actors["admin"])
    assert client.get(reverse("admin:services_demand_add")).status_code == 403
    html = client.get(reverse("admin:services_demand_change", args=[demand.pk])).content.decode()
    assert 'name="status"' not in html
