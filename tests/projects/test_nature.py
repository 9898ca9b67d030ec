"""性质 (新开工 / 续建) is derived from the dates for the ledger's year, never stored: an
unfinished 在建 at a year's end is 续建 in the next year. The ledger, its filter, the API field
and the Excel 台账 agree on the year boundary."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from apps.projects import selectors
from apps.projects.models import Project
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def boundary():
    """Four projects around the turn of 2023 to 2024."""
    return {
        "late_start": ProjectFactory(
            name="年末开工项目", actual_start=D(2023, 12, 31), planned_start=D(2023, 12, 1)
        ),
        "done_at_year_end": ProjectFactory(
            name="年末竣工项目",
            status=Project.Status.COMPLETED,
            actual_start=D(2023, 3, 1),
            actual_completion=D(2023, 12, 31),
        ),
        "done_on_new_year": ProjectFactory(
            name="元旦竣工项目",
            status=Project.Status.COMPLETED,
            actual_start=D(2023, 3, 1),
            actual_completion=D(2024, 1, 1),
        ),
        "new_year_start": ProjectFactory(
            name="元旦开工项目", actual_start=D(2024, 1, 1), planned_start=D(2024, 1, 1)
        ),
    }


def test_nature_is_not_a_stored_field():
    assert "nature" not in {field.name for field in Project._meta.get_fields()}


@pytest.mark.parametrize(
    ("key", "in_2023", "in_2024"),
    [
        ("late_start", "new", "continuing"),
        ("done_at_year_end", "new", ""),
        ("done_on_new_year", "new", "continuing"),
        ("new_year_start", "", "new"),
    ],
)
def test_nature_on_the_year_boundary(boundary, key, in_2023, in_2024):
    project = boundary[key]
    assert project.nature_code(2023) == in_2023
    assert project.nature_code(2024) == in_2024
    # The SQL rule (the filter) says the same.
    for year, code in ((2023, in_2023), (2024, in_2024)):
        for nature in Project.Nature.values:
            matches = Project.objects.filter(selectors.nature_q(nature, year), pk=project.pk)
            assert matches.exists() == (nature == code), (year, nature)


def test_the_labels_for_what_is_neither(boundary):
    assert boundary["done_at_year_end"].nature(2024) == "已竣工"
    assert boundary["new_year_start"].nature(2023) == "未开工"
    assert boundary["late_start"].nature(2024) == "续建"


def _names(client, **query):
    response = client.get(reverse("projects:ledger"), query)
    assert response.status_code == 200
    return {
        name
        for name in ("年末开工项目", "年末竣工项目", "元旦竣工项目", "元旦开工项目")
        if name in response.content.decode()
    }


def test_the_ledger_filters_by_nature_in_the_chosen_months_year(client, economy, boundary):
    client.force_login(economy)
    assert _names(client, month="2024-01", nature="continuing") == {"年末开工项目", "元旦竣工项目"}
    assert _names(client, month="2024-01", nature="new") == {"元旦开工项目"}
    assert _names(client, month="2023-12", nature="continuing") == set()
    assert _names(client, month="2023-12", nature="new") == {
        "年末开工项目",
        "年末竣工项目",
        "元旦竣工项目",
    }
    assert client.get(reverse("projects:ledger"), {"nature": "stored"}).status_code == 200


def _table_row(page: str, pk: int) -> str:
    match = re.search(rf'<tr data-id="{pk}">(.*?)</tr>', page, re.S)
    assert match, pk
    return match.group(1)


def test_the_ledger_page_shows_the_nature_of_the_months_year(client, economy, boundary):
    client.force_login(economy)
    pk = boundary["late_start"].pk
    for month, shown, not_shown in (("2023-12", "新开工", "续建"), ("2024-01", "续建", "新开工")):
        page = client.get(reverse("projects:ledger"), {"month": month}).content.decode()
        row = _table_row(page, pk)
        assert shown in row
        assert not_shown not in row


def test_the_api_field_and_filter_follow_the_year(economy, boundary):
    api = APIClient()
    api.force_authenticate(economy)
    for month, expected in (("2023-12", "new"), ("2024-01", "continuing")):
        body = api.get("/api/projects/projects/", {"month": month}).json()
        by_name = {row["name"]: row["nature"] for row in body["results"]}
        assert by_name["年末开工项目"] == expected
    body = api.get("/api/projects/projects/", {"month": "2024-06", "nature": "continuing"}).json()
    assert {row["name"] for row in body["results"]} == {"年末开工项目", "元旦竣工项目"}
    assert api.get("/api/projects/projects/", {"nature": "stored"}).status_code == 400


def test_the_excel_ledger_shows_the_nature_of_the_months_year(client, economy, boundary):
    client.force_login(economy)
    for month, expected in (("2023-12", "新开工"), ("2024-01", "续建")):
        response = client.get(reverse("projects:ledger"), {"month": month, "export": "ledger"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        natures = {row[1]: row[3] for row in sheet.iter_rows(min_row=5, values_only=True)}
        assert natures["年末开工项目"] == expected
