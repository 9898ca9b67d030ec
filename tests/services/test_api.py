import datetime

import pytest
from django.test import Client
from django.urls import reverse

from apps.enterprises.models import Qualification
from apps.services.models import Visit
from tests.conftest import FRAME_QUERIES
from tests.enterprises.factories import EnterpriseFactory
from tests.services.factories import (
    ApplicationFactory,
    DemandFactory,
    LoanIntentFactory,
    VisitFactory,
    category,
    programme,
)

pytestmark = pytest.mark.django_db


class JsonClient(Client):
    """The services API takes JSON bodies only (a form body cannot carry null)."""

    def post(self, path, data=None, content_type="application/json", **extra):
        return super().post(path, data, content_type, **extra)

    def patch(self, path, data="", content_type="application/json", **extra):
        return super().patch(path, data, content_type, **extra)


@pytest.fixture
def client():
    return JsonClient()


def test_a_visit_with_demands_is_created_through_the_api(client, actors):
    enterprise = EnterpriseFactory()
    client.force_login(actors["service"])
    response = client.post(
        reverse("api:visit-list"),
        {
            "enterprise": enterprise.pk,
            "visited_on": datetime.date.today().isoformat(),
            "method": "phone",
            "staff": [actors["service"].pk],
            "purpose": "电话回访",
            "demands": [{"category": category("utilities").pk, "description": "电压不稳"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["demand_count"] == 1
    assert Visit.objects.get().demands.get().department.code == "service"


def test_the_whole_loop_through_the_api(client, actors):
    enterprise = EnterpriseFactory()
    client.force_login(actors["service"])
    response = client.post(
        reverse("api:demand-list"),
        {
            "enterprise": enterprise.pk,
            "source": "phone",
            "category": category("procedure").pk,
            "description": "环评批复",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    assert response.json()["department_name"] == "行政审批局"

    # 企业服务局 may not accept 行政审批局's demand: 403 with the reason.
    response = client.post(reverse("api:demand-accept", args=[pk]), {})
    assert response.status_code == 403
    assert "行政审批局" in response.json()["detail"]

    client.force_login(actors["approval"])
    response = client.post(reverse("api:demand-accept", args=[pk]), {})
    assert response.json()["status"] == "in_progress"
    response = client.post(reverse("api:demand-close", args=[pk]), {"resolution": ""})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "办结须填写办理结果",
        "errors": {"resolution": ["办结须填写办理结果"]},
    }
    response = client.post(reverse("api:demand-close", args=[pk]), {"resolution": "已批复"})
    assert response.json()["allowed_actions"] == []

    client.force_login(actors["service"])
    response = client.post(
        reverse("api:demand-follow-up", args=[pk]),
        {"satisfaction": "dissatisfied", "comment": "批复文号有误"},
    )
    assert response.json()["status"] == "in_progress"
    assert [event["action"] for event in response.json()["events"]] == [
        "create",
        "accept",
        "close",
        "reopen",
    ]


def test_return_and_reassign_through_the_api(client, actors):
    first, second = DemandFactory(), DemandFactory()
    client.force_login(actors["approval"])
    response = client.post(reverse("api:demand-return", args=[first.pk]), {"reason": "重复"})
    assert response.json()["status"] == "returned"
    response = client.post(reverse("api:demand-reassign", args=[second.pk]), {"reason": "x"})
    assert response.status_code == 400
    response = client.post(
        reverse("api:demand-reassign", args=[second.pk]), {"reason": "涉及资金", "department": 3}
    )
    assert response.json()["department_name"] == "经济发展局"


def test_the_leader_cannot_act_through_the_api(client, actors):
    demand = DemandFactory()
    client.force_login(actors["leader"])
    assert client.post(reverse("api:demand-accept", args=[demand.pk]), {}).status_code == 403
    assert client.post(reverse("api:demand-list"), {}).status_code == 403


def test_the_demand_api_filters_like_the_page(client, actors):
    today = datetime.date.today()
    DemandFactory(
        raised_on=today - datetime.timedelta(days=30), deadline=today - datetime.timedelta(days=1)
    )
    DemandFactory()
    client.force_login(actors["leader"])
    response = client.get(reverse("api:demand-list"), {"overdue": "true"})
    assert response.json()["count"] == 1
    assert response.json()["results"][0]["overdue_days"] == 1


def test_policy_approval_through_the_api_creates_the_qualification(client, actors):
    application = ApplicationFactory(programme=programme("smart_workshop"))
    client.force_login(actors["economy"])
    client.post(
        reverse("api:policy-application-submit", args=[application.pk]), {"on": "2023-04-01"}
    )
    response = client.post(
        reverse("api:policy-application-approve", args=[application.pk]), {"on": "2023-08-01"}
    )
    assert response.json()["status"] == "approved"
    assert Qualification.objects.get().type.code == "smart_workshop"


def test_loan_progress_through_the_api(client, actors):
    intent = LoanIntentFactory()
    client.force_login(actors["economy"])
    url = reverse("api:loan-intent-fail", args=[intent.pk])
    response = client.post(url, {})
    assert response.status_code == 400
    assert response.json()["errors"] == {"reason": ["请说明原因"]}
    response = client.post(url, {"reason": "企业放弃"})
    assert response.json()["status"] == "failed"
    totals = client.get(reverse("api:loan-intent-totals")).json()
    assert totals[0]["intents"] == 1


# --- query counts -----------------------------------------------------------------------------


def test_the_demand_api_list_takes_a_fixed_number_of_queries(
    client, actors, django_assert_num_queries
):
    for index in range(6):
        DemandFactory(category=category("procedure" if index % 2 else "labour"))
    client.force_login(actors["approval"])
    url = reverse("api:demand-list")
    client.get(url)
    # permissions (2), count, the page of demands with their relations
    with django_assert_num_queries(FRAME_QUERIES + 4):
        client.get(url)


def test_the_visit_api_list_takes_a_fixed_number_of_queries(
    client, actors, django_assert_num_queries
):
    for _ in range(5):
        VisitFactory(created_by=actors["service"], staff=[actors["service"], actors["liaison"]])
    client.force_login(actors["service"])
    url = reverse("api:visit-list")
    client.get(url)
    # permissions (2), count, the page of visits, their staff
    with django_assert_num_queries(FRAME_QUERIES + 5):
        client.get(url)


def test_the_loan_and_application_api_lists_take_a_fixed_number_of_queries(
    client, actors, django_assert_num_queries
):
    for _ in range(5):
        LoanIntentFactory()
        ApplicationFactory().helpers.set([actors["economy"]])
    client.force_login(actors["economy"])
    for url, extra in [
        # permissions (2), count, the page with enterprise, institution and meeting
        (reverse("api:loan-intent-list"), 4),
        # permissions (2), count, the page with enterprise and programme, the helpers
        (reverse("api:policy-application-list"), 5),
    ]:
        client.get(url)
        with django_assert_num_queries(FRAME_QUERIES + extra):
            client.get(url)


def test_bad_amounts_and_duplicates_are_refused_with_400_not_500(client, actors):
    enterprise = EnterpriseFactory()
    client.force_login(actors["economy"])
    response = client.post(
        reverse("api:financing-need-list"),
        {
            "enterprise": enterprise.pk,
            "amount": "0",
            "purpose": "流动资金",
            "raised_on": "2023-05-01",
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"amount": ["融资需求金额必须大于 0"]}
    response = client.post(
        reverse("api:loan-intent-list"),
        {"enterprise": enterprise.pk, "institution": 1, "amount": "-5", "signed_on": "2023-05-01"},
    )
    assert response.status_code == 400
    body = {"enterprise": enterprise.pk, "programme": 1, "year": 2023, "started_on": "2023-03-01"}
    assert client.post(reverse("api:policy-application-list"), body).status_code == 201
    assert client.post(reverse("api:policy-application-list"), body).status_code == 400
    meeting = {"title": "对接会", "held_on": "2023-04-18", "organiser": "县金融工作局"}
    assert client.post(reverse("api:matchmaking-meeting-list"), meeting).status_code == 201
    assert client.post(reverse("api:matchmaking-meeting-list"), meeting).status_code == 400


def test_a_demand_cannot_be_raised_in_the_future(client, actors):
    client.force_login(actors["service"])
    response = client.post(
        reverse("api:demand-list"),
        {
            "enterprise": EnterpriseFactory().pk,
            "source": "phone",
            "category": category("labour").pk,
            "description": "招工",
            "raised_on": (datetime.date.today() + datetime.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "提出日期不能晚于今天",
        "errors": {"raised_on": ["提出日期不能晚于今天"]},
    }


def test_the_hand_written_demand_rows_match_what_drf_would_write(actors, rf):
    from rest_framework import serializers

    from apps.services.api.serializers import DemandDetailSerializer, DemandSerializer
    from apps.services.selectors import demand_detail, demand_list

    assigned = DemandFactory(assignee=actors["approval"])
    DemandFactory(assignee=None)
    request = rf.get("/")
    request.user = actors["approval"]
    for demand in demand_list().order_by("id"):
        serializer = DemandSerializer(demand, context={"request": request})
        generic = serializers.ModelSerializer.to_representation(serializer, demand)
        assert serializer.data == generic
    detail = demand_detail(assigned.pk)
    serializer = DemandDetailSerializer(detail, context={"request": request})
    assert serializer.data == serializers.ModelSerializer.to_representation(serializer, detail)
