"""What schemathesis found on the projects API (issue 9), one regression test each."""

import datetime

import pytest
from rest_framework.test import APIClient

from apps.projects.models import Project
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def test_the_construction_project_has_a_component_of_its_own(schema):
    # It shared the name "Project" with the 招商 pipeline's project: the API answered rows
    # without closing_note and with statuses ("constructing", "halted") the schema did not list.
    components = schema["components"]["schemas"]
    path = schema["paths"]["/api/projects/projects/{id}/"]["get"]
    ref = path["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    construction = components[ref.rsplit("/", 1)[1]]
    assert "closing_note" not in construction["properties"]
    assert "closing_note" in components["Project"]["properties"]
    assert "ConstructionProjectStatusEnum" in str(construction["properties"]["status"])
    assert set(components["ConstructionProjectStatusEnum"]["enum"]) == set(Project.Status.values)


def test_the_report_filters_take_whole_numbers_only(economy):
    # ?year=0.5 answered 200 (django-filter's NumberFilter) where the schema says integer.
    api = APIClient()
    api.force_authenticate(economy)
    assert api.get("/api/projects/reports/", {"year": "0.5"}).status_code == 400
    assert api.get("/api/projects/reports/", {"year": "2023"}).status_code == 200
    assert api.get("/api/projects/projects/", {"mine": "maybe"}).status_code == 400


def test_an_optional_text_in_a_workflow_body_is_documented_nullable(schema):
    # {"comment": null} was accepted (the form reads None as empty) where the schema said string.
    bodies = {k: v for k, v in schema["components"]["schemas"].items() if k.endswith("BodyRequest")}
    assert bodies
    for name, body in bodies.items():
        for field, prop in body["properties"].items():
            if field not in body.get("required", []) and prop.get("type") == "string":
                assert prop.get("nullable"), (name, field)


@pytest.mark.parametrize(
    ("before", "actual_start"),
    [
        (Project.Status.PLANNING, None),
        (Project.Status.PREPARING, None),
        (Project.Status.CONSTRUCTING, datetime.date(2023, 3, 15)),
    ],
)
def test_a_project_resumes_to_the_state_it_left(economy, before, actual_start):
    # POST /api/projects/projects/{id}/resume/ answered 500 for a project halted while 预备:
    # the workflow read the target after the step had cleared resume_to, fell back to 在建,
    # and 在建 without a start date broke a check constraint.
    project = ProjectFactory(status=before, actual_start=actual_start, registered_on=None)
    api = APIClient()
    api.force_authenticate(economy)
    url = f"/api/projects/projects/{project.pk}/"
    halted = api.post(
        url + "halt/", {"reason": "资金未到位", "halted_on": "2023-05-20"}, format="json"
    )
    assert halted.status_code == 200, halted.content
    response = api.post(url + "resume/", {}, format="json")
    assert response.status_code == 200, response.content
    project.refresh_from_db()
    assert project.status == before
    assert project.resume_to == "" and project.halt_reason == "" and project.halted_on is None
