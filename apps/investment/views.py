"""Staff pages of 招商引资: thin, calling selectors and services. Lists are ListPage
definitions, forms go through form_page, the pipeline through WorkflowActionView."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.errors import apply_to_form
from apps.core.lists import Col, FilterForm, status_badge
from apps.core.views import ListPage, WorkflowActionView, form_page, workflow_panel
from apps.investment import filters, forms, permissions, selectors, services
from apps.investment.models import Activity, Project, mask_phone

_l = gettext_lazy

STAGE_COLOURS = {
    "negotiating": "info",
    "inspecting": "info",
    "reviewing": "primary",
    "signed": "success",
    "registered": "success",
    "started": "success",
    "producing": "success",
    "capacity": "dark",
    "shelved": "secondary",
    "lost": "danger",
    "terminated": "danger",
}
LIGHT_COLOURS = {"green": "success", "amber": "warning", "red": "danger"}


def _flag(text, colour: str, name: str = "", value: str = ""):
    """A badge with one data attribute (a test and a script can find it)."""
    if not name:
        return format_html('<span class="badge text-bg-{}">{}</span>', colour, text)
    return format_html(
        '<span class="badge text-bg-{}" data-{}="{}">{}</span>', colour, name, value, text
    )


def _light(project):
    light = selectors.stage_light(project)
    days = selectors.days_in_stage(project)
    if not light:
        return _("%(days)s 天") % {"days": days}
    return _flag(_("%(days)s 天") % {"days": days}, LIGHT_COLOURS[light], "light", light)


# --- Investors --------------------------------------------------------------------------------


def _investor_url(investor):
    return reverse("investment:investor_detail", args=[investor.pk])


class InvestorListView(ListPage):
    permission_required = "investment.view_investor"
    filterset_class = filters.InvestorFilter
    title = _l("客商")
    export_filename = _l("客商")
    create_url = reverse_lazy("investment:investor_create")
    create_perm = "investment.add_investor"
    create_label = _l("登记客商")

    def get_columns(self):
        full = permissions.sees_contacts(self.request.user)
        return [
            Col(_l("客商名称"), "name", link=_investor_url, card="title", width=30),
            Col(_l("信用代码"), "credit_code", card=None, width=20),
            Col(_l("来源地"), "origin", card="line", width=14),
            Col(_l("标签"), "tags", card="meta", width=20),
            Col(_l("联系人"), "contact_name", card="meta", width=10),
            Col(
                _l("联系电话"),
                lambda i: i.contact_phone if full else mask_phone(i.contact_phone),
                card="meta",
                width=14,
            ),
        ]

    def get_base_queryset(self):
        return selectors.investor_list(self.request.user)


@login_required
@permission_required("investment.view_investor", raise_exception=True)
def investor_detail(request, pk: int):
    investor = get_object_or_404(selectors.investor_list(request.user), pk=pk)
    phone = investor.contact_phone
    if not permissions.sees_contacts(request.user):
        phone = mask_phone(phone)
    leads = selectors.lead_list(request.user).filter(investor=investor)
    projects = selectors.project_list(request.user).filter(investor=investor)
    return render(
        request,
        "investment/investor_detail.html",
        {"investor": investor, "phone": phone, "leads": leads, "projects": projects},
    )


@login_required
@permission_required("investment.add_investor", raise_exception=True)
def investor_create(request):
    return form_page(
        request,
        form=forms.InvestorForm(request.POST or None),
        save=lambda data: services.investor_save(by=request.user, **data),
        success=lambda investor: (_("客商已登记"), _investor_url(investor)),
        template="investment/form.html",
        context={"title": _("登记客商")},
    )


# --- Leads ------------------------------------------------------------------------------------


def _lead_url(lead):
    return reverse("investment:lead_detail", args=[lead.pk])


def _judgement(lead):
    colour = {"pending": "warning", "follow": "success", "drop": "secondary"}[lead.judgement]
    return _flag(lead.get_judgement_display(), colour)


def _judgement_clock(lead):
    due = selectors.judgement_due_on(lead)
    if lead.judgement != "pending" or lead.merged:
        return ""
    if due < timezone.localdate():
        return _flag(_("研判超时 %(due)s") % {"due": due}, "danger", "clock", "overdue")
    return _flag(_("%(due)s 前研判") % {"due": due}, "light", "clock", "running")


LEAD_COLUMNS = [
    Col(_l("项目名称"), "title", link=_lead_url, card="title", width=30),
    Col(_l("客商"), "investor.name", card="line", width=26),
    Col(_l("产业链环节"), "chain_node", card="meta", width=20),
    Col(_l("信息来源"), "get_channel_display", card="meta", width=10),
    Col(_l("拟总投资（万元）"), "planned_investment", fmt="amount", css="text-end"),
    Col(
        _l("负责人"),
        lambda lead: lead.owner.get_full_name() if lead.owner else _("公海池"),
        width=10,
    ),
    Col(_l("招商小组"), "team", card=None, width=14),
    Col(_l("研判"), "get_judgement_display", display=_judgement, card="badge", width=8),
    Col(_l("首报人"), lambda lead: lead.reported_by.get_full_name(), table=False, card=None),
    Col(_l("首报时间"), "reported_at", width=16),
    Col(_l("最近跟进"), "last_follow_up_on", card="meta", width=12),
    Col(
        _l("研判时限"),
        lambda lead: selectors.judgement_due_on(lead) if lead.judgement == "pending" else None,
        display=_judgement_clock,
        card="badge",
        width=12,
    ),
    Col(_l("保密"), "confidential", table=False, card=None, width=6),
]


class LeadListView(ListPage):
    permission_required = "investment.view_lead"
    filterset_class = filters.LeadFilter
    filter_form = FilterForm(primary=("q", "judgement", "pool"))
    title = _l("线索")
    export_filename = _l("线索台账")
    create_url = reverse_lazy("investment:lead_create")
    create_perm = "investment.add_lead"
    create_label = _l("登记线索")
    columns = LEAD_COLUMNS
    template_name = "investment/lead_list.html"

    def get_base_queryset(self):
        return selectors.lead_list(self.request.user).filter(merged=False)


class PoolView(LeadListView):
    """公海池: leads without an owner, for any 招商 officer to claim."""

    permission_required = "investment.change_lead"
    title = _l("公海池")
    export_filename = _l("公海池")
    create_url = None

    def get_base_queryset(self):
        return super().get_base_queryset().filter(owner__isnull=True)

    def get_api_filters(self):
        return {"pool": "true"}


def _lead_context(request, lead, **extra):
    user = request.user
    works = permissions.works_on(user, lead)
    leader = permissions.leads_team_of(user, lead)
    phone = lead.investor.contact_phone
    if not permissions.sees_contacts(user):
        phone = mask_phone(phone)
    can_assign = leader and not lead.merged
    return {
        "lead": lead,
        "phone": phone,
        "clock": selectors.clock(lead),
        "pool_return_on": selectors.pool_return_on(lead),
        "follow_ups": lead.follow_ups.select_related("by"),
        "project": getattr(lead, "project", None),
        "can_work": works,
        "can_judge": works or leader,
        "can_merge": leader and lead.duplicate_of_id and not lead.merged,
        "can_claim": lead.owner_id is None
        and not lead.merged
        and permissions.is_investment_officer(user),
        "follow_up_form": extra.get("follow_up_form") or forms.FollowUpForm(),
        "judge_form": extra.get("judge_form") or forms.JudgeForm(),
        "can_assign": can_assign,
        "assign_form": (extra.get("assign_form") or forms.AssignForm(lead=lead))
        if can_assign
        else None,
    }


def _visible_lead(request, pk):
    return get_object_or_404(selectors.lead_list(request.user), pk=pk)


@login_required
@permission_required("investment.view_lead", raise_exception=True)
def lead_detail(request, pk: int):
    lead = _visible_lead(request, pk)
    return render(request, "investment/lead_detail.html", _lead_context(request, lead))


@login_required
@permission_required("investment.add_lead", raise_exception=True)
def lead_create(request):
    def save(data):
        return services.lead_create(by=request.user, **data)

    def success(lead):
        if lead.duplicate_of_id:
            return _("线索已登记，但疑似与已有线索重复，已提交组长研判"), _lead_url(lead)
        return _("线索已登记"), _lead_url(lead)

    return form_page(
        request,
        form=forms.LeadForm(request.POST or None),
        save=save,
        success=success,
        template="investment/form.html",
        context={"title": _("登记线索")},
    )


def _lead_post(request, pk, act, message, form_class=None, form_key=None):
    """A small POST on a lead (claim, judge, follow up, merge, assign): the service decides; a
    refusal comes back on the lead's page with status 400."""
    lead = _visible_lead(request, pk)
    form = None
    if form_class is forms.AssignForm:
        form = form_class(request.POST, lead=lead)
    elif form_class:
        form = form_class(request.POST)
    extra = {}
    try:
        if form is not None and not form.is_valid():
            raise ValidationError(form.errors.as_data())
        act(lead, form.cleaned_data if form is not None else {})
    except ValidationError as error:
        if form is not None:
            apply_to_form(form, error)
            extra[form_key] = form
        context = _lead_context(request, _visible_lead(request, pk), **extra)
        context["refusal"] = " ".join(error.messages)
        return render(request, "investment/lead_detail.html", context, status=400)
    messages.success(request, message)
    return redirect(_lead_url(lead))


@login_required
@permission_required("investment.change_lead", raise_exception=True)
@require_POST
def lead_claim(request, pk: int):
    return _lead_post(
        request, pk, lambda lead, data: services.lead_claim(by=request.user, lead=lead), _("已认领")
    )


@login_required
@permission_required("investment.change_lead", raise_exception=True)
@require_POST
def lead_merge(request, pk: int):
    return _lead_post(
        request, pk, lambda lead, data: services.lead_merge(by=request.user, lead=lead), _("已合并")
    )


@login_required
@permission_required("investment.change_lead", raise_exception=True)
@require_POST
def lead_assign(request, pk: int):
    return _lead_post(
        request,
        pk,
        lambda lead, data: services.lead_assign(by=request.user, lead=lead, **data),
        _("已分派"),
        forms.AssignForm,
        "assign_form",
    )


@login_required
@permission_required("investment.change_lead", raise_exception=True)
@require_POST
def lead_judge(request, pk: int):
    return _lead_post(
        request,
        pk,
        lambda lead, data: services.lead_judge(by=request.user, lead=lead, **data),
        _("已研判"),
        forms.JudgeForm,
        "judge_form",
    )


@login_required
@permission_required("investment.add_followup", raise_exception=True)
@require_POST
def lead_follow_up(request, pk: int):
    return _lead_post(
        request,
        pk,
        lambda lead, data: services.lead_follow_up(by=request.user, lead=lead, **data),
        _("跟进已记录"),
        forms.FollowUpForm,
        "follow_up_form",
    )


@login_required
@permission_required("investment.add_project", raise_exception=True)
@require_POST
def lead_to_project(request, pk: int):
    lead = _visible_lead(request, pk)
    try:
        project = services.project_create(by=request.user, lead=lead)
    except ValidationError as error:
        context = _lead_context(request, lead)
        context["refusal"] = " ".join(error.messages)
        return render(request, "investment/lead_detail.html", context, status=400)
    messages.success(request, _("已立项"))
    return redirect(_project_url(project))


# --- Projects ---------------------------------------------------------------------------------


def _project_url(project):
    return reverse("investment:project_detail", args=[project.pk])


PROJECT_COLUMNS = [
    Col(_l("项目名称"), "name", link=_project_url, card="title", width=30),
    Col(_l("客商"), "investor.name", card="line", width=26),
    Col(
        _l("阶段"),
        "get_status_display",
        display=status_badge(STAGE_COLOURS),
        card="badge",
        width=10,
    ),
    Col(_l("本阶段天数"), selectors.days_in_stage, display=_light, card="badge", width=10),
    Col(_l("招商小组"), "team.name", card="meta", width=14),
    Col(_l("负责人"), lambda p: p.owner.get_full_name(), card="meta", width=10),
    Col(_l("产业链环节"), "chain_node", card=None, width=20),
    Col(_l("合同投资（万元）"), "contract_investment", fmt="amount", css="text-end"),
    Col(_l("到位资金（万元）"), "funds_total", fmt="amount", css="text-end"),
    Col(_l("首次签约"), "signed_on", card="meta", width=12),
    Col(_l("承诺开工"), "committed_start_on", table=False, card=None, width=12),
    Col(_l("落地企业"), "enterprise.name", table=False, card=None, width=30),
    Col(_l("流失原因"), "loss_reason", table=False, card=None, width=16),
]


class ProjectListView(ListPage):
    permission_required = "investment.view_project"
    filterset_class = filters.ProjectFilter
    filter_form = FilterForm(primary=("q", "status", "red"))
    title = _l("招商项目")
    export_filename = _l("招商项目台账")
    columns = PROJECT_COLUMNS
    template_name = "investment/project_list.html"

    def get_base_queryset(self):
        # The table's relations; the export's columns read two more.
        return selectors.project_list(self.request.user, related=selectors.PAGE_RELATED)

    def export_rows(self):
        related = selectors.PROJECT_RELATED
        return self.get_queryset().select_related(*related)[: self.export_limit]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = dict(
            self.filterset.qs.order_by()
            .values_list("status")
            .annotate(n=Count("pk", distinct=True))
        )
        context["board"] = [
            (value, label, counts.get(value, 0)) for value, label in Project.Status.choices
        ]
        return context


FUNDS_COLUMNS = [
    Col(
        _l("招商项目"),
        "project.name",
        link=lambda f: _project_url(f.project),
        card="title",
        width=30,
    ),
    Col(_l("招商小组"), "project.team.name", card="meta", width=14),
    Col(_l("月份"), lambda f: f.month.strftime("%Y-%m"), card="meta", width=10),
    Col(_l("资金来源"), "get_origin_display", card="badge", width=10),
    Col(_l("固定资产（万元）"), "fixed_assets", fmt="amount", css="text-end", width=14),
    Col(_l("流动资金（万元）"), "working_capital", fmt="amount", css="text-end", width=14),
    Col(_l("合计（万元）"), "total", fmt="amount", css="text-end", width=14),
]


class FundsArrivalListView(ListPage):
    """The funds arrived (到位资金) on the projects the user may see: the rows behind the
    到位资金 figures."""

    permission_required = "investment.view_fundsarrival"
    filterset_class = filters.FundsArrivalFilter
    filter_form = FilterForm(primary=("q", "month_from", "month_to"))
    title = _l("到位资金明细")
    export_filename = _l("到位资金明细")
    columns = FUNDS_COLUMNS

    def get_base_queryset(self):
        return selectors.funds_arrival_list(self.request.user)


def _project_context(request, project, **extra):
    phone = project.investor.contact_phone
    if not permissions.sees_contacts(request.user):
        phone = mask_phone(phone)
    works = permissions.works_on(request.user, project)
    return {
        "project": project,
        "phone": phone,
        "light": _light(project),
        "events": services.PROJECT_WORKFLOW.events(project),
        "reviews": project.reviews.select_related("by"),
        "signings": project.signings.all(),
        "funds": project.funds.all(),
        "can_work": works,
        "review_form": extra.get("review_form")
        or forms.AdmissionReviewForm(initial={"reviewed_on": timezone.localdate()}),
        "funds_form": extra.get("funds_form") or forms.FundsArrivalForm(),
        "expect_form": extra.get("expect_form")
        or forms.ExpectSigningForm(initial={"month": project.expected_signing_month}),
        "can_expect": works and project.status in services.PRE_SIGNING,
    }


def _visible_project(request, pk):
    return get_object_or_404(selectors.project_list(request.user), pk=pk)


@login_required
@permission_required("investment.view_project", raise_exception=True)
def project_detail(request, pk: int):
    project = _visible_project(request, pk)
    context = _project_context(request, project)
    context.update(workflow_panel(services.PROJECT_WORKFLOW, request.user, project))
    return render(request, "investment/project_detail.html", context)


class ProjectTransitionView(WorkflowActionView):
    workflow = services.PROJECT_WORKFLOW
    template_name = "investment/project_detail.html"
    view_permission = "investment.view_project"

    def get_object(self):
        return _visible_project(self.request, self.kwargs["pk"])

    def get_context(self, obj):
        return _project_context(self.request, obj)

    def success_url(self, obj):
        return _project_url(obj)


# --- Moving a card on the board -----------------------------------------------------------------
# A card dropped on another column asks for the transition that leads there, through the same
# workflow form as the project page; the answer is a fragment for the board's dialog.


def _transition_to(project, stage):
    """The transition that takes `project` from where it is to the board column `stage`."""
    workflow = services.PROJECT_WORKFLOW
    for transition in workflow.transitions:
        reachable = workflow.state_refusal(project, transition) is None
        if reachable and transition.target_for(project, {}) == stage:
            return transition
    return None


@login_required
@permission_required("investment.view_project", raise_exception=True)
def project_move_to(request, pk: int, stage: str):
    """GET: the form of the transition from the project's stage to `stage` (200), or why it
    cannot be moved there (400: no such step; 403: not this user)."""
    project = _visible_project(request, pk)
    if stage not in selectors.BOARD_STAGES:
        raise Http404
    context = {"project": project, "stage_label": Project.Status(stage).label}
    transition = _transition_to(project, stage)
    status = 200
    if project.status == stage:
        context["refusal"] = _("项目已在“%(stage)s”阶段") % {"stage": context["stage_label"]}
        status = 400
    elif transition is None:
        context["refusal"] = _("“%(from)s”阶段的项目不能直接移到“%(to)s”") % {
            "from": project.get_status_display(),
            "to": context["stage_label"],
        }
        status = 400
    else:
        reason = services.PROJECT_WORKFLOW.actor_refusal(request.user, project, transition)
        if reason:
            context["refusal"] = reason
            status = 403
        else:
            form = services.PROJECT_WORKFLOW.form_for(
                transition, obj=project, prefix=transition.action
            )
            context.update(workflow_actions=[(transition, form)], open_action=transition.action)
    return render(request, _move_template(request), context, status=status)


def _from_board(request) -> bool:
    """The board's dialog asks with this header (static/js/board.js); an address opened or
    a form sent without the script gets a whole page instead of the dialog's fragment."""
    return request.headers.get("X-Requested-With") == "zp-board"


def _move_template(request) -> str:
    return "investment/_board_move.html" if _from_board(request) else "investment/board_move.html"


class ProjectMoveView(ProjectTransitionView):
    """POST from the board's dialog: the same transition as the project page's; success is 204
    (the board reloads, with the message), a refusal the dialog's fragment again (400).
    Without the dialog: the project page after success, a whole page with the refusal."""

    def get_context(self, obj):
        transition = self.workflow.transition(self.kwargs["action"])
        target = transition.target_for(obj, {}) if transition else None
        return {
            "project": obj,
            "stage_label": Project.Status(target).label if target else "",
        }

    def post(self, request, pk, action=None):
        self.template_name = _move_template(request)
        response = super().post(request, pk, action)
        if response.status_code == 302 and _from_board(request):
            return HttpResponse(status=204)
        return response


def _project_post(request, pk, form_class, key, save, message):
    project = _visible_project(request, pk)
    form = form_class(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        save(project, form.cleaned_data)
    except ValidationError as error:
        apply_to_form(form, error)
        context = _project_context(request, project, **{key: form})
        context.update(workflow_panel(services.PROJECT_WORKFLOW, request.user, project))
        context["refusal"] = " ".join(error.messages)
        return render(request, "investment/project_detail.html", context, status=400)
    messages.success(request, message)
    return redirect(_project_url(project))


@login_required
@permission_required("investment.add_admissionreview", raise_exception=True)
@require_POST
def project_review(request, pk: int):
    return _project_post(
        request,
        pk,
        forms.AdmissionReviewForm,
        "review_form",
        lambda project, data: services.admission_review_create(
            by=request.user, project=project, **data
        ),
        _("准入评审已登记"),
    )


@login_required
@permission_required("investment.add_fundsarrival", raise_exception=True)
@require_POST
def project_funds(request, pk: int):
    return _project_post(
        request,
        pk,
        forms.FundsArrivalForm,
        "funds_form",
        lambda project, data: services.funds_arrival_create(
            by=request.user, project=project, **data
        ),
        _("到位资金已登记"),
    )


@login_required
@permission_required("investment.change_project", raise_exception=True)
@require_POST
def project_expect(request, pk: int):
    return _project_post(
        request,
        pk,
        forms.ExpectSigningForm,
        "expect_form",
        lambda project, data: services.project_expect_signing(
            by=request.user, project=project, month=data.get("month")
        ),
        _("预计签约月份已保存"),
    )


# --- Activities -------------------------------------------------------------------------------


def _activity_url(activity):
    return reverse("investment:activity_detail", args=[activity.pk])


def _report_state(activity):
    if not activity.needs_report:
        return ""
    if activity.reported_on:
        return _flag(_("已报告"), "success")
    if activity.report_due_on < timezone.localdate():
        return _flag(_("报告逾期"), "danger", "overdue", "1")
    return _flag(_("待报告"), "warning")


ACTIVITY_COLUMNS = [
    Col(_l("活动名称"), "title", link=_activity_url, card="title", width=30),
    Col(_l("类型"), "get_kind_display", card="badge", width=10),
    Col(_l("开始日期"), "starts_on", card="meta", width=12),
    Col(_l("结束日期"), "ends_on", card=None, width=12),
    Col(_l("目的地/来访"), lambda a: f"{a.province}{a.city}" or a.visitors, card="line", width=20),
    Col(_l("带队领导"), "leading_official", card=None, width=10),
    Col(_l("线索数"), "lead_count", fmt="int", css="text-end", width=8),
    Col(_l("立项"), "project_count", fmt="int", css="text-end", card=None, width=6),
    Col(_l("签约"), "signed_count", fmt="int", css="text-end", card="meta", width=6),
    Col(_l("开工"), "started_count", fmt="int", css="text-end", card=None, width=6),
    Col(_l("到位资金（万元）"), "funds_total", fmt="amount", css="text-end", card=None),
    Col(_l("报告"), "report_due_on", display=_report_state, card="badge", width=10),
]


class ActivityListView(ListPage):
    permission_required = "investment.view_activity"
    filterset_class = filters.ActivityFilter
    filter_form = FilterForm(primary=("q", "kind", "year"))
    title = _l("招商活动")
    export_filename = _l("招商活动")
    create_url = reverse_lazy("investment:activity_create")
    create_perm = "investment.add_activity"
    create_label = _l("登记招商活动")
    columns = ACTIVITY_COLUMNS
    template_name = "investment/activity_list.html"

    def get_base_queryset(self):
        return selectors.activity_list(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.filterset.form.cleaned_data.get("year") if self.filterset.is_bound else None
        year = int(year or timezone.localdate().year)
        context["year"] = year
        context["counts"] = selectors.activity_counts(year=year)
        context["conversion"] = selectors.activity_conversion(year=year)
        context["kinds"] = [
            (label, context["counts"]["by_kind"].get(value, 0))
            for value, label in Activity.Kind.choices
        ]
        return context


@login_required
@permission_required("investment.view_activity", raise_exception=True)
def activity_detail(request, pk: int):
    activity = get_object_or_404(selectors.activity_list(request.user), pk=pk)
    return render(
        request,
        "investment/activity_detail.html",
        {
            "activity": activity,
            "report_state": _report_state(activity),
            "staff": activity.staff.all(),
            "leads": selectors.lead_list(request.user).filter(activity=activity),
        },
    )


@login_required
@permission_required("investment.add_activity", raise_exception=True)
def activity_create(request):
    return form_page(
        request,
        form=forms.ActivityForm(request.POST or None),
        save=lambda data: services.activity_create(by=request.user, **data),
        success=lambda activity: (_("招商活动已登记"), _activity_url(activity)),
        template="investment/form.html",
        context={"title": _("登记招商活动")},
    )


# --- Indicators -------------------------------------------------------------------------------


@login_required
@permission_required("investment.view_project", raise_exception=True)
def indicators(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    projects = selectors.project_scoped(request.user)
    figures = selectors.indicators(start=start, end=end, projects=projects)
    return render(
        request,
        "investment/indicators.html",
        {"figures": figures, "year": year, "years": range(today.year, 2022, -1)},
    )
