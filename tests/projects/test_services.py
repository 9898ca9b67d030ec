"""The writes of 项目台账: the report workflow by role and state, the derived figures on
hand-computed data, the project status workflow, plans, milestones, approvals and photos."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image

from apps.accounts.roles import Role
from apps.core.errors import NotAllowed, Refused
from apps.core.figures import Period
from apps.projects import selectors, services
from apps.projects.models import MonthlyReport, MonthlyReportEvent, Project
from tests.conftest import make_role_user
from tests.enterprises.factories import EnterpriseFactory
from tests.projects.factories import PlanFactory, ProjectFactory, ReportFactory

pytestmark = pytest.mark.django_db
S = MonthlyReport.Status


def _report(project, by, month=4, invested="100"):
    return services.report_save(
        by=by, project=project, year=2023, month=month, invested=Decimal(invested), progress="施工"
    )


# --- The monthly report workflow ------------------------------------------------------------


def test_the_liaison_writes_submits_and_economy_approves(project, liaison, economy):
    report = _report(project, liaison)
    assert report.status == S.DRAFT
    report = services.report_transition(report=report, action="submit", by=liaison)
    assert report.status == S.SUBMITTED and report.submitted_at is not None
    report = services.report_transition(report=report, action="approve", by=economy)
    assert report.status == S.APPROVED and report.approved_by == economy
    actions = list(
        MonthlyReportEvent.objects.filter(report=report).values_list("action", flat=True)
    )
    assert actions == ["create", "submit", "approve"]


def test_the_leadership_may_approve_too(project, liaison, leader):
    report = ReportFactory(project=project, status=S.SUBMITTED)
    report = services.report_transition(report=report, action="approve", by=leader)
    assert report.status == S.APPROVED


def test_a_return_needs_a_reason_and_the_liaison_may_then_edit_and_resubmit(
    project, liaison, economy
):
    report = ReportFactory(project=project, status=S.SUBMITTED)
    with pytest.raises(Refused):
        services.report_transition(report=report, action="return_report", by=economy, reason=" ")
    report = services.report_transition(
        report=report, action="return_report", by=economy, reason="投资额与发票不符"
    )
    assert report.status == S.RETURNED and report.return_reason == "投资额与发票不符"
    report = services.report_save(
        by=liaison, project=project, year=2023, month=4, invested=Decimal("90"), report=report
    )
    assert report.invested == Decimal("90.00")
    report = services.report_transition(report=report, action="submit", by=liaison)
    assert report.status == S.SUBMITTED and report.return_reason == ""


@pytest.mark.parametrize("role", [Role.ECONOMY, Role.LEADER, Role.SERVICE, Role.INVESTMENT])
def test_only_the_liaison_of_the_project_writes_its_report(project, role):
    with pytest.raises(NotAllowed):
        _report(project, make_role_user(role))


def test_another_liaison_may_not_write_or_submit(project, other_liaison):
    with pytest.raises(NotAllowed):
        _report(project, other_liaison)
    report = ReportFactory(project=project)
    with pytest.raises(NotAllowed):
        services.report_transition(report=report, action="submit", by=other_liaison)


@pytest.mark.parametrize("role", [Role.LIAISON, Role.SERVICE, Role.INVESTMENT, Role.APPROVAL])
def test_only_economy_and_leadership_review(project, role):
    report = ReportFactory(project=project, status=S.SUBMITTED)
    user = project.liaison if role == Role.LIAISON else make_role_user(role)
    for action, inputs in (("approve", {}), ("return_report", {"reason": "x"})):
        with pytest.raises(NotAllowed):
            services.report_transition(report=report, action=action, by=user, **inputs)


@pytest.mark.parametrize(
    "state,action",
    [
        (S.DRAFT, "approve"),
        (S.DRAFT, "return_report"),
        (S.APPROVED, "submit"),
        (S.APPROVED, "return_report"),
        (S.SUBMITTED, "submit"),
        (S.RETURNED, "approve"),
    ],
)
def test_transitions_from_the_wrong_state_are_refused(project, economy, state, action):
    report = ReportFactory(
        project=project, status=state, return_reason="x" if state == S.RETURNED else ""
    )
    by = project.liaison if action == "submit" else economy
    inputs = {"reason": "原因"} if action == "return_report" else {}
    with pytest.raises(Refused):
        services.report_transition(report=report, action=action, by=by, **inputs)


@pytest.mark.parametrize("state", [S.SUBMITTED, S.APPROVED])
def test_a_submitted_or_approved_report_is_locked(project, liaison, state):
    report = ReportFactory(project=project, status=state)
    with pytest.raises(Refused):
        services.report_save(
            by=liaison, project=project, year=2023, month=4, invested=Decimal("1"), report=report
        )


def test_one_report_per_project_and_month_held_by_the_database(project):
    ReportFactory(project=project, month=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportFactory(project=project, month=5)


def test_saving_the_same_month_again_rewrites_the_draft(project, liaison):
    first = _report(project, liaison, invested="10")
    again = _report(project, liaison, invested="20")
    assert again.pk == first.pk and again.invested == Decimal("20.00")


def test_a_new_report_for_a_month_that_has_one_is_refused_and_nothing_is_rewritten(
    project, liaison
):
    first = _report(project, liaison, invested="10")
    with pytest.raises(Refused) as refused:
        services.report_save(
            by=liaison, project=project, year=2023, month=4, invested=Decimal("20"), new=True
        )
    assert "month" in refused.value.message_dict
    first.refresh_from_db()
    assert first.invested == Decimal("10.00")


@pytest.mark.parametrize(
    "year,month,invested",
    [(2023, 2, "1"), (2023, 13, "1"), (2099, 1, "1"), (2023, 4, "-1")],
)
def test_bad_report_input_is_refused(project, liaison, year, month, invested):
    with pytest.raises(Refused):
        services.report_save(
            by=liaison, project=project, year=year, month=month, invested=Decimal(invested)
        )
    assert not MonthlyReport.objects.exists()


def test_a_project_not_started_has_no_reports(liaison):
    project = ProjectFactory(
        liaison=liaison, status=Project.Status.PLANNING, actual_start=None, registered_on=None
    )
    with pytest.raises(Refused):
        _report(project, liaison)


# --- Derived figures (hand-computed) ---------------------------------------------------------


def test_the_ledger_derives_ytd_plan_share_since_start_and_total_share(project):
    project.prior_investment = Decimal("500")
    project.save()
    PlanFactory(project=project, year=2023, planned=Decimal("1200"))
    ReportFactory(project=project, year=2023, month=4, invested=Decimal("100"), status=S.APPROVED)
    ReportFactory(project=project, year=2023, month=5, invested=Decimal("200"), status=S.APPROVED)
    # Not approved: never counted.
    ReportFactory(project=project, year=2023, month=6, invested=Decimal("999"), status=S.SUBMITTED)
    ReportFactory(project=project, year=2024, month=1, invested=Decimal("50"), status=S.APPROVED)
    row = selectors.project_list(None, Period(2023, 6)).get(pk=project.pk)
    assert row.ytd == Decimal("300")
    assert row.before_year == 0
    assert row.month_invested is None  # June's report is not approved
    assert row.since_start == Decimal("800")
    later = selectors.project_list(None, Period(2024, 1)).get(pk=project.pk)
    assert later.before_year == Decimal("300")
    assert later.ytd == Decimal("50")
    assert later.since_start == Decimal("850")
    assert later.month_invested == Decimal("50")
    assert selectors.plan_share(row) == Decimal("25.00")  # 300 / 1200
    assert selectors.total_share(row) == Decimal("6.67")  # 800 / 12000


def test_the_schedule_is_the_monthly_plan_when_given_else_even():
    assert selectors.schedule_share(Decimal("1200"), None, 3) == Decimal("300.00")
    monthly = [Decimal("0")] * 6 + [Decimal("200")] * 6
    assert selectors.schedule_share(Decimal("1200"), monthly, 6) == 0
    assert selectors.schedule_share(Decimal("1200"), monthly, 7) == Decimal("200")
    assert sum(selectors.planned_by_month(Decimal("100"), None)) == Decimal("100")


# --- Plans ------------------------------------------------------------------------------------


def test_a_monthly_split_must_add_up_to_the_plan(project, economy):
    months = [Decimal("100")] * 12
    plan = services.plan_save(
        by=economy, project=project, year=2023, planned=Decimal("1200"), monthly=months
    )
    assert plan.monthly == months
    with pytest.raises(Refused):
        services.plan_save(
            by=economy, project=project, year=2023, planned=Decimal("1000"), monthly=months
        )


def test_liaisons_do_not_set_plans(project, liaison):
    with pytest.raises(NotAllowed):
        services.plan_save(by=liaison, project=project, year=2023, planned=Decimal("1"))


# --- The project's status -----------------------------------------------------------------


def test_a_project_starts_halts_with_a_reason_resumes_and_completes(economy, liaison):
    project = ProjectFactory(
        liaison=liaison, status=Project.Status.PREPARING, actual_start=None, registered_on=None
    )
    project = services.project_advance(
        project=project, action="start", by=economy, started_on=datetime.date(2023, 5, 1)
    )
    assert project.status == Project.Status.CONSTRUCTING
    with pytest.raises(Refused):
        services.project_advance(
            project=project,
            action="halt",
            by=economy,
            reason=" ",
            halted_on=datetime.date(2023, 6, 1),
        )
    project = services.project_advance(
        project=project,
        action="halt",
        by=economy,
        reason="资金未到位",
        halted_on=datetime.date(2023, 6, 1),
    )
    assert project.status == Project.Status.HALTED and project.resume_to == "constructing"
    project = services.project_advance(project=project, action="resume", by=economy)
    assert project.status == Project.Status.CONSTRUCTING and project.halt_reason == ""
    with pytest.raises(Refused):
        services.project_advance(
            project=project, action="complete", by=economy, completed_on=datetime.date(2023, 4, 1)
        )
    project = services.project_advance(
        project=project, action="complete", by=economy, completed_on=datetime.date(2023, 10, 1)
    )
    assert project.status == Project.Status.COMPLETED


def test_a_liaison_does_not_move_the_status(project, liaison):
    with pytest.raises(NotAllowed):
        services.project_advance(
            project=project, action="complete", by=liaison, completed_on=datetime.date(2023, 10, 1)
        )


def test_a_halted_project_without_a_reason_is_refused_by_the_database(project):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(status=Project.Status.HALTED)


def _fields(liaison) -> dict:
    enterprise = EnterpriseFactory()
    base = ProjectFactory.build(liaison=liaison, enterprise=enterprise, park=enterprise.park)
    return {name: getattr(base, name) for name in services.PROJECT_FIELDS}


def test_funding_sources_cannot_exceed_the_total(economy, liaison):
    fields = _fields(liaison)
    fields["fund_own"] = Decimal("20000")
    with pytest.raises(Refused):
        services.project_create(by=economy, **fields)
    assert not Project.objects.exists()


def test_economy_registers_a_project_and_a_liaison_may_not(economy, liaison):
    fields = _fields(liaison)
    with pytest.raises(NotAllowed):
        services.project_create(by=liaison, **fields)
    project = services.project_create(by=economy, **fields)
    assert project.status == Project.Status.PLANNING
    assert project.needs_registration is False


# --- Milestones and approvals ---------------------------------------------------------------


def test_the_liaison_keeps_milestones_and_approvals_of_own_projects_only(
    project, liaison, other_liaison
):
    milestone = services.milestone_save(
        by=liaison, project=project, name="设备安装", due_on=datetime.date(2023, 10, 1)
    )
    assert milestone.days_late(datetime.date(2023, 10, 9)) == 8
    with pytest.raises(NotAllowed):
        services.milestone_save(
            by=other_liaison, project=project, name="x", due_on=datetime.date(2023, 10, 1)
        )
    approval = services.approval_save(
        by=liaison, project=project, kind="environment", done_on=datetime.date(2023, 2, 1)
    )
    assert approval.kind_label == "环评"
    with pytest.raises(Refused):
        services.approval_save(by=liaison, project=project, kind="environment")
    with pytest.raises(Refused):
        services.approval_save(by=liaison, project=project, kind="no-such-kind")


# --- Photos -----------------------------------------------------------------------------------


def _image(fmt="JPEG", size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 100, 50)).save(buffer, fmt)
    return buffer.getvalue()


def test_a_photo_is_stored_with_a_thumbnail(project, liaison, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = ReportFactory(project=project)
    upload = SimpleUploadedFile("site.png", _image("PNG", (800, 600)), content_type="image/png")
    photo = services.photo_add(by=liaison, report=report, upload=upload, caption="主体封顶")
    with Image.open(photo.thumbnail) as thumb:
        assert thumb.width <= 320 and thumb.format == "JPEG"
    assert photo.image.name.endswith(".jpg") and "site" not in photo.image.name


@pytest.mark.parametrize(
    "name,content",
    [
        ("notes.jpg", b"this is not an image at all"),
        ("drawing.gif", None),
        ("truncated.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
    ],
)
def test_a_non_image_or_wrong_type_is_refused(project, liaison, settings, tmp_path, name, content):
    settings.MEDIA_ROOT = tmp_path
    report = ReportFactory(project=project)
    if content is None:
        content = _image("GIF")
    with pytest.raises(Refused):
        services.photo_add(by=liaison, report=report, upload=SimpleUploadedFile(name, content))
    assert not report.photos.exists()


def test_an_oversize_photo_is_refused(project, liaison, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PROJECTS_PHOTO_MAX_BYTES = 1000
    report = ReportFactory(project=project)
    upload = SimpleUploadedFile("big.png", _image("PNG", (400, 400)))
    assert upload.size > 1000
    with pytest.raises(Refused):
        services.photo_add(by=liaison, report=report, upload=upload)


def test_photos_only_on_an_editable_report_by_its_liaison(
    project, other_liaison, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    report = ReportFactory(project=project, status=S.SUBMITTED)
    with pytest.raises(Refused):
        services.photo_add(
            by=project.liaison, report=report, upload=SimpleUploadedFile("a.jpg", _image())
        )
    with pytest.raises(NotAllowed):
        services.photo_add(
            by=other_liaison, report=report, upload=SimpleUploadedFile("a.jpg", _image())
        )
