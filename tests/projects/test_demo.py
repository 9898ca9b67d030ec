"""The demo data reproduces the seed: 24 projects under construction on 2023-11-30, each with
its liaison (12 liaisons); the 4 construction disputes of 2023 are demands of projects; the
colours include red and amber, each with its reasons; figures equal their lists."""

import pytest

from apps.core.figures import Period, compute_figures
from apps.projects import rag, selectors
from apps.projects.models import MonthlyReport, Project

pytestmark = pytest.mark.django_db
SEED = Period(2023, 11)


def test_24_projects_under_construction_on_the_seed_day_each_with_a_liaison(demo):
    constructing = Project.objects.filter(selectors.constructing_q(SEED.last))
    assert constructing.count() == 24
    assert compute_figures(SEED)["projects_constructing"].value == 24
    liaisons = set(constructing.values_list("liaison", flat=True))
    assert len(liaisons) == 12
    names = set(constructing.values_list("name", flat=True))
    assert {"化工园区碳综合利用项目", "国家骨干冷链物流基地"} <= names
    assert any("花溪科技" in n for n in names) and any("澳美电气" in n for n in names)


def test_the_four_construction_disputes_of_2023_are_demands_of_projects(demo):
    from apps.services.models import Demand

    disputes = Demand.objects.filter(
        category__code="construction_dispute",
        raised_on__year=2023,
        status__in=Demand.DONE_STATUSES,
    )
    assert disputes.count() == 4
    for demand in disputes.select_related("project"):
        assert demand.project is not None and demand.source == Demand.Source.PROJECT
        assert demand.project.enterprise_id == demand.enterprise_id


def test_the_seed_month_has_red_and_amber_projects_that_explain_themselves(demo):
    rows = rag.attach(selectors.project_list(None, SEED), SEED)
    colours = {row.rag.colour for row in rows}
    assert {rag.RED, rag.AMBER, rag.GREEN} <= colours
    for row in rows:
        if row.rag.colour != rag.GREEN:
            assert row.rag.reasons and all(reason.text for reason in row.rag.reasons)


def test_projects_go_on_to_the_present_day(demo):
    statuses = set(Project.objects.values_list("status", flat=True))
    assert {"constructing", "producing", "halted"} <= statuses
    latest = selectors.default_period()
    assert MonthlyReport.objects.filter(
        year=latest.year, month=latest.month, status=MonthlyReport.Status.SUBMITTED
    ).exists()
    assert MonthlyReport.objects.filter(status=MonthlyReport.Status.RETURNED).exists()


def test_only_approved_reports_count_in_the_investment_figure(demo):
    from django.db.models import Sum

    total = MonthlyReport.objects.filter(
        year=2023, month__lte=11, status=MonthlyReport.Status.APPROVED
    ).aggregate(total=Sum("invested"))["total"]
    assert compute_figures(SEED)["projects_investment_ytd"].value == total > 0


def test_a_handful_of_demo_reports_carry_photos_the_ledger_and_report_page_show(demo, client):
    from django.urls import reverse

    from apps.accounts.models import User
    from apps.projects.demo import PHOTO_EVERY
    from apps.projects.models import ProjectPhoto

    photos = ProjectPhoto.objects.select_related("report")
    assert 0 < photos.count() <= 2 * (28 // PHOTO_EVERY + 1)
    photo = photos.order_by("-report__year", "-report__month", "-id").first()
    # Stored through the storage API, full size and thumbnail, both readable JPEGs.
    for field in (photo.image, photo.thumbnail):
        with field.open("rb") as handle:
            assert handle.read(3) == b"\xff\xd8\xff"
    client.force_login(User.objects.get(username="liaison"))
    report_page = client.get(photo.report.get_absolute_url()).content.decode()
    assert reverse("projects:photo_thumbnail", args=[photo.pk]) in report_page
    month = f"{photo.report.year}-{photo.report.month:02d}"
    ledger = client.get(reverse("projects:ledger"), {"month": month, "q": photo.project.name})
    assert reverse("projects:photo_thumbnail", args=[photo.pk]) in ledger.content.decode()
    assert client.get(reverse("projects:photo_thumbnail", args=[photo.pk])).status_code == 200
