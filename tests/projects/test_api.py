"""The API: the ledger's figures and colour per project for the chosen month, the owner's
contacts masked for 招商局, the same filters as the page, the workflows' actions, pinned query
counts."""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from apps.accounts.roles import Role
from apps.projects.models import MonthlyReport
from tests.conftest import make_role_user
from tests.projects.factories import PlanFactory, ProjectFactory, ReportFactory

pytestmark = pytest.mark.django_db
S = MonthlyReport.Status


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def rows(liaison):
    project = ProjectFactory(liaison=liaison, name="国家骨干冷链物流基地")
    PlanFactory(project=project, year=2023, planned=Decimal("1200"))
    ReportFactory(project=project, month=10, invested=Decimal("250"), status=S.APPROVED)
    ReportFactory(project=project, month=11, invested=Decimal("70"), status=S.SUBMITTED)
    unregistered = ProjectFactory(name="澳美电气变压器“机器换人”技改项目", registered_on=None)
    return project, unregistered


def test_a_project_row_carries_the_months_figures_and_its_reasons(api, economy, rows):
    api.force_authenticate(economy)
    body = api.get("/api/projects/projects/", {"month": "2023-11"}).json()
    by_name = {row["name"]: row for row in body["results"]}
    row = by_name["国家骨干冷链物流基地"]
    assert row["ytd"] == "250.00" and row["month_invested"] is None
    assert row["plan_share"] == "20.83"
    assert row["colour"] in ("green", "amber", "red")
    red = by_name["澳美电气变压器“机器换人”技改项目"]
    assert red["colour"] == "red"
    assert any(reason["dimension"] == "registration" for reason in red["reasons"])


def test_the_colour_filter_matches_the_rows_colours(api, economy, rows):
    api.force_authenticate(economy)
    body = api.get("/api/projects/projects/", {"month": "2023-11", "colour": "red"}).json()
    assert body["count"] >= 1 and all(row["colour"] == "red" for row in body["results"])


def test_a_bad_month_is_a_400_not_a_500(api, economy, rows):
    api.force_authenticate(economy)
    response = api.get("/api/projects/projects/", {"month": "2023-13"})
    assert response.status_code == 400 and "month" in response.json()["errors"]


def test_contacts_are_masked_for_investment(api, rows):
    api.force_authenticate(make_role_user(Role.INVESTMENT))
    row = api.get(f"/api/projects/projects/{rows[0].pk}/").json()
    assert row["owner_phone"] == "139****5678" and row["owner_contact"] == "王**"


def test_the_liaison_submits_and_economy_returns_through_the_api(api, liaison, economy, rows):
    report = ReportFactory(project=rows[0], month=9)
    api.force_authenticate(liaison)
    response = api.post(f"/api/projects/reports/{report.pk}/submit/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    api.force_authenticate(economy)
    response = api.post(f"/api/projects/reports/{report.pk}/return-report/", {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    response = api.post(
        f"/api/projects/reports/{report.pk}/return-report/", {"reason": "凭证不全"}, format="json"
    )
    assert response.json()["status"] == "returned"
    api.force_authenticate(liaison)
    assert api.post(f"/api/projects/reports/{report.pk}/approve/", {}).status_code == 403


def test_economy_completes_a_project_through_the_api(api, economy, rows):
    api.force_authenticate(economy)
    response = api.post(
        f"/api/projects/projects/{rows[0].pk}/complete/",
        {"completed_on": datetime.date(2024, 6, 30).isoformat()},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "completed"


def test_api_list_query_count_does_not_grow(api, economy, rows, django_assert_num_queries):
    api.force_authenticate(economy)
    # The user's permissions (2), count, page, problems (hook), the user's roles (contacts).
    with django_assert_num_queries(6):
        api.get("/api/projects/projects/", {"month": "2023-11"})
    for _ in range(5):
        ProjectFactory()
    # A fresh user object: permissions and roles are cached on it for one request's life.
    api.force_authenticate(type(economy).objects.get(pk=economy.pk))
    with django_assert_num_queries(6):
        api.get("/api/projects/projects/", {"month": "2023-11"})


# --- Writing a monthly report through the API -------------------------------------------------


def _body(project, **fields):
    return {"project": project.pk, "year": 2023, "month": 6, "invested": "120.50", **fields}


def test_the_projects_liaison_creates_a_draft_report_through_the_api(api, liaison, project):
    api.force_authenticate(liaison)
    response = api.post(
        "/api/projects/reports/", _body(project, progress="主体结构施工"), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["invested"] == "120.50"
    assert body["allowed_actions"] == ["submit"]
    report = MonthlyReport.objects.get(pk=body["id"])
    assert report.written_by == liaison and report.progress == "主体结构施工"
    assert list(report.events.values_list("action", flat=True)) == ["create"]


@pytest.mark.parametrize("role", [Role.ECONOMY, Role.LEADER, Role.SERVICE, Role.INVESTMENT])
def test_other_roles_may_not_create_a_report(api, project, role):
    api.force_authenticate(make_role_user(role))
    response = api.post("/api/projects/reports/", _body(project), format="json")
    assert response.status_code == 403 and response.json()["detail"]
    assert not MonthlyReport.objects.exists()


def test_another_projects_liaison_may_not_create_its_report(api, other_liaison, project):
    api.force_authenticate(other_liaison)
    response = api.post("/api/projects/reports/", _body(project), format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有本项目的联络员可以填报月报"
    assert not MonthlyReport.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"invested": "-1"}, "invested"),
        ({"month": 13}, "month"),
        ({"year": 2023, "month": 2}, "month"),  # before the start (2023-03)
        ({"year": 2099, "month": 1}, "month"),  # in the future
    ],
)
def test_the_services_refusals_answer_400_with_the_field(api, liaison, project, fields, field):
    api.force_authenticate(liaison)
    response = api.post("/api/projects/reports/", _body(project, **fields), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json().get("errors", {}), response.json()
    assert not MonthlyReport.objects.exists()


def test_a_second_report_for_the_same_month_is_refused(api, liaison, project):
    ReportFactory(project=project, year=2023, month=6, invested=Decimal("5"))
    api.force_authenticate(liaison)
    response = api.post("/api/projects/reports/", _body(project), format="json")
    assert response.status_code == 400 and "month" in response.json()["errors"]
    assert MonthlyReport.objects.get().invested == Decimal("5")


def test_the_api_takes_json_only(api, liaison, project):
    api.force_authenticate(liaison)
    response = api.post("/api/projects/reports/", _body(project))  # multipart form
    assert response.status_code == 415
    assert not MonthlyReport.objects.exists()
