"""What schemathesis found on the services API (issue 9), one regression test each: the schema
and the answers agree, bodies are JSON as the schema says, filters refuse what they cannot
take (a whole number, yes/no), and blank required text is refused in Chinese."""

import datetime
import json

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.core.filters import StrictIntegerField, YesNoField
from tests.services.factories import ApplicationFactory, DemandFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture
def admin(client, user_of):
    user = user_of(Role.ADMIN, username="zhou", full_name="周强")
    client.force_login(user)
    return user


def test_a_demand_without_assignee_answers_null_and_the_schema_says_nullable(client, admin, schema):
    DemandFactory(assignee=None)
    [row] = client.get(reverse("api:demand-list")).json()["results"]
    assert row["assignee_name"] is None
    assert schema["components"]["schemas"]["Demand"]["properties"]["assignee_name"]["nullable"]


def test_bodies_are_json_only_in_the_schema_and_in_the_api(client, admin, schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and "requestBody" in operation:
                assert list(operation["requestBody"]["content"]) == ["application/json"], (
                    method,
                    path,
                )
    # A form body whose empty organiser would have read as "not given" (the default).
    form = {"title": "对接会", "held_on": "2023-04-18", "organiser": ""}
    response = client.post(reverse("api:matchmaking-meeting-list"), form)
    assert response.status_code == 415
    assert "detail" in response.json()


@pytest.mark.parametrize("organiser", ["", "   "])
def test_a_blank_organiser_is_refused_in_chinese(client, admin, organiser):
    body = {"title": "对接会", "held_on": "2023-04-18", "organiser": organiser}
    response = client.post(
        reverse("api:matchmaking-meeting-list"), json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["organiser"] == ["该字段不能为空。"]


@pytest.mark.parametrize(
    "url", ["api:policy-application-list", "api:demand-list", "api:visit-list"]
)
@pytest.mark.parametrize("value", ["0.5", "2023.0", "1e400", "99999999999", "２０２３", "x"])
def test_integer_filters_refuse_what_is_not_a_whole_number(client, admin, url, value):
    name = "year" if url == "api:policy-application-list" else "enterprise"
    response = client.get(reverse(url), {name: value})
    assert response.status_code == 400, response.content
    assert name in response.json()["errors"]


def test_an_integer_filter_still_filters(client, admin):
    ApplicationFactory(year=2023)
    ApplicationFactory(year=2024)
    response = client.get(reverse("api:policy-application-list"), {"year": "2023"})
    assert [row["year"] for row in response.json()["results"]] == [2023]
    assert client.get(reverse("api:policy-application-list"), {"year": ""}).json()["count"] == 2


@pytest.mark.parametrize("value", ["maybe", "1", "yes", "True", "unknown"])
def test_yes_no_filters_refuse_anything_but_yes_or_no(client, admin, value):
    response = client.get(reverse("api:demand-list"), {"overdue": value})
    assert response.status_code == 400
    assert response.json()["errors"]["overdue"] == ["应为“是”或“否”（true 或 false）"]


def test_yes_no_filters_take_true_false_and_chinese(client, admin):
    today = datetime.date.today()
    DemandFactory(
        raised_on=today - datetime.timedelta(days=30), deadline=today - datetime.timedelta(days=1)
    )
    DemandFactory(raised_on=today, deadline=today + datetime.timedelta(days=10))
    url = reverse("api:demand-list")
    assert client.get(url, {"overdue": "true"}).json()["count"] == 1
    assert client.get(url, {"overdue": "是"}).json()["count"] == 1
    assert client.get(url, {"overdue": "false"}).json()["count"] == 1
    assert client.get(url, {"overdue": "否"}).json()["count"] == 1
    assert client.get(url, {"overdue": ""}).json()["count"] == 2


def test_the_list_page_shows_the_refusal_on_its_filter_form(client, admin):
    response = client.get(reverse("services:demand_list"), {"overdue": "maybe"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["overdue"]


def test_the_shared_fields_directly():
    field = StrictIntegerField(required=False)
    assert field.clean("-3") == -3
    assert field.clean(" 12 ") == 12
    assert field.clean("") is None
    yes_no = YesNoField(required=False)
    assert [yes_no.clean(v) for v in ("true", "是", "false", "否", "")] == [
        True,
        True,
        False,
        False,
        None,
    ]


def test_options_describes_the_demand_api_instead_of_answering_500(client, admin):
    demand = DemandFactory()
    assert client.options(reverse("api:demand-list")).status_code == 200
    assert client.options(reverse("api:demand-accept", args=[demand.pk])).status_code == 200


def test_a_transition_documents_the_object_it_answers_not_its_body(schema):
    operation = schema["paths"]["/api/demands/{id}/instruct/"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("InstructFormBodyRequest")
    assert answer == "#/components/schemas/DemandDetail"


def test_a_number_is_not_text(client, admin, user_of):
    body = {"title": "对接会", "held_on": "2023-04-18", "organiser": "县金融工作局", "notes": 0}
    response = client.post(
        reverse("api:matchmaking-meeting-list"), json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["notes"]
    # A transition's body too (the workflow's input form would read 0 as "0").
    demand = DemandFactory()
    client.force_login(user_of(Role.LEADER, username="wang"))
    response = client.post(
        reverse("api:demand-instruct", args=[demand.pk]),
        json.dumps({"instruction": 0}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"instruction": ["格式不正确：应为文本"]}
    response = client.post(
        reverse("api:demand-instruct", args=[demand.pk]),
        json.dumps({"instruction": "请抓紧办理"}),
        content_type="application/json",
    )
    assert response.status_code == 200


def test_a_list_of_ids_must_be_a_list(client, admin):
    body = {"title": "对接会", "held_on": "2023-04-18", "organiser": "县金融工作局"}
    for name, value in (("enterprises", {}), ("institutions", {"1": 1})):
        response = client.post(
            reverse("api:matchmaking-meeting-list"),
            json.dumps({**body, name: value}),
            content_type="application/json",
        )
        assert response.status_code == 400, name
        assert list(response.json()["errors"]) == [name]


def test_enterprise_text_fields_refuse_numbers_too(client, admin):
    from tests.enterprises.factories import EnterpriseFactory

    enterprise = EnterpriseFactory()
    response = client.patch(
        reverse("api:enterprise-detail", args=[enterprise.pk]),
        json.dumps({"notes": 0}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["notes"]


def test_a_boolean_is_true_or_false_not_a_number(client, admin):
    from tests.enterprises.factories import EnterpriseFactory

    enterprise = EnterpriseFactory()
    url = reverse("api:enterprise-detail", args=[enterprise.pk])
    for value in (0, 1, "yes", "true"):
        response = client.patch(
            url, json.dumps({"is_strategic_emerging": value}), content_type="application/json"
        )
        assert response.status_code == 400, value
        assert list(response.json()["errors"]) == ["is_strategic_emerging"]
    response = client.patch(
        url, json.dumps({"is_strategic_emerging": True}), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["is_strategic_emerging"] is True
