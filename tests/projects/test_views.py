"""The pages: the ledger (figures, colours, filters, the Excel 台账), a project, the report
form and its workflow on the page, photos behind the permission, contacts masked."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from apps.accounts.roles import Role
from apps.core import figures
from apps.projects.models import MonthlyReport
from tests.conftest import FRAME_QUERIES, make_role_user
from tests.projects.factories import MilestoneFactory, PlanFactory, ProjectFactory, ReportFactory

pytestmark = pytest.mark.django_db
S = MonthlyReport.Status


@pytest.fixture
def ledger(liaison):
    """Two parks, three projects with approved reports for 2023."""
    first = ProjectFactory(
        liaison=liaison, name="化工园区碳综合利用项目", prior_investment=Decimal("300")
    )
    second = ProjectFactory(liaison=liaison, name="国家骨干冷链物流基地")
    third = ProjectFactory(name="澳美电气机器换人项目", registered_on=None)
    for project, amounts in ((first, [100, 200]), (second, [50, 50]), (third, [10, 0])):
        PlanFactory(project=project, year=2023, planned=Decimal("1200"))
        for month, amount in zip((9, 10), amounts, strict=True):
            ReportFactory(project=project, month=month, invested=Decimal(amount), status=S.APPROVED)
    return first, second, third


def test_the_ledger_shows_the_months_figures_and_colours(client, economy, ledger):
    client.force_login(economy)
    response = client.get(reverse("projects:ledger"), {"month": "2023-10"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "化工园区碳综合利用项目" in text and "data-colour=" in text
    assert "1–10月完成" in text


def test_the_ledger_filters_by_colour(client, economy, ledger):
    client.force_login(economy)
    response = client.get(reverse("projects:ledger"), {"month": "2023-10", "colour": "red"})
    names = [row.obj.name for row in response.context["rows"]]
    # The third is 500万+ started in March and not registered: red.
    assert "澳美电气机器换人项目" in names
    assert all(row.obj.rag.colour == "red" for row in response.context["rows"])


def test_a_bad_month_is_refused_on_the_form_not_a_500(client, economy, ledger):
    client.force_login(economy)
    response = client.get(reverse("projects:ledger"), {"month": "2023-13"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors


def test_the_excel_ledger_has_merged_headers_a_total_equal_to_the_rows_and_fills(
    client, economy, ledger
):
    client.force_login(economy)
    response = client.get(reverse("projects:ledger"), {"month": "2023-10", "export": "ledger"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "A1:S1" in merged and "A2:A3" in merged and "G2:M2" in merged
    assert "2023年10月" in sheet["A1"].value
    assert sheet["J3"].value == "1–10月完成"
    assert sheet["B4"].value.startswith("合计")
    rows = [row for row in sheet.iter_rows(min_row=5, values_only=True) if isinstance(row[0], int)]
    assert len(rows) == 3
    assert sheet["J4"].value == sum(row[9] for row in rows) == Decimal("410")
    assert sheet["G4"].value == sum(row[6] for row in rows)
    assert sheet.freeze_panes == "C4"
    assert sheet.page_setup.orientation == "landscape"
    fills = {
        sheet.cell(row=r, column=19).fill.fgColor.rgb
        for r in range(5, sheet.max_row + 1)
        if isinstance(sheet.cell(row=r, column=1).value, int)
    }
    assert fills <= {"00C6EFCE", "00FFEB9C", "00FFC7CE"} and fills


def test_the_project_page_explains_its_colour_and_masks_contacts_for_investment(
    client, ledger, economy
):
    project = ledger[2]
    client.force_login(economy)
    text = client.get(project.get_absolute_url(), {"month": "2023-10"}).content.decode()
    assert "未入库纳统" in text and "13912345678" in text
    client.force_login(make_role_user(Role.INVESTMENT))
    text = client.get(project.get_absolute_url(), {"month": "2023-10"}).content.decode()
    assert "13912345678" not in text and "139****5678" in text


def test_the_liaison_writes_a_report_with_a_photo_and_economy_approves_it_on_the_page(
    client, liaison, economy, project, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(liaison)
    buffer = io.BytesIO()
    Image.new("RGB", (50, 40), (0, 128, 0)).save(buffer, "JPEG")
    buffer.name = "site.jpg"
    buffer.seek(0)
    response = client.post(
        reverse("projects:report_create", args=[project.pk]),
        {"year": 2023, "month": 4, "invested": "150.5", "progress": "主体施工", "photo": buffer},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = MonthlyReport.objects.get()
    assert report.photos.count() == 1
    client.post(reverse("projects:report_transition", args=[report.pk, "submit"]))
    client.force_login(economy)
    response = client.post(reverse("projects:report_transition", args=[report.pk, "approve"]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == S.APPROVED
    photo = report.photos.get()
    assert client.get(reverse("projects:photo_thumbnail", args=[photo.pk])).status_code == 200


def test_a_non_image_upload_leaves_no_report(client, liaison, project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(liaison)
    fake = io.BytesIO(b"MZ not an image")
    fake.name = "photo.jpg"
    response = client.post(
        reverse("projects:report_create", args=[project.pk]),
        {"year": 2023, "month": 4, "invested": "1", "photo": fake},
    )
    assert response.status_code == 400
    assert not MonthlyReport.objects.exists()


def test_another_liaison_gets_403_on_the_report_form(client, other_liaison, project):
    client.force_login(other_liaison)
    assert client.get(reverse("projects:report_create", args=[project.pk])).status_code == 403


def test_the_ledger_query_count_does_not_grow_with_rows(
    client, economy, ledger, django_assert_num_queries
):
    client.force_login(economy)
    MilestoneFactory(project=ledger[0], due_on=datetime.date(2023, 10, 20))
    url = reverse("projects:ledger")
    # Permissions (2), the summary of every filtered row (count, colours, statuses, 合计: 1),
    # the page's rows (1) and their problems (hook), the curve's plans and reports (2), the
    # filter form's choices (parks, liaisons, leaders).
    with django_assert_num_queries(FRAME_QUERIES + 10):
        client.get(url, {"month": "2023-10"})
    # The summary and the curve (3 queries) are kept for the same filters (another page,
    # another order); the parks' choices are read once per process (until a park is written).
    with django_assert_num_queries(FRAME_QUERIES + 6):
        client.get(url, {"month": "2023-10", "page": "1"})
    for _ in range(10):
        ProjectFactory()
    figures.invalidate("projects")  # as the projects' services do (factories write directly)
    with django_assert_num_queries(FRAME_QUERIES + 10):
        client.get(url, {"month": "2023-10"})


def _halt(project, *, by):
    """Halted through the service (as of 2023-10-15), which invalidates the kept figures."""
    from apps.projects import services

    services.project_advance(
        project=project,
        action="halt",
        by=by,
        reason="资金未到位",
        halted_on=datetime.date(2023, 10, 15),
    )


def test_the_ledgers_kept_totals_follow_writes_and_each_liaisons_own_filter(
    client, economy, liaison, other_liaison, ledger
):
    """The ledger's counts and 合计 are kept between pages; a write through a service shows on
    the next page, and "我联络的" is each liaison's own."""

    def totals(user, **params):
        client.force_login(user)
        response = client.get(reverse("projects:ledger"), {"month": "2023-10", **params})
        return response.context["totals"]

    before = totals(economy)
    assert before.count == 3 and before.statuses.get("halted", 0) == 0
    _halt(ledger[1], by=economy)
    after = totals(economy)
    assert after.statuses.get("halted") == 1 and after.count == before.count
    assert totals(liaison, mine="true").count == 2
    assert totals(other_liaison, mine="true").count == 0


def test_the_colour_filter_follows_a_write_and_equals_the_colour_count(client, economy, ledger):
    """The colour filter reads the ids of each colour, kept until a write (rag.colour_ids): a
    project halted through the service is red on the next page, and the filtered list always
    has as many rows as the ledger counts of that colour."""
    from apps.projects.models import AnnualPlan

    # On plan: not red before the write (the fixture's plans leave every project behind).
    AnnualPlan.objects.filter(project=ledger[1], year=2023).update(planned=Decimal("100"))
    client.force_login(economy)

    def red():
        response = client.get(reverse("projects:ledger"), {"month": "2023-10", "colour": "red"})
        rows = {project.pk for project in response.context["object_list"]}
        counted = client.get(reverse("projects:ledger"), {"month": "2023-10"}).context["totals"]
        assert len(rows) == counted.colours.get("red", 0)
        return rows

    assert ledger[1].pk not in red()
    _halt(ledger[1], by=economy)
    assert ledger[1].pk in red()


def test_the_project_page_query_count(client, economy, ledger, django_assert_num_queries):
    client.force_login(economy)
    # Permissions (2), the project with milestones, approvals and plans (4), its ledger row and
    # problems (2), the curve (2), reports, the user's roles (contacts), demands (hook),
    # photos, status events, the saved versions (停缓建 timeline).
    with django_assert_num_queries(FRAME_QUERIES + 16):
        client.get(ledger[0].get_absolute_url())


def test_the_report_list_query_count(client, economy, ledger, django_assert_num_queries):
    client.force_login(economy)
    # Permissions (2), count, the page of reports, the liaison filter's choices.
    with django_assert_num_queries(FRAME_QUERIES + 5):
        client.get(reverse("projects:report_list"))


def test_an_approval_problem_opens_a_procedure_demand_for_the_approval_office(
    client, liaison, project
):
    from apps.services.models import Demand, DemandCategory

    client.force_login(liaison)
    page = client.get(project.get_absolute_url()).content.decode()
    link = f"/services/demands/new/?project={project.pk}&amp;topic=approval:energy"
    assert link in page
    form = client.get(link.replace("&amp;", "&")).context["form"]
    category = DemandCategory.objects.get(code="procedure")
    assert form.initial["category"] == category.pk and "能评" in form.initial["description"]
    response = client.post(
        "/services/demands/new/",
        {
            "enterprise": project.enterprise.name,
            "source": "project",
            "project": project.pk,
            "category": category.pk,
            "description": "能评批复迟迟未下达",
            "priority": "normal",
            "raised_on": form.fields["raised_on"].initial.isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    demand = Demand.objects.get()
    assert demand.project == project and demand.department.code == "approval"
    text = client.get(project.get_absolute_url()).content.decode()
    assert "能评批复迟迟未下达" in text


def test_the_ledger_page_totals_and_counts_cover_every_filtered_row_not_the_page(
    client, economy, ledger
):
    # More projects than a page (25): the 合计 and the colour counts are those of all 28 rows.
    for index in range(25):
        project = ProjectFactory(registered_on=None if index % 3 == 0 else ledger[0].registered_on)
        PlanFactory(project=project, year=2023, planned=Decimal("120"))
        ReportFactory(
            project=project, month=9, invested=Decimal(index % 2 * 100), status=S.APPROVED
        )
        ReportFactory(project=project, month=10, invested=Decimal(index), status=S.APPROVED)
    client.force_login(economy)
    response = client.get(reverse("projects:ledger"), {"month": "2023-10"})
    totals = response.context["totals"]
    assert len(response.context["rows"]) == 25 and totals.count == 28
    from apps.core.figures import Period
    from apps.core.lists import format_value
    from apps.projects import rag, selectors

    period = Period(2023, 10)
    every = rag.attach(selectors.project_list(None, period), period)
    assert totals.ytd == sum(p.ytd for p in every)
    assert totals.month_invested == sum(p.month_invested or 0 for p in every)
    assert totals.since_start == sum(p.since_start for p in every)
    assert totals.before == sum(p.prior_investment + p.before_year for p in every)
    assert totals.planned == sum(p.plan_planned or 0 for p in every)
    colours = {item["code"]: item["value"] for item in response.context["chart"]["colours"]}
    assert colours == {c: sum(p.rag.colour == c for p in every) for c in ("red", "amber", "green")}
    assert len([n for n in colours.values() if n]) >= 2
    text = response.content.decode()
    assert f'data-total="ytd">{format_value(totals.ytd, "amount")}<' in text
    # The colour filter (SQL) keeps the rows the page's explanations call red.
    red = client.get(reverse("projects:ledger"), {"month": "2023-10", "colour": "red"})
    assert red.context["totals"].count == colours["red"]
    assert all(row.obj.rag.colour == "red" for row in red.context["rows"])


def test_the_leaders_home_box_counts_the_red_projects_of_the_ledgers_red_list(client, leader):
    """The box reads the colour in SQL (rag.with_colour) and assesses only the red rows: its
    count is the ledger's ?colour=red list, each red project shown with its reason."""
    import datetime

    from apps.projects import selectors
    from apps.projects.models import Project
    from tests.projects.factories import ProjectFactory

    period = selectors.default_period(datetime.date.today())
    for index in range(3):  # years past the planned start (2023-03), not started: red
        ProjectFactory(
            name=f"迟迟未开工{index}",
            status=Project.Status.PREPARING,
            actual_start=None,
            registered_on=None,
        )
    ProjectFactory(name="另一项目", planned_completion=datetime.date(2030, 12, 31), end_year=2030)
    client.force_login(leader)
    home = client.get("/").content.decode()
    box = home[home.index('data-testid="projects-panel"') :]
    shown = int(box.split('data-figure="red">')[1].split("<")[0])
    listed = client.get(f"/api/projects/projects/?month={period.code}&colour=red").json()
    assert shown == listed["count"] >= 3
    names = {row["name"] for row in listed["results"]}
    assert {f"迟迟未开工{i}" for i in range(3)} <= names
    assert ("另一项目</a>：" in box) == ("另一项目" in names)
    assert "迟迟未开工0</a>：" in box


def test_the_leaders_home_box_is_fresh_after_a_write(client, leader, economy):
    """The box's red rows are kept between pages, and a write to a project (here halting it)
    shows on the next page: the cache goes with the projects' (and demands') writes."""
    import datetime

    from apps.projects import selectors, services
    from apps.projects.models import Project
    from tests.projects.factories import ProjectFactory

    period = selectors.default_period(datetime.date.today())
    project = ProjectFactory(
        name="将要停建的项目", planned_completion=datetime.date(2030, 12, 31), end_year=2030
    )
    client.force_login(leader)

    def red_shown():
        home = client.get("/").content.decode()
        box = home[home.index('data-testid="projects-panel"') :]
        return int(box.split('data-figure="red">')[1].split("<")[0]), "将要停建的项目</a>" in box

    before, listed = red_shown()
    assert not listed
    services.project_advance(
        project=project, action="halt", by=economy, reason="资金未到位", halted_on=period.day
    )
    assert Project.objects.get(pk=project.pk).status == Project.Status.HALTED
    assert red_shown() == (before + 1, True)


def test_the_ledger_counts_follow_a_write_of_a_demand_about_a_project(client, economy):
    """The kept counts read the demands about a project through the colours: closing one is
    seen on the next page (the demand's write invalidates the projects' area)."""
    from apps.services import services as demand_services
    from tests.projects.test_rag import _amber_project_with_overdue_demand

    project, demand, officer = _amber_project_with_overdue_demand()
    client.force_login(economy)

    def amber():
        response = client.get(reverse("projects:ledger"), {"month": "2023-06"})
        return response.context["totals"].colours.get("amber", 0)

    assert amber() == 1
    demand_services.demand_accept(demand=demand, by=officer)
    demand_services.demand_close(
        demand=demand, by=officer, resolution="已接入", closed_on=datetime.date(2023, 6, 25)
    )
    assert amber() == 0
