from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.lists import Col
from apps.core.views import ListPage, WorkflowPage, form_page
from apps.staff import selectors, services
from apps.staff.audit import AUDITED, audit_rows
from apps.staff.filters import (
    AppointmentFilter,
    AppraisalFilter,
    PayLineFilter,
    PaySheetFilter,
    PositionFilter,
    StaffMemberFilter,
)
from apps.staff.forms import (
    AppointmentForm,
    AppraisalForm,
    PaySheetForm,
    ScoreForm,
    StaffMemberForm,
)
from apps.staff.models import (
    Appointment,
    Candidate,
    GradeRule,
    SalaryGrade,
    SelectionRound,
    StaffMember,
)
from apps.staff.permissions import (
    can_see_birth_date,
    can_see_id_number,
    can_see_salary,
    is_hr,
    shown_birth_date,
    shown_id_number,
)


def _service_form(request, form, call, *, success, title, template="staff/form.html", **context):
    """Every service-backed staff form page: the portal's one form page (apps.core.views)."""
    return form_page(
        request,
        form=form,
        save=call,
        success=success,
        template=template,
        context={"title": title, **context},
    )


class SalaryRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_see_salary(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# -- Organisation ---------------------------------------------------------------------------


@login_required
@permission_required("staff.view_position", raise_exception=True)
def org_chart(request):
    departments = selectors.org_chart()
    for department in departments:
        for position in department.positions.all():
            position.vacancies = max(0, position.headcount - position.holders)
    return render(request, "staff/org_chart.html", {"departments": departments})


class PositionListView(ListPage):
    permission_required = "staff.view_position"
    filterset_class = PositionFilter
    title = gettext_lazy("岗位")
    export_filename = gettext_lazy("岗位")
    empty_text = gettext_lazy("没有符合条件的岗位")
    columns = [
        Col(gettext_lazy("部门"), "department.name", card="meta"),
        Col(gettext_lazy("岗位"), "title", card="title", width=20),
        Col(gettext_lazy("类别"), "get_kind_display"),
        Col(gettext_lazy("核定职数"), "headcount", css="text-end"),
        Col(gettext_lazy("在岗"), "holders", css="text-end"),
        Col(
            gettext_lazy("空缺"),
            lambda p: max(0, p.headcount - p.holders),
            css="text-end",
            card="badge",
        ),
        Col(gettext_lazy("薪级"), "salary_grade.code"),
    ]

    def get_base_queryset(self):
        return selectors.position_list()


# -- People ---------------------------------------------------------------------------------


def _member_url(member_id):
    return reverse("staff:member_detail", args=[member_id])


class StaffMemberListView(ListPage):
    permission_required = "staff.view_staffmember"
    filterset_class = StaffMemberFilter
    title = gettext_lazy("工作人员")
    template_name = "staff/member_list.html"
    export_filename = gettext_lazy("工作人员")
    empty_text = gettext_lazy("没有符合条件的人员")

    def get_base_queryset(self):
        return selectors.staff_list()

    def get_columns(self):
        # The ID number as this user may see it (masked for all but HR), in every channel.
        user = self.request.user
        return [
            Col(_("姓名"), "name", link=lambda s: _member_url(s.pk), card="title"),
            Col(_("性别"), "get_gender_display"),
            Col(
                _("出生日期") if can_see_birth_date(user) else _("出生年份"),
                lambda s: shown_birth_date(user, s.birth_date),
                table=False,
                card=None,
            ),
            Col(
                _("身份证号"),
                lambda s: shown_id_number(user, s.id_number),
                width=22,
                css="font-monospace",
            ),
            Col(_("联系电话"), "phone", table=False, card=None),
            Col(_("学历"), "get_education_display"),
            Col(_("原身份"), "get_former_status_display"),
            Col(
                _("现任岗位"),
                lambda s: str(s.current_appointments[0].position) if s.current_appointments else "",
                card="line",
                width=24,
            ),
            Col(_("状态"), "get_status_display", card="badge"),
        ]


@login_required
@permission_required("staff.view_staffmember", raise_exception=True)
def member_detail(request, pk):
    member = get_object_or_404(StaffMember.objects.select_related("user"), pk=pk)
    appointments = selectors.appointment_list().filter(staff=member)
    appraisals = selectors.appraisal_list().filter(staff=member)
    context = {
        "member": member,
        "id_number": shown_id_number(request.user, member.id_number),
        "full_birth_date": can_see_birth_date(request.user),
        "appointments": appointments,
        "appraisals": appraisals,
        "show_salary": can_see_salary(request.user),
        "can_manage": is_hr(request.user) and request.user.has_perm("staff.change_appointment"),
        "can_edit": request.user.has_perm("staff.change_staffmember"),
        "today": timezone.localdate(),
    }
    if context["show_salary"]:
        context["pay_lines"] = (
            selectors.pay_lines().filter(staff=member).order_by("-sheet__year", "-sheet__quarter")
        )
    return render(request, "staff/member_detail.html", context)


def _member_form_page(request, *, member: StaffMember | None):
    """新增 / 编辑人员: one form; the ID number is shown in full only to those the app's rule
    allows (HR), and only in the POSTed form, never in a URL."""
    show_id_number = can_see_id_number(request.user)
    form = StaffMemberForm(
        request.POST if request.method == "POST" else None,
        instance=member,
        show_id_number=show_id_number,
    )
    fields = [name for name in services.STAFF_MEMBER_FIELDS if name in form.fields]

    def call(data):
        values = {name: data[name] for name in fields}
        if member is None:
            return services.staff_member_create(by=request.user, **values)
        return services.staff_member_update(member=member, by=request.user, **values)

    def success(saved):
        message = _("已保存人员“%(name)s”") % {"name": saved.name}
        return message, reverse("staff:member_detail", args=[saved.pk])

    title = _("新增人员") if member is None else _("编辑人员：%(name)s") % {"name": member.name}
    masked = None if show_id_number or member is None else member.masked_id_number
    return _service_form(
        request,
        form,
        call,
        success=success,
        title=title,
        template="staff/member_form.html",
        member=member,
        masked_id_number=masked,
    )


@login_required
@permission_required("staff.add_staffmember", raise_exception=True)
def member_create(request):
    return _member_form_page(request, member=None)


@login_required
@permission_required("staff.change_staffmember", raise_exception=True)
def member_update(request, pk):
    return _member_form_page(request, member=get_object_or_404(StaffMember, pk=pk))


# -- Appointments ---------------------------------------------------------------------------


def _renewal_state(appointment) -> str:
    if getattr(appointment, "renewal", None):
        return _("已续聘")
    return _("续聘合同") if appointment.previous else ""


def _renewal_button(appointment):
    renewable = appointment.status in (
        Appointment.Status.ACTIVE,
        Appointment.Status.EXPIRED,
    ) and not getattr(appointment, "renewal", None)
    if not renewable:
        return _renewal_state(appointment) or "—"
    # Above the phone card's stretched title link, so that the button itself is tapped.
    return format_html(
        '<a class="btn btn-sm btn-outline-primary py-0 position-relative z-2" href="{}"'
        ' data-testid="renew">{}</a>',
        reverse("staff:appointment_detail", args=[appointment.pk]) + "?action=renew",
        _("续聘"),
    )


class AppointmentListView(ListPage):
    permission_required = "staff.view_appointment"
    filterset_class = AppointmentFilter
    title = gettext_lazy("聘任合同")
    template_name = "staff/appointment_list.html"
    export_filename = gettext_lazy("聘任合同")
    empty_text = gettext_lazy("没有符合条件的合同")
    create_url = reverse_lazy("staff:appointment_create")
    create_perm = "staff.add_appointment"
    create_label = gettext_lazy("新增聘任")
    columns = [
        Col(
            gettext_lazy("姓名"), "staff.name", link=lambda a: _member_url(a.staff_id), card="title"
        ),
        Col(gettext_lazy("部门"), "position.department.name", table=False, card=None),
        Col(gettext_lazy("岗位"), "position.title", width=20, card="line"),
        Col(gettext_lazy("聘任类型"), "get_kind_display"),
        Col(gettext_lazy("起始日期"), "start_date"),
        Col(gettext_lazy("终止日期"), "end_date"),
        Col(gettext_lazy("试用期至"), "probation_end", table=False, card=None),
        Col(gettext_lazy("状态"), "get_status_display", card="badge"),
        Col(
            gettext_lazy("续聘自"),
            lambda a: a.previous.start_date if a.previous else None,
            table=False,
            card=None,
        ),
        Col(gettext_lazy("续聘"), _renewal_state, export=False),
        Col(gettext_lazy("解聘原因"), "termination_reason", width=24, table=False, card=None),
    ]

    def get_base_queryset(self):
        return selectors.appointment_list()

    def get_columns(self):
        # HR sees a 续聘 button on each contract that may be renewed (the "60 天内到期" filter
        # then lists exactly the contracts to act on); others see where a contract stands.
        if not self.request.user.has_perm("staff.change_appointment"):
            return self.columns
        return [
            Col(col.label, col.value, display=_renewal_button, card="line", export=False)
            if col.value is _renewal_state
            else col
            for col in self.columns
        ]


@login_required
@permission_required("staff.add_appointment", raise_exception=True)
def appointment_create(request):
    form = AppointmentForm(request.POST or None, initial=request.GET.dict() or None)
    return _service_form(
        request,
        form,
        lambda data: services.appointment_create(**data, by=request.user),
        success=lambda appointment: (
            _("已聘任 %(name)s") % {"name": appointment.staff.name},
            reverse("staff:member_detail", args=[appointment.staff_id]),
        ),
        title=_("新增聘任"),
    )


class AppointmentPages(WorkflowPage):
    """A contract's page with its 续聘 / 解聘 buttons and timeline, and those actions
    (services.APPOINTMENT_WORKFLOW)."""

    workflow = services.APPOINTMENT_WORKFLOW
    queryset = staticmethod(selectors.appointment_list)
    template_name = "staff/appointment_detail.html"
    view_permission = "staff.view_appointment"
    detail_url_name = "staff:appointment_detail"
    context_name = "appointment"

    def get_context(self, obj):
        return {
            **super().get_context(obj),
            "blocker": services.renewal_blocker(staff=obj.staff),
            "renewal": Appointment.objects.filter(previous=obj).first(),
        }


# -- Appraisals -----------------------------------------------------------------------------


class AppraisalListView(ListPage):
    permission_required = "staff.view_appraisal"
    filterset_class = AppraisalFilter
    title = gettext_lazy("考核")
    template_name = "staff/appraisal_list.html"
    export_filename = gettext_lazy("考核结果")
    empty_text = gettext_lazy("没有符合条件的考核记录")
    create_url = reverse_lazy("staff:appraisal_create")
    create_perm = "staff.add_appraisal"
    create_label = gettext_lazy("录入考核")
    columns = [
        Col(
            gettext_lazy("姓名"), "staff.name", link=lambda a: _member_url(a.staff_id), card="title"
        ),
        Col(gettext_lazy("部门"), "department.name"),
        Col(gettext_lazy("考核期"), "period_label"),
        Col(gettext_lazy("得分"), "score", css="text-end"),
        Col(gettext_lazy("等次"), "get_grade_display", card="badge"),
        Col(gettext_lazy("评语"), "comments", width=30, css="wrap", card="line"),
    ]

    def get_base_queryset(self):
        return selectors.appraisal_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["flagged"] = selectors.flagged_for_review()
        return context


@login_required
@permission_required("staff.add_appraisal", raise_exception=True)
def appraisal_create(request):
    form = AppraisalForm(
        request.POST or None, initial={"year": timezone.localdate().year - 1, "quarter": 0}
    )
    return _service_form(
        request,
        form,
        lambda data: services.appraisal_record(**data, by=request.user),
        success=lambda appraisal: (
            _("已录入：%(appraisal)s") % {"appraisal": appraisal},
            reverse("staff:appraisal_list"),
        ),
        title=_("录入考核"),
    )


# -- Selection rounds -----------------------------------------------------------------------


@login_required
@permission_required("staff.view_selectionround", raise_exception=True)
def round_list(request):
    rounds = selectors.round_list()
    return render(request, "staff/round_list.html", {"rounds": rounds})


@login_required
@permission_required("staff.view_selectionround", raise_exception=True)
def round_detail(request, pk):
    round = get_object_or_404(SelectionRound, pk=pk)
    candidates, offers = selectors.round_explanations(round=round)
    return render(
        request,
        "staff/round_detail.html",
        {
            "round": round,
            "candidates": candidates,
            "offers": offers,
            "can_manage": request.user.has_perm("staff.change_selectionround"),
        },
    )


def _round_action(request, pk, action, success):
    """A refused step answers 400 with the round's page and the reason, as every refusal does."""
    round = get_object_or_404(SelectionRound, pk=pk)
    try:
        action(round=round, by=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        response = round_detail(request, pk)
        response.status_code = 400
        return response
    messages.success(request, success)
    return redirect("staff:round_detail", pk=pk)


@require_POST
@login_required
@permission_required("staff.change_selectionround", raise_exception=True)
def round_compute(request, pk):
    return _round_action(request, pk, services.round_compute, _("已计算匹配结果，请复核后确认聘任"))


@require_POST
@login_required
@permission_required("staff.change_selectionround", raise_exception=True)
def round_confirm(request, pk):
    return _round_action(request, pk, services.round_confirm, _("已确认，聘任合同已生成"))


@login_required
@permission_required("staff.change_candidate", raise_exception=True)
def candidate_scores(request, pk):
    candidate = get_object_or_404(Candidate.objects.select_related("round", "staff"), pk=pk)
    return _service_form(
        request,
        ScoreForm(request.POST or None, instance=candidate),
        lambda data: services.candidate_score(
            candidate=candidate,
            written=data["written_score"],
            interview=data["interview_score"],
            democratic=data["democratic_score"],
            by=request.user,
        ),
        success=lambda _candidate: (
            _("已保存 %(name)s 的成绩") % {"name": candidate.staff.name},
            reverse("staff:round_detail", args=[candidate.round_id]),
        ),
        title=_("录入成绩：%(name)s") % {"name": candidate.staff.name},
    )


@login_required
def my_selection(request):
    """A candidate's own results: the rank and cut-off behind each preference."""
    results = []
    for candidacy in selectors.my_candidacies(user=request.user):
        # Results are published when HR has reviewed and confirmed them.
        if candidacy.round.status != SelectionRound.Status.CONFIRMED:
            results.append((candidacy.round, None))
            continue
        candidates, _offers = selectors.round_explanations(round=candidacy.round)
        mine = next(c for c in candidates if c.pk == candidacy.pk)
        results.append((candidacy.round, mine))
    return render(request, "staff/my_selection.html", {"results": results})


# -- Pay ------------------------------------------------------------------------------------


class PaySheetListView(SalaryRequiredMixin, ListPage):
    permission_required = "staff.view_paysheet"
    filterset_class = PaySheetFilter
    title = gettext_lazy("绩效工资表")
    template_name = "staff/pay_sheet_list.html"
    export_filename = gettext_lazy("绩效工资表汇总")
    empty_text = gettext_lazy("暂无工资表")
    create_url = reverse_lazy("staff:pay_sheet_generate")
    create_perm = "staff.add_paysheet"
    create_label = gettext_lazy("生成工资表")
    columns = [
        Col(
            gettext_lazy("部门"),
            "department.name",
            link=lambda sheet: reverse("staff:pay_sheet_detail", args=[sheet.pk]),
            card="title",
        ),
        Col(gettext_lazy("年度"), "year", card="badge"),
        Col(gettext_lazy("考核期"), "get_quarter_display", card="badge"),
        Col(gettext_lazy("人数"), "people", css="text-end"),
        Col(
            gettext_lazy("基本工资合计（元）"), "base_total", fmt="amount", width=18, css="text-end"
        ),
        Col(
            gettext_lazy("绩效工资合计（元）"),
            "performance_total",
            fmt="amount",
            width=18,
            css="text-end",
        ),
        Col(
            gettext_lazy("应发合计（元）"),
            "pay_total",
            fmt="amount",
            width=18,
            css="text-end",
            card="line",
        ),
    ]

    def get_base_queryset(self):
        return selectors.pay_sheet_list()


class PaySheetDetailView(SalaryRequiredMixin, ListPage):
    permission_required = "staff.view_paysheet"
    filterset_class = PayLineFilter
    template_name = "staff/pay_sheet_detail.html"
    paginate_by = 100

    def get_base_queryset(self):
        self.sheet = get_object_or_404(selectors.pay_sheet_list(), pk=self.kwargs["pk"])
        return selectors.pay_lines(sheet=self.sheet)

    def get_api_filters(self):
        return {"sheet": self.kwargs["pk"]}

    @property
    def export_filename(self):
        return f"{_('绩效工资表')}-{self.sheet}"

    columns = [
        Col(
            gettext_lazy("姓名"),
            "staff.name",
            link=lambda line: _member_url(line.staff_id) if getattr(line, "staff_id", None) else "",
            card="title",
        ),
        Col(gettext_lazy("岗位"), "position_title", width=20, card="line"),
        Col(gettext_lazy("薪级"), "salary_grade.code"),
        Col(gettext_lazy("考核等次"), "get_grade_display", card="badge"),
        Col(gettext_lazy("绩效系数"), "coefficient", css="text-end"),
        Col(gettext_lazy("基本工资（元）"), "base_pay", fmt="amount", width=16, css="text-end"),
        Col(
            gettext_lazy("绩效基数（元）"),
            "performance_base",
            fmt="amount",
            width=16,
            css="text-end",
        ),
        Col(
            gettext_lazy("绩效工资（元）"),
            "performance_pay",
            fmt="amount",
            width=16,
            css="text-end",
        ),
        Col(gettext_lazy("应发合计（元）"), "total_pay", fmt="amount", width=16, css="text-end"),
    ]

    def export_rows(self):
        rows = list(self.get_queryset())
        sheet = self.sheet
        # The sheet's totals as a last row, from the same database sums as the page.
        total = SimpleNamespace(
            staff=SimpleNamespace(name=_("合计")),
            position_title="",
            salary_grade=None,
            get_grade_display=lambda: "",
            coefficient=None,
            base_pay=sheet.base_total,
            performance_base=sheet.performance_base_total,
            performance_pay=sheet.performance_total,
            total_pay=sheet.pay_total,
        )
        return [*rows, total]

    @property
    def export_sheet_title(self):
        return str(self.sheet)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sheet"] = self.sheet
        context["title"] = _("%(sheet)s 绩效工资表") % {"sheet": self.sheet}
        return context


@login_required
@permission_required("staff.add_paysheet", raise_exception=True)
def pay_sheet_generate(request):
    if not can_see_salary(request.user):
        raise PermissionDenied
    # By default the newest appraised year: the pay sheet it is computed from.
    year = selectors.latest_appraisal_year() or timezone.localdate().year - 1
    form = PaySheetForm(request.POST or None, initial={"year": year, "quarter": 0})
    return _service_form(
        request,
        form,
        lambda data: services.pay_sheet_generate(**data, by=request.user),
        success=lambda sheet: (
            _("已生成 %(sheet)s 绩效工资表") % {"sheet": sheet},
            reverse("staff:pay_sheet_detail", args=[sheet.pk]),
        ),
        title=_("生成绩效工资表"),
    )


@login_required
@permission_required("staff.view_salarygrade", raise_exception=True)
def salary_grades(request):
    if not can_see_salary(request.user):
        raise PermissionDenied
    return render(
        request,
        "staff/salary_grades.html",
        {"grades": SalaryGrade.objects.all(), "rules": GradeRule.objects.all()},
    )


# -- Audit ----------------------------------------------------------------------------------


@login_required
def audit(request):
    """HR reads who changed which contract, appraisal, coefficient or pay figure, old → new."""
    if not is_hr(request.user):
        raise PermissionDenied
    key = request.GET.get("model", "appointment")
    if key not in AUDITED:
        raise Http404
    history = (
        AUDITED[key]
        .model.history.select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    page = Paginator(history, 50).get_page(request.GET.get("page"))
    rows = audit_rows(records=list(page.object_list), user=request.user)
    return render(
        request,
        "staff/audit.html",
        {"rows": rows, "page_obj": page, "audited": AUDITED, "current": key},
    )
