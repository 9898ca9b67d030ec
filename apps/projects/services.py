"""Every write of 项目台账: pages, API, admin, demo and tasks call these.

Two state machines (apps.core.workflow):
- REPORT_WORKFLOW, a monthly report: 草稿 → 已提交 → 已审核, or 退回 with a reason (then edited and
  submitted again). The project's liaison writes and submits; 经济发展局 or the leadership
  review. An approved report is locked, and only approved reports count in any figure.
- PROJECT_WORKFLOW, the project: 谋划/预备 → 在建 (开工, with its date) → 竣工 → 投产 → 达产;
  停缓建 as a side state with a reason, resumed to the state it left.
"""

import io
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Sum, Window
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.core import figures
from apps.core.dates import check_done_on, check_planned_on, check_year
from apps.core.errors import NotAllowed, Refused
from apps.core.workflow import Transition, Workflow
from apps.projects import forms, permissions
from apps.projects.models import (
    AnnualPlan,
    Approval,
    Milestone,
    MonthlyReport,
    MonthlyReportEvent,
    Project,
    ProjectEvent,
    ProjectMonthFigure,
    ProjectPhoto,
    approval_kinds,
)

CENT = Decimal("0.01")


def _save(instance, *, by: User):
    instance.full_clean()
    instance._history_user = by
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise Refused(_("与已有记录冲突，请检查后重新提交")) from error
    figures.invalidate("projects")
    return instance


# --- Projects ---------------------------------------------------------------------------------

PROJECT_FIELDS = set(forms.ProjectForm.Meta.fields)


def _check_manager(by: User) -> None:
    if not permissions.manages_projects(by):
        raise NotAllowed(_("项目由经济发展局登记和维护"))


def _check_project_fields(project: Project) -> None:
    check_year(project.start_year, field="start_year", label=_("建设起始年"))
    check_year(project.end_year, field="end_year", label=_("建设截止年"))
    check_planned_on(project.planned_start, field="planned_start", label=_("计划开工日期"))
    check_planned_on(
        project.planned_completion,
        field="planned_completion",
        label=_("计划竣工日期"),
        not_before=project.planned_start,
        not_before_label=_("计划开工日期"),
    )
    check_done_on(project.registered_on, field="registered_on", label=_("入库纳统日期"))
    if project.funds_total > project.total_investment:
        raise Refused(_("各项资金来源之和不能超过总投资"), field="fund_own")
    if (
        project.chain_node_id
        and project.chain_id
        and project.chain_node.chain_id != project.chain_id
    ):
        raise Refused(_("产业链环节不属于所选产业链"), field="chain_node")
    if project.chain_node_id and not project.chain_id:
        project.chain_id = project.chain_node.chain_id
    if project.liaison_id and not project.liaison.groups.filter(name="项目联络员").exists():
        raise Refused(_("联络员须为项目联络员"), field="liaison")


@transaction.atomic
def project_create(*, by: User, **fields) -> Project:
    """Register a project (经济发展局). It starts as 谋划, or in its stated status when the
    demo or an import registers one already under way (with its dates)."""
    _check_manager(by)
    unknown = set(fields) - PROJECT_FIELDS - {"status", "actual_start", "actual_completion"}
    if unknown:
        raise Refused(_("未知的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    project = Project(**fields)
    _check_project_fields(project)
    if (
        project.registered_on
        and project.actual_start
        and project.registered_on < project.actual_start
    ):
        raise Refused(_("入库纳统日期不能早于开工日期"), field="registered_on")
    _save(project, by=by)
    ProjectEvent.objects.create(
        project=project, action="create", to_status=project.status, by=by, at=timezone.now()
    )
    return project


@transaction.atomic
def project_update(*, by: User, project: Project, **fields) -> Project:
    _check_manager(by)
    unknown = set(fields) - PROJECT_FIELDS
    if unknown:
        raise Refused(_("未知的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    project = Project.objects.select_for_update().get(pk=project.pk)
    for name, value in fields.items():
        setattr(project, name, value)
    _check_project_fields(project)
    return _save(project, by=by)


@transaction.atomic
def plan_save(
    *,
    by: User,
    project: Project,
    year: int,
    planned: Decimal,
    is_key: bool = False,
    monthly: list[Decimal] | None = None,
) -> AnnualPlan:
    """The year's plan (one per year: saving again replaces it). A monthly split must add up."""
    _check_manager(by)
    check_year(year)
    if planned is None or planned < 0:
        raise Refused(_("年度计划投资不能为负数"), field="planned")
    if monthly is not None:
        monthly = [Decimal(value).quantize(CENT) for value in monthly]
        if len(monthly) != 12 or any(value < 0 for value in monthly):
            raise Refused(_("分月计划应为12个不小于0的数字"), field="monthly_text")
        if sum(monthly) != Decimal(planned).quantize(CENT):
            raise Refused(
                _("分月计划之和（%(sum)s）应等于年度计划投资（%(planned)s）")
                % {"sum": sum(monthly), "planned": planned},
                field="monthly_text",
            )
    plan = AnnualPlan.objects.filter(project=project, year=year).first() or AnnualPlan(
        project=project, year=year
    )
    plan.planned = planned
    plan.is_key = is_key
    plan.monthly = monthly
    return _save(plan, by=by)


def _started(project, *, by, started_on, comment="", at=None):
    check_done_on(started_on, field="started_on", label=_("实际开工日期"))
    project.actual_start = started_on
    return {"comment": started_on.isoformat()}


def _completed(project, *, by, completed_on, comment="", at=None):
    check_done_on(
        completed_on,
        field="completed_on",
        label=_("实际竣工日期"),
        not_before=project.actual_start,
        not_before_label=_("实际开工日期"),
    )
    project.actual_completion = completed_on
    return {"comment": completed_on.isoformat()}


def _halted(project, *, by, reason, halted_on, at=None):
    reason = reason.strip()
    if not reason:
        raise Refused(_("停缓建须说明原因"), field="reason")
    check_done_on(halted_on, field="halted_on", label=_("停缓建日期"))
    project.resume_to = project.status
    project.halt_reason = reason[:500]
    project.halted_on = halted_on
    project._change_reason = _("停缓建：%(reason)s") % {"reason": reason}
    return {"comment": reason}


def _resumed(project, *, by, comment="", at=None):
    project._change_reason = _("恢复建设")
    project.halt_reason = ""
    project.halted_on = None
    project.resume_to = ""
    return {"comment": comment}


def _resume_target(project, inputs):
    return project.resume_to or Project.Status.CONSTRUCTING


def _manager_rule(user, project) -> str | None:
    if permissions.manages_projects(user):
        return None
    return _("项目状态由经济发展局维护")


_P = Project.Status


def _step(action, label, sources, target, form=forms.CommentForm, apply=None, **kwargs):
    return Transition(
        action,
        label,
        sources=sources,
        target=target,
        actor_rule=_manager_rule,
        form=form,
        apply=apply or (lambda project, *, by, comment="", at=None: {"comment": comment}),
        **kwargs,
    )


PROJECT_WORKFLOW = Workflow(
    model=Project,
    event_model=ProjectEvent,
    event_fk="project",
    transitions=[
        _step("prepare", gettext_lazy("转入预备"), (_P.PLANNING,), _P.PREPARING),
        _step(
            "start",
            gettext_lazy("开工"),
            (_P.PLANNING, _P.PREPARING),
            _P.CONSTRUCTING,
            forms.StartForm,
            _started,
            button_class="btn-primary",
        ),
        _step(
            "complete",
            gettext_lazy("竣工"),
            (_P.CONSTRUCTING,),
            _P.COMPLETED,
            forms.CompleteForm,
            _completed,
            button_class="btn-primary",
        ),
        _step("produce", gettext_lazy("投产"), (_P.COMPLETED,), _P.PRODUCING),
        _step("reach_capacity", gettext_lazy("达产"), (_P.PRODUCING,), _P.CAPACITY),
        _step(
            "halt",
            gettext_lazy("停缓建"),
            (_P.PLANNING, _P.PREPARING, _P.CONSTRUCTING),
            _P.HALTED,
            forms.HaltForm,
            _halted,
            button_class="btn-outline-danger",
        ),
        _step("resume", gettext_lazy("恢复建设"), (_P.HALTED,), _resume_target, apply=_resumed),
    ],
)


def project_advance(*, project: Project, action: str, by: User, at=None, **inputs) -> Project:
    """Take one transition of PROJECT_WORKFLOW (the demo and commands name the action)."""
    return PROJECT_WORKFLOW.perform(project, action, by=by, at=at, **inputs)


# --- Monthly reports --------------------------------------------------------------------------


def _check_writer(by: User, project: Project) -> None:
    if not permissions.writes_reports(by, project):
        raise NotAllowed(_("只有本项目的联络员可以填报月报"))


def _check_period(project: Project, year: int, month: int) -> None:
    check_year(year)
    if not 1 <= month <= 12:
        raise Refused(_("月份应在1至12之间"), field="month")
    today = timezone.localdate()
    if (year, month) > (today.year, today.month):
        raise Refused(_("不能填报未来月份的月报"), field="month")
    if project.actual_start is None:
        raise Refused(_("项目尚未开工，不能填报月报"), field="month")
    if (year, month) < (project.actual_start.year, project.actual_start.month):
        raise Refused(_("月报月份不能早于项目开工月份"), field="month")


def _clean_text(value: str, limit: int = 5000) -> str:
    return (value or "").strip()[:limit]


@transaction.atomic
def report_save(
    *,
    by: User,
    project: Project,
    year: int,
    month: int,
    invested: Decimal,
    progress: str = "",
    next_plan: str = "",
    problems: str = "",
    report: MonthlyReport | None = None,
    at: datetime | None = None,
    new: bool = False,
) -> MonthlyReport:
    """Write (or rewrite) the month's report as a draft. Only the liaison, only while it is a
    draft or returned: a submitted report waits for review, an approved one is locked. `new`
    (the API's create): refused when the month already has a report, never a rewrite; the page's
    form rewrites the month's draft (the home panel sends a liaison there for a draft too)."""
    _check_writer(by, project)
    if report is None:
        report = MonthlyReport.objects.filter(project=project, year=year, month=month).first()
        if report is not None and new:
            raise Refused(_("该项目本月已有月报，请修改已有的月报"), field="month")
    else:
        report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
        if report.project_id != project.pk:
            raise Refused(_("月报不属于该项目"))
        clash = MonthlyReport.objects.filter(project=project, year=year, month=month).exclude(
            pk=report.pk
        )
        if clash.exists():
            raise Refused(_("该项目本月已有月报"), field="month")
    if report is not None and not report.is_editable:
        raise Refused(_("月报状态为“%(state)s”，不能修改") % {"state": report.get_status_display()})
    _check_period(project, year, month)
    if invested is None or not Decimal(invested).is_finite() or invested < 0:
        raise Refused(_("本月完成投资不能为负数"), field="invested")
    if report is None:
        report = MonthlyReport(project=project, written_by=by)
    report.year, report.month = year, month
    report.invested = Decimal(invested).quantize(CENT)
    report.progress = _clean_text(progress)
    report.next_plan = _clean_text(next_plan)
    report.problems = _clean_text(problems)
    report.written_by = by
    created = report.pk is None
    _save(report, by=by)
    if created:
        MonthlyReportEvent.objects.create(
            report=report, action="create", to_status=report.status, by=by, at=at or timezone.now()
        )
    return report


def _writer_rule(user, report) -> str | None:
    if permissions.writes_reports(user, report.project):
        return None
    return _("只有本项目的联络员可以提交月报")


def _submitted(report, *, by, at=None):
    report.submitted_at = at or timezone.now()
    report.return_reason = ""
    return {}


def _approved(report, *, by, comment="", at=None):
    report.approved_at = at or timezone.now()
    report.approved_by = by
    return {"comment": comment}


def _returned(report, *, by, reason, at=None):
    reason = reason.strip()
    if not reason:
        raise Refused(_("退回须说明原因"), field="reason")
    report.return_reason = reason[:2000]
    return {"comment": reason}


def _notify(kind):
    def send(report, by, event):
        from apps.projects import notifications

        getattr(notifications, kind)(report, by)

    return send


_R = MonthlyReport.Status
REVIEW_PERMISSION = "projects.review_monthlyreport"

REPORT_WORKFLOW = Workflow(
    model=MonthlyReport,
    event_model=MonthlyReportEvent,
    event_fk="report",
    transitions=[
        Transition(
            "submit",
            gettext_lazy("提交"),
            sources=(_R.DRAFT, _R.RETURNED),
            target=_R.SUBMITTED,
            permission="projects.change_monthlyreport",
            actor_rule=_writer_rule,
            apply=_submitted,
            denied_message=gettext_lazy("只有本项目的联络员可以提交月报"),
            button_class="btn-primary",
        ),
        Transition(
            "approve",
            gettext_lazy("审核通过"),
            sources=(_R.SUBMITTED,),
            target=_R.APPROVED,
            permission=REVIEW_PERMISSION,
            form=forms.CommentForm,
            apply=_approved,
            denied_message=gettext_lazy("月报由经济发展局或领导审核"),
            notify=_notify("report_approved"),
            after=lambda report, by, event: month_figures_rebuild(project_ids=[report.project_id]),
            button_class="btn-success",
        ),
        Transition(
            "return_report",
            gettext_lazy("退回"),
            sources=(_R.SUBMITTED,),
            target=_R.RETURNED,
            permission=REVIEW_PERMISSION,
            form=forms.ReasonForm,
            apply=_returned,
            denied_message=gettext_lazy("月报由经济发展局或领导审核"),
            notify=_notify("report_returned"),
            button_class="btn-outline-danger",
        ),
    ],
)


def report_transition(*, report: MonthlyReport, action: str, by: User, at=None, **inputs):
    return REPORT_WORKFLOW.perform(report, action, by=by, at=at, **inputs)


# --- The monthly summary (ProjectMonthFigure) --------------------------------------------------


@transaction.atomic
def month_figures_rebuild(*, project_ids=None) -> int:
    """Rebuild the approved monthly figures of these projects (all when None) from their
    approved reports: one row per month with an approved report, the year to date and the
    cumulative summed in the database (window sums). Called in the transaction of every write
    that changes approved figures (the approval; the demo and the bench after bulk writes), so
    the ledger never reads a summary that disagrees with the reports. Returns the rows written."""
    reports = MonthlyReport.objects.filter(status=MonthlyReport.Status.APPROVED)
    figures_rows = ProjectMonthFigure.objects.all()
    if project_ids is not None:
        project_ids = list(project_ids)
        reports = reports.filter(project_id__in=project_ids)
        figures_rows = figures_rows.filter(project_id__in=project_ids)
    figures_rows.delete()
    rows = (
        reports.order_by()
        .annotate(
            running_ytd=Window(
                Sum("invested"),
                partition_by=[F("project_id"), F("year")],
                order_by=F("month").asc(),
            ),
            running_total=Window(
                Sum("invested"),
                partition_by=[F("project_id")],
                order_by=[F("year").asc(), F("month").asc()],
            ),
        )
        .values_list("project_id", "year", "month", "invested", "running_ytd", "running_total")
    )
    created = ProjectMonthFigure.objects.bulk_create(
        (
            ProjectMonthFigure(
                project_id=project_id,
                year=year,
                month=month,
                invested=invested,
                ytd=ytd,
                cumulative=cumulative,
            )
            for project_id, year, month, invested, ytd, cumulative in rows.iterator(2000)
        ),
        batch_size=2000,
    )
    return len(created)


# --- Photos -----------------------------------------------------------------------------------

PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
THUMBNAIL_SIZE = (320, 240)


@transaction.atomic
def photo_add(*, by: User, report: MonthlyReport, upload, caption: str = "") -> ProjectPhoto:
    """A progress photo: only JPEG, PNG or WebP that Pillow can read (whatever the name says),
    at most PROJECTS_PHOTO_MAX_BYTES; stored re-encoded as JPEG with a thumbnail for the
    ledger, so nothing but pixels reaches the storage."""
    from PIL import Image, UnidentifiedImageError

    if not permissions.writes_reports(by, report.project) or not by.has_perm(
        "projects.add_projectphoto"
    ):
        raise NotAllowed(_("只有本项目的联络员可以上传照片"))
    if not report.is_editable:
        raise Refused(_("已提交或已审核的月报不能再上传照片"), field="photo")
    limit = settings.PROJECTS_PHOTO_MAX_BYTES
    if upload.size > limit:
        raise Refused(_("照片不能超过 %(mb)s MB") % {"mb": limit // (1024 * 1024)}, field="photo")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            kind = probe.format
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            if kind not in PHOTO_FORMATS:
                raise Refused(_("只能上传 JPEG、PNG 或 WebP 格式的照片"), field="photo")
            if image.width * image.height > 40_000_000:
                raise Refused(_("照片像素过大"), field="photo")
            image = image.convert("RGB")
            full = io.BytesIO()
            image.save(full, "JPEG", quality=85)
            image.thumbnail(THUMBNAIL_SIZE)
            thumb = io.BytesIO()
            image.save(thumb, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Refused(_("文件不是有效的图片"), field="photo") from None
    photo = ProjectPhoto(
        project=report.project,
        report=report,
        caption=_clean_text(caption, 200),
        uploaded_by=by,
    )
    photo.image.save("photo.jpg", ContentFile(full.getvalue()), save=False)
    photo.thumbnail.save("thumb.jpg", ContentFile(thumb.getvalue()), save=False)
    photo.save()
    return photo


# --- Milestones and approvals -------------------------------------------------------------------


def _check_keeper(by: User, project: Project) -> None:
    if not permissions.keeps_records(by, project):
        raise NotAllowed(_("只有本项目的联络员或经济发展局可以维护节点和手续"))


@transaction.atomic
def milestone_save(
    *, by: User, project: Project, milestone: Milestone | None = None, **fields
) -> Milestone:
    _check_keeper(by, project)
    if milestone is not None and milestone.project_id != project.pk:
        raise Refused(_("节点不属于该项目"))
    milestone = milestone or Milestone(project=project)
    for name in ("name", "due_on", "department", "person", "done_on", "note"):
        if name in fields:
            setattr(milestone, name, fields[name])
    milestone.name = (milestone.name or "").strip()
    if not milestone.name:
        raise Refused(_("请填写节点名称"), field="name")
    check_planned_on(milestone.due_on, field="due_on", label=_("计划完成日期"))
    check_done_on(milestone.done_on, field="done_on", label=_("实际完成日期"))
    return _save(milestone, by=by)


@transaction.atomic
def approval_save(
    *, by: User, project: Project, approval: Approval | None = None, **fields
) -> Approval:
    _check_keeper(by, project)
    if approval is not None and approval.project_id != project.pk:
        raise Refused(_("手续不属于该项目"))
    approval = approval or Approval(project=project)
    for name in ("kind", "planned_on", "done_on", "document_no", "valid_until"):
        if name in fields:
            setattr(approval, name, fields[name])
    if approval.kind not in dict(approval_kinds()):
        raise Refused(_("未知的手续类型"), field="kind")
    if (
        Approval.objects.filter(project=project, kind=approval.kind)
        .exclude(pk=approval.pk)
        .exists()
    ):
        raise Refused(_("该项目已登记此项手续"), field="kind")
    check_planned_on(approval.planned_on, field="planned_on", label=_("计划办结日期"))
    check_done_on(approval.done_on, field="done_on", label=_("实际办结日期"))
    if approval.valid_until and not approval.done_on:
        raise Refused(_("填写有效期前请先填写实际办结日期"), field="valid_until")
    if approval.valid_until and approval.valid_until < approval.done_on:
        raise Refused(_("有效期须在办结日期之后"), field="valid_until")
    approval.document_no = (approval.document_no or "").strip()
    return _save(approval, by=by)
