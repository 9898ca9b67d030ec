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


def test_a_refused_delete_is_a_documented_400(client, role_users, schema):
    # DELETE /api/dashboard/targets/{id}/ of a year's target that still has its monthly split
    # answered 400 (the refusal, with its reason) where the schema listed 204/401/403/404 only.
    from decimal import Decimal

    from apps.dashboard import services
    from apps.dashboard.models import Target

    for path, operations in schema["paths"].items():
        if "delete" in operations:
            assert "400" in operations["delete"]["responses"], path
    services.target_year_save(
        by=role_users["经济发展"],
        indicator="industry_output_ytd",
        year=2023,
        annual=Decimal("12000"),
        months={6: Decimal("5000")},
        groups={},
    )
    year = Target.objects.get(indicator="industry_output_ytd", year=2023, month=None)
    client.force_login(role_users["系统管理员"])
    response = client.delete(f"/api/dashboard/targets/{year.pk}/")
    assert response.status_code == 400
    assert response.json()["detail"]
    assert Target.objects.filter(pk=year.pk).exists()


def test_a_target_patch_answers_every_field_and_an_empty_department_is_refused(client, role_users):
    # PATCH /api/dashboard/targets/{id}/ answered without department_name (DRF drops a
    # default=None field from a partial update's answer); {"department": ""} was taken as
    # "no department" where the schema says an id or null.
    import json

    from apps.dashboard.models import Target

    client.force_login(role_users["系统管理员"])
    body = {"indicator": "industry_output_ytd", "year": 2023, "value": "12000"}
    created = client.post(
        "/api/dashboard/targets/", json.dumps(body), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["department_name"] is None
    patched = client.patch(
        f"/api/dashboard/targets/{created.json()['id']}/",
        json.dumps({"value": "13000"}),
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["department_name"] is None

    empty = client.post(
        "/api/dashboard/targets/",
        json.dumps({**body, "year": 2024, "department": ""}),
        content_type="application/json",
    )
    assert empty.status_code == 400
    assert "department" in empty.json()["errors"]
    assert not Target.objects.filter(year=2024).exists()
