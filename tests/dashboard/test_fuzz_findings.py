"""What schemathesis found on the dashboard API (issue 9), one regression test each."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def test_an_empty_period_means_the_latest_month_in_the_schema_and_in_the_api(
    client, role_users, schema
):
    # ?period= answered 200 (the latest month) while the schema said "a YYYY-MM, not blank".
    [period] = [
        p for p in schema["paths"]["/api/dashboard/"]["get"]["parameters"] if p["name"] == "period"
    ]
    assert {"type": "string", "maxLength": 0} in period["schema"]["anyOf"]
    client.force_login(role_users["领导"])
    body = client.get("/api/dashboard/?period=").json()
    assert body["period"] == body["latest"]
    assert client.get("/api/dashboard/?period=2023-13").status_code == 400
