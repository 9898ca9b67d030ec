"""What schemathesis found on the investment API (issue 9), one regression test each."""

import pytest
from rest_framework.test import APIClient

from tests.investment.factories import InvestorFactory

pytestmark = pytest.mark.django_db


def test_a_lead_body_refuses_a_number_for_text_and_for_a_boolean(officer, team):
    # The serializer is strict (apps.core.api.StrictModelSerializer): DRF took 0 as "0" and as
    # false where the schema says string and boolean.
    api = APIClient()
    api.force_authenticate(officer)
    body = {"investor": InvestorFactory().pk, "title": 0, "channel": "其他", "confidential": 0}
    response = api.post("/api/investment/leads/", body, format="json")
    assert response.status_code == 400
    assert {"title", "confidential"} <= set(response.json()["errors"])


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize(
    ("path", "keys"),
    [
        ("/api/investment/ranking/", {"year", "month", "results"}),
        ("/api/investment/forecast/", {"unscheduled", "results"}),
    ],
)
def test_the_ranking_and_the_forecast_are_documented_as_the_object_they_answer(
    officer, team, schema, path, keys
):
    # Both were documented as a bare list of rows (their action is "list").
    response = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    component = response["schema"]["$ref"].rsplit("/", 1)[1]
    properties = schema["components"]["schemas"][component]["properties"]
    assert set(properties) == keys
    api = APIClient()
    api.force_authenticate(officer)
    assert set(api.get(path).json()) == keys
