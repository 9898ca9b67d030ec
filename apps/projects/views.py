"""Staff pages of 项目台账: thin, calling selectors and services. The ledger and the report list
are ListPage definitions, forms go through form_page, both state machines through
WorkflowActionView."""

import hashlib

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core import figures
from apps.core.errors import NotAllowed
from apps.core.figures import Period
from apps.core.lists import Col, FilterForm, format_value, status_badge
from apps.core.views import ListPage, WorkflowActionView, form_page, workflow_panel
from apps.investment.models import mask_phone
from apps.projects import filters, forms, hooks, ledger_excel, permissions, rag, selectors, services
from apps.projects.models import (
    Approval,
    Milestone,
    MonthlyReport,
    Project,
    ProjectPhoto,
    approval_kinds,
)

_l = gettext_lazy

STATUS_COLOURS = {
    "planning": "secondary",
    "preparing": "info",
    "constructing": "primary",
    "completed": "success",
    "producing": "success",
    "capacity": "dark",
    "halted": "danger",
}
REPORT_COLOURS = {
    "draft": "secondary",
    "submitted": "primary",
    "approved": "success",
    "returned": "danger",
}


def light_badge(project):
    assessment = getattr(project, "rag", None)
    if assessment is None:
        return "—"
    return format_html(
        '<span class="badge text-bg-{}" data-colour="{}" title="{}">{}</span>',
        assessment.css,
        assessment.colour,
        assessment.explanation,
        assessment.label,
    )


def photo_thumbnail_link(project):
    """The month's latest progress photo as a thumbnail (served after the permission check)."""
    if not getattr(project, "month_photo", None):
        return "—"
    return format_html(
        '<a href="{}"><img src="{}" alt="" class="img-thumbnail" loading="lazy" '
        'style="max-width: 64px" data-testid="ledger-photo"></a>',
        reverse("projects:photo", args=[project.month_photo]),
        reverse("projects:photo_thumbnail", args=[project.month_photo]),
    )


def ledger_columns(period: Period) -> list[Col]:
    months = _("1–%(n)d月完成") % {"n": period.month}
    return [
        Col(_l("项目名称"), "name", link="self", card="title", width=30),
        Col(_l("建设单位"), "enterprise.name", card="line", width=26),
        Col(_l("性质"), lambda p: p.nature(period.year), width=8),
        Col(
            _l("状态"),
            "get_status_display",
            display=status_badge(STATUS_COLOURS),
            card="badge",
            width=8,
        ),
        Col(_l("园区"), "park.name", width=14),
        Col(_l("建设内容及规模"), "content", table=False, card=None, width=40),
        Col(_l("建设年限"), lambda p: f"{p.start_year}–{p.end_year}", width=11),
        Col(_l("总投资"), "total_investment", fmt="amount", width=12),
        Col(
            _l("开工至上年底累计"),
            lambda p: p.prior_investment + p.before_year,
            fmt="amount",
            width=14,
        ),
        Col(_l("年度计划"), "plan_planned", fmt="amount", width=12),
        Col(months, "ytd", fmt="amount", width=12),
        Col(_l("占年计划%"), selectors.plan_share, fmt="percent", width=10),
        Col(_l("本月完成"), "month_invested", fmt="amount", width=11),
        Col(_l("开工至今累计"), "since_start", fmt="amount", width=13),
        Col(_l("形象进度"), "month_progress", table=False, card=None, width=40),
        Col(
            _l("照片"),
            lambda p: "",
            display=photo_thumbnail_link,
            card="line",
            export=False,
            width=8,
        ),
        Col(_l("存在问题"), "month_problems", table=False, card=None, width=30),
        Col(_l("包联领导"), lambda p: p.leader.get_full_name() if p.leader else "", width=10),
        Col(_l("责任单位"), "department.name", table=False, width=12),
        Col(_l("联络员"), lambda p: p.liaison.get_full_name(), card="meta", width=10),
        Col(_l("预警"), lambda p: p.rag.label, display=light_badge, card="badge", width=8),
        Col(_l("预警原因"), lambda p: p.rag.explanation, table=False, card=None, width=40),
    ]


# What the ledger's kept figures read: the projects (reports, plans, milestones, and the demands
# about them, the problems behind the colours, whose writes invalidate the projects' area:
# rag.COLOUR_AREAS) and enterprises (the search reads their names).
LEDGER_AREAS = ("projects", "enterprises")
# Query parameters that do not change which rows are filtered.
NOT_FILTERS = {"page", "o", "ordering", "sort", "export", "cursor", "page_size"}


class LedgerView(ListPage):
    """项目台账: every project with the month's figures and its colour (?month=YYYY-MM)."""

    permission_required = "projects.view_project"
    filterset_class = filters.ProjectFilter
    filter_form = FilterForm(
        hidden=("constructing_on",),
        primary=("q", "month", "colour", "nature"),
        widgets={},
        placeholders={"month": "2023-11", "q": _l("项目、建设单位、内容")},
    )
    title = _l("项目台账")
    export_filename = _l("项目台账")
    template_name = "projects/ledger.html"
    empty_text = _l("没有符合条件的项目")
    create_url = reverse_lazy("projects:project_create")
    create_perm = "projects.add_project"
    create_label = _l("登记项目")

    @property
    def period(self) -> Period:
        return selectors.period_from(self.request.GET.get("month"))

    def get_columns(self):
        return ledger_columns(self.period)

    def get_base_queryset(self):
        # The table's relations; the exports join the rest (assessed_rows).
        return selectors.project_list(
            self.request.user, self.period, related=selectors.PAGE_RELATED
        )

    def assessed_rows(self) -> list:
        """Every filtered row with its colour explained: the two exports (the page reads only
        its own rows, and the counts and 合计 from the database)."""
        if not hasattr(self, "_assessed"):
            rows = self.get_queryset().select_related(*selectors.LEDGER_RELATED)
            self._assessed = rag.attach(rows[: self.export_limit], self.period)
        return self._assessed

    def _kept(self, name: str, compute):
        """A result over every filtered row, kept until a write in the areas the ledger reads
        (apps.core.figures.cached; the day is part of the key): the same filters (whatever
        the page or the order) read it once. "mine" is the user's own filter."""
        params = sorted(
            (key, tuple(self.request.GET.getlist(key)))
            for key in self.request.GET
            if key not in NOT_FILTERS
        )
        mine = self.request.user.pk if "mine" in self.request.GET else None
        # Typed text is part of the filters: hashed, so a key stays short and plain.
        digest = hashlib.sha256(repr((params, mine)).encode()).hexdigest()
        return figures.cached(
            f"ledger-{name}", compute, self.period.code, digest, areas=LEDGER_AREAS
        )

    def summary(self) -> selectors.LedgerSummary:
        """Counts by colour and status and the 合计 of every filtered row (one query)."""
        if not hasattr(self, "_summary"):
            self._summary = self._kept(
                "summary", lambda: selectors.ledger_summary(self.get_queryset(), self.period)
            )
        return self._summary

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        # The summary counted the same filtered rows: no second COUNT.
        paginator.count = self.summary().count
        return paginator

    def paginate_queryset(self, queryset, page_size):
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        # Only the page's rows are explained (their reasons need Python and the problems hook).
        page.object_list = rag.attach(rows, self.period)
        return paginator, page, page.object_list, is_paginated

    def export_rows(self):
        return self.assessed_rows()

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "ledger":
            return ledger_excel.response(self.assessed_rows(), self.period)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = self.period
        summary = self.summary()
        curve = self._kept(
            "curve", lambda: selectors.s_curve(self.get_queryset(), period.year, period)
        )
        context.update(
            period=period,
            totals=summary,
            # Formatted as the table's amount cells.
            totals_cells=[
                (key, label, format_value(getattr(summary, key), "amount"))
                for key, label in (
                    ("total_investment", _("总投资")),
                    ("before", _("开工至上年底累计")),
                    ("planned", _("年度计划")),
                    ("ytd", _("1–%(n)d月完成") % {"n": period.month}),
                    ("month_invested", _("本月完成")),
                    ("since_start", _("开工至今累计")),
                )
            ],
            chart={
                "year": period.year,
                "months": curve.months,
                "planned": curve.planned,
                "actual": curve.actual,
                "colours": [
                    {
                        "name": str(rag.LABELS[code]),
                        "value": summary.colours.get(code, 0),
                        "code": code,
                    }
                    for code, _label in rag.COLOUR_CHOICES
                ],
                "statuses": [
                    {"name": str(label), "value": summary.statuses[value]}
                    for value, label in Project.Status.choices
                    if summary.statuses.get(value)
                ],
            },
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        query["export"] = "ledger"
        context["ledger_export_query"] = query.urlencode()
        return context


# --- A project --------------------------------------------------------------------------------


def _visible_project(request, pk) -> Project:
    try:
        return selectors.project_detail(pk)
    except Project.DoesNotExist:
        raise Http404 from None


def _project_context(request, project: Project) -> dict:
    user = request.user
    period = selectors.period_from(request.GET.get("month"))
    row = selectors.project_list(user, period).get(pk=project.pk)
    row.rag = rag.assess(row, period, hooks.problems_for([project.pk], period.day).get(project.pk))
    year = period.year
    curve = selectors.s_curve(Project.objects.filter(pk=project.pk), year, period)
    schedule = [
        float(selectors.schedule_share(row.plan_planned, row.plan_monthly, month) or 0)
        for month in range(1, 13)
    ]
    today = timezone.localdate()
    milestones = list(project.milestones.all())
    for milestone in milestones:
        milestone.late = (
            milestone.days_late(today)
            if milestone.done_on is None
            else milestone.days_late(milestone.done_on)
        )
    approvals = {approval.kind: approval for approval in project.approvals.all()}
    reports = list(
        MonthlyReport.objects.filter(project=project)
        .select_related("written_by", "approved_by")
        .annotate(photo_count=Count("photos"))
        .order_by("-year", "-month")[:36]
    )
    phone = project.owner_phone
    contact = project.owner_contact
    if not permissions.sees_contacts(user):
        phone, contact = mask_phone(phone), (contact[:1] + "**" if contact else "")
    return {
        "project": project,
        "row": row,
        "period": period,
        "contact": contact,
        "phone": phone,
        "plans": project.plans.all(),
        "reports": reports,
        "milestones": milestones,
        "approval_rows": [
            (
                code,
                label,
                approvals.get(code),
                hooks.problem_link(project, user, f"approval:{code}"),
            )
            for code, label in approval_kinds()
        ],
        "open_approvals": [
            label
            for code, label in approval_kinds()
            if not (approvals.get(code) and approvals[code].done_on)
        ],
        "photos": ProjectPhoto.objects.filter(project=project).select_related("report")[:12],
        "sections": hooks.sections_for(project, user),
        "nature": project.nature(period.year),
        "events": services.PROJECT_WORKFLOW.events(project),
        "halt_spells": selectors.halt_spells(project),
        "chart": {
            "year": year,
            "months": curve.months,
            "planned": curve.planned,
            "actual": curve.actual,
            "schedule": schedule,
        },
        "can_manage": permissions.manages_projects(user),
        "can_keep": permissions.keeps_records(user, project),
        "can_report": permissions.writes_reports(user, project)
        and project.actual_start is not None,
        "milestone_amber_days": rag._rules()["milestone_amber_days"],
    }


@login_required
@permission_required("projects.view_project", raise_exception=True)
def project_detail(request, pk: int):
    project = _visible_project(request, pk)
    context = _project_context(request, project)
    context.update(workflow_panel(services.PROJECT_WORKFLOW, request.user, project))
    return render(request, "projects/project_detail.html", context)


class ProjectTransitionView(WorkflowActionView):
    workflow = services.PROJECT_WORKFLOW
    template_name = "projects/project_detail.html"
    view_permission = "projects.view_project"

    def get_object(self):
        return _visible_project(self.request, self.kwargs["pk"])

    def get_context(self, obj):
        return _project_context(self.request, obj)


@login_required
@permission_required("projects.add_project", raise_exception=True)
def project_create(request):
    form = forms.ProjectForm(request.POST or None)
    return form_page(
        request,
        form=form,
        save=lambda data: services.project_create(by=request.user, **data),
        success=lambda project: (_("项目已登记"), project.get_absolute_url()),
        template="projects/form.html",
        context={"title": _("登记项目")},
    )


@login_required
@permission_required("projects.change_project", raise_exception=True)
def project_update(request, pk: int):
    project = _visible_project(request, pk)
    form = forms.ProjectForm(request.POST or None, instance=project)
    return form_page(
        request,
        form=form,
        save=lambda data: services.project_update(by=request.user, project=project, **data),
        success=lambda saved: (_("项目已保存"), saved.get_absolute_url()),
        template="projects/form.html",
        context={"title": _("编辑项目：%(name)s") % {"name": project.name}, "project": project},
    )


@login_required
@permission_required("projects.change_annualplan", raise_exception=True)
def plan_edit(request, pk: int):
    project = _visible_project(request, pk)
    form = forms.PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    return form_page(
        request,
        form=form,
        save=lambda data: services.plan_save(
            by=request.user,
            project=project,
            year=data["year"],
            planned=data["planned"],
            is_key=data["is_key"],
            monthly=data["monthly_text"],
        ),
        success=lambda plan: (_("年度计划已保存"), project.get_absolute_url()),
        template="projects/form.html",
        context={"title": _("年度计划：%(name)s") % {"name": project.name}, "project": project},
    )


def _record_page(request, project, form, save, message, title):
    return form_page(
        request,
        form=form,
        save=save,
        success=lambda obj: (message, project.get_absolute_url()),
        template="projects/form.html",
        context={"title": title, "project": project},
    )


def _check_keeper(request, project):
    if not permissions.keeps_records(request.user, project):
        raise NotAllowed(_("只有本项目的联络员或经济发展局可以维护节点和手续"))


@login_required
@permission_required("projects.change_milestone", raise_exception=True)
def milestone_edit(request, pk: int, milestone_pk: int | None = None):
    project = _visible_project(request, pk)
    _check_keeper(request, project)
    milestone = (
        get_object_or_404(Milestone, pk=milestone_pk, project=project) if milestone_pk else None
    )
    form = forms.MilestoneForm(request.POST or None, instance=milestone)
    return _record_page(
        request,
        project,
        form,
        lambda data: services.milestone_save(
            by=request.user, project=project, milestone=milestone, **data
        ),
        _("节点已保存"),
        _("项目节点：%(name)s") % {"name": project.name},
    )


@login_required
@permission_required("projects.change_approval", raise_exception=True)
def approval_edit(request, pk: int, approval_pk: int | None = None):
    project = _visible_project(request, pk)
    _check_keeper(request, project)
    approval = get_object_or_404(Approval, pk=approval_pk, project=project) if approval_pk else None
    initial = {"kind": request.GET.get("kind", "")[:32]} if approval is None else None
    form = forms.ApprovalForm(request.POST or None, instance=approval, initial=initial)
    return _record_page(
        request,
        project,
        form,
        lambda data: services.approval_save(
            by=request.user, project=project, approval=approval, **data
        ),
        _("前期手续已保存"),
        _("前期手续：%(name)s") % {"name": project.name},
    )


# --- Monthly reports --------------------------------------------------------------------------


def _report_url(report):
    return reverse("projects:report_detail", args=[report.pk])


def _report_save(request, project, report=None):
    def save(data):
        photo = data.pop("photo", None)
        caption = data.pop("photo_caption", "")
        saved = services.report_save(by=request.user, project=project, report=report, **data)
        if photo:
            services.photo_add(by=request.user, report=saved, upload=photo, caption=caption)
        return saved

    return save


@login_required
@permission_required("projects.add_monthlyreport", raise_exception=True)
def report_create(request, pk: int):
    project = _visible_project(request, pk)
    if not permissions.writes_reports(request.user, project):
        raise NotAllowed(_("只有本项目的联络员可以填报月报"))
    due = selectors.period_from(request.GET.get("month"))
    form = forms.ReportForm(
        request.POST or None, request.FILES or None, initial={"year": due.year, "month": due.month}
    )
    return form_page(
        request,
        form=form,
        save=_report_save(request, project),
        success=lambda report: (_("月报已保存为草稿，确认无误后请提交"), _report_url(report)),
        template="projects/report_form.html",
        context={"title": _("填报月报：%(name)s") % {"name": project.name}, "project": project},
    )


def _visible_report(pk) -> MonthlyReport:
    try:
        return selectors.report_list(None).get(pk=pk)
    except MonthlyReport.DoesNotExist:
        raise Http404 from None


@login_required
@permission_required("projects.change_monthlyreport", raise_exception=True)
def report_update(request, pk: int):
    report = _visible_report(pk)
    if not permissions.writes_reports(request.user, report.project):
        raise NotAllowed(_("只有本项目的联络员可以填报月报"))
    form = forms.ReportForm(request.POST or None, request.FILES or None, instance=report)
    return form_page(
        request,
        form=form,
        save=_report_save(request, report.project, report),
        success=lambda saved: (_("月报已保存"), _report_url(saved)),
        template="projects/report_form.html",
        context={
            "title": _("修改月报：%(name)s") % {"name": report.project.name},
            "project": report.project,
        },
    )


def _report_context(request, report) -> dict:
    period = Period(report.year, report.month)
    row = selectors.project_list(request.user, period).get(pk=report.project_id)
    return {
        "report": report,
        "project": report.project,
        "row": row,
        "photos": report.photos.all(),
        "events": services.REPORT_WORKFLOW.events(report),
        "can_edit": report.is_editable and permissions.writes_reports(request.user, report.project),
    }


@login_required
@permission_required("projects.view_monthlyreport", raise_exception=True)
def report_detail(request, pk: int):
    report = _visible_report(pk)
    context = _report_context(request, report)
    context.update(workflow_panel(services.REPORT_WORKFLOW, request.user, report))
    return render(request, "projects/report_detail.html", context)


class ReportTransitionView(WorkflowActionView):
    workflow = services.REPORT_WORKFLOW
    template_name = "projects/report_detail.html"
    view_permission = "projects.view_monthlyreport"

    def get_object(self):
        return _visible_report(self.kwargs["pk"])

    def get_context(self, obj):
        return _report_context(self.request, obj)


def _report_period(report):
    return report.period_code


class ReportListView(ListPage):
    """月报: every project's monthly reports (the review queue with ?status=submitted)."""

    permission_required = "projects.view_monthlyreport"
    filterset_class = filters.ReportFilter
    filter_form = FilterForm(hidden=("project",), primary=("q", "status"))
    title = _l("项目月报")
    export_filename = _l("项目月报")
    empty_text = _l("没有月报")
    columns = [
        Col(_l("月份"), _report_period, link=_report_url, card="badge", width=9),
        Col(_l("项目"), "project.name", card="title", width=30),
        Col(_l("建设单位"), "project.enterprise.name", card="line", width=26),
        Col(_l("本月完成（万元）"), "invested", fmt="amount", width=14),
        Col(
            _l("状态"),
            "get_status_display",
            display=status_badge(REPORT_COLOURS),
            card="badge",
            width=8,
        ),
        Col(_l("填报人"), lambda r: r.written_by.get_full_name(), width=10),
        Col(_l("提交时间"), "submitted_at", width=16),
        Col(_l("形象进度"), "progress", table=False, card=None, width=40),
    ]

    def get_base_queryset(self):
        return selectors.report_list(self.request.user)


# --- Photos -----------------------------------------------------------------------------------


def _serve(request, pk: int, field: str):
    if not request.user.has_perm("projects.view_projectphoto") or not request.user.has_perm(
        "projects.view_project"
    ):
        raise PermissionDenied
    photo = get_object_or_404(ProjectPhoto, pk=pk)
    stored = getattr(photo, field)
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def photo(request, pk: int):
    return _serve(request, pk, "image")


@login_required
def photo_thumbnail(request, pk: int):
    return _serve(request, pk, "thumbnail")
