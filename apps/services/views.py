"""Staff pages of enterprise service: thin, calling selectors and services."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.excel import Column
from apps.core.views import FilteredListView
from apps.enterprises.models import Enterprise
from apps.services import filters, forms, permissions, selectors, services
from apps.services.models import (
    Demand,
    DemandEvent,
    MatchmakingMeeting,
    Visit,
)


def _add_service_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# --- Demands ----------------------------------------------------------------------------------

DEMAND_COLUMNS = [
    Column(gettext_lazy("编号"), "pk", 8),
    Column(gettext_lazy("企业"), "enterprise.name", 30),
    Column(gettext_lazy("类别"), "category.name", 10),
    Column(gettext_lazy("来源"), "get_source_display", 10),
    Column(gettext_lazy("诉求内容"), "description", 50),
    Column(gettext_lazy("责任部门"), "department.name", 12),
    Column(gettext_lazy("承办人"), lambda d: d.assignee.get_full_name() if d.assignee else ""),
    Column(gettext_lazy("优先级"), "get_priority_display", 8),
    Column(gettext_lazy("状态"), "get_status_display", 8),
    Column(gettext_lazy("提出日期"), "raised_on", 12),
    Column(gettext_lazy("办理期限"), "deadline", 12),
    Column(gettext_lazy("超期天数"), "overdue_days", 8),
    Column(gettext_lazy("办结日期"), "closed_on", 12),
    Column(gettext_lazy("办理结果"), "resolution", 40),
    Column(gettext_lazy("满意度"), "get_satisfaction_display", 10),
]


class DemandListView(FilteredListView):
    permission_required = "services.view_demand"
    filterset_class = filters.DemandFilter
    template_name = "services/demand_list.html"
    export_columns = DEMAND_COLUMNS
    export_filename = "诉求"

    def get_base_queryset(self):
        return selectors.demand_list()


class MyDemandsView(DemandListView):
    """Demands assigned to me and still in progress."""

    template_name = "services/demand_mine.html"
    export_filename = "我承办的诉求"

    def get_base_queryset(self):
        return selectors.demands_assigned_to(self.request.user).order_by("deadline", "id")


@login_required
@permission_required("services.view_demand", raise_exception=True)
def demand_inbox(request):
    """My department's new, in-progress and overdue demands; for the leadership (which is
    not a responsible department), the escalated and overdue demands of every department."""
    department = request.user.department
    if department is None or department.code == department.Code.LEADERSHIP:
        department = None
        boxes = selectors.leadership_inbox()
        labels = [("escalated", _("升级督办")), ("overdue", _("其他超期"))]
    else:
        boxes = selectors.department_inbox(department=department)
        labels = [("new", _("待受理")), ("in_progress", _("办理中")), ("overdue", _("已超期"))]
    limit = 50
    context = {
        "department": department,
        "boxes": [(key, label, list(boxes[key][: limit + 1])) for key, label in labels],
        "limit": limit,
        "escalate_after": selectors.escalate_after_days(),
    }
    return render(request, "services/demand_inbox.html", context)


TRANSITION_FORMS = {
    DemandEvent.Action.ACCEPT: forms.AcceptForm,
    DemandEvent.Action.CLOSE: forms.CloseForm,
    DemandEvent.Action.FOLLOW_UP: forms.FollowUpForm,
    DemandEvent.Action.RETURN: forms.ReturnForm,
    DemandEvent.Action.REASSIGN: forms.ReassignForm,
    DemandEvent.Action.INSTRUCT: forms.InstructForm,
}


def _transition(action: str, demand: Demand, user, data: dict) -> Demand:
    """Hand a validated transition form to its service: the one way to move a demand."""
    if action == DemandEvent.Action.ACCEPT:
        return services.demand_accept(
            demand=demand,
            by=user,
            assignee=data["assignee"],
            comment=data["comment"],
            deadline=data["deadline"],
        )
    if action == DemandEvent.Action.CLOSE:
        return services.demand_close(
            demand=demand, by=user, resolution=data["resolution"], closed_on=data["closed_on"]
        )
    if action == DemandEvent.Action.FOLLOW_UP:
        return services.demand_follow_up(
            demand=demand, by=user, satisfaction=data["satisfaction"], comment=data["comment"]
        )
    if action == DemandEvent.Action.RETURN:
        return services.demand_return(demand=demand, by=user, reason=data["reason"])
    if action == DemandEvent.Action.INSTRUCT:
        return services.demand_instruct(demand=demand, by=user, instruction=data["instruction"])
    return services.demand_reassign(
        demand=demand, by=user, department=data["department"], reason=data["reason"]
    )


def _demand_detail_context(request, demand, bound: tuple[str, object] | None = None) -> dict:
    allowed = services.demand_allowed_actions(user=request.user, demand=demand)
    action_forms = []
    for action in allowed:
        if bound and bound[0] == action:
            form = bound[1]
        else:
            form = TRANSITION_FORMS[action](demand=demand, prefix=action)
        action_forms.append((action, DemandEvent.Action(action).label, form))
    return {
        "demand": demand,
        "events": demand.events.all(),
        "action_forms": action_forms,
        "open_action": bound[0] if bound else "",
        "escalate_after": selectors.escalate_after_days(),
    }


@login_required
@permission_required("services.view_demand", raise_exception=True)
def demand_detail(request, pk: int):
    try:
        demand = selectors.demand_detail(pk)
    except Demand.DoesNotExist as missing:
        raise Http404 from missing
    return render(request, "services/demand_detail.html", _demand_detail_context(request, demand))


@require_POST
@login_required
@permission_required("services.view_demand", raise_exception=True)
def demand_transition(request, pk: int, action: str):
    if action not in TRANSITION_FORMS:
        raise Http404
    demand = get_object_or_404(Demand.objects.select_related("department"), pk=pk)
    reason = services.CHECKS[action](request.user, demand)
    form = TRANSITION_FORMS[action](request.POST, demand=demand, prefix=action)
    if reason and not request.user.has_perm("services.change_demand"):
        raise PermissionDenied(reason)
    if form.is_valid():
        try:
            with transaction.atomic():
                _transition(action, demand, request.user, form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request, _("已%(action)s") % {"action": DemandEvent.Action(action).label}
            )
            return redirect("services:demand_detail", pk=pk)
    detail = selectors.demand_detail(pk)
    context = _demand_detail_context(request, detail, bound=(action, form))
    if action not in [allowed for allowed, _label, _form in context["action_forms"]]:
        # The action is not (or no longer: someone else acted first) allowed: say why.
        context["refusal"] = reason or " ".join(form.non_field_errors())
    return render(request, "services/demand_detail.html", context, status=400)


@login_required
@permission_required("services.add_demand", raise_exception=True)
def demand_create(request):
    initial = {}
    if request.GET.get("enterprise"):
        initial["enterprise"] = _enterprise_name(request.GET["enterprise"])
    form = forms.DemandForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                demand = services.demand_create(
                    enterprise=data["enterprise"],
                    source=data["source"],
                    category=data["category"],
                    description=data["description"],
                    priority=data["priority"],
                    raised_on=data["raised_on"],
                    department=data["department"],
                    deadline=data["deadline"],
                    by=request.user,
                )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("诉求已登记"))
            return redirect("services:demand_detail", pk=demand.pk)
    return render(
        request,
        "services/form.html",
        {"form": form, "title": _("登记诉求"), "enterprise_search": True},
        status=400 if form.errors else 200,
    )


def _enterprise_name(value: str) -> str:
    if value.isdigit():
        return Enterprise.objects.filter(pk=int(value)).values_list("name", flat=True).first() or ""
    return value


# --- Visits -----------------------------------------------------------------------------------


class VisitListView(FilteredListView):
    permission_required = "services.view_visit"
    filterset_class = filters.VisitFilter
    template_name = "services/visit_list.html"
    export_filename = "走访记录"
    export_columns = [
        Column(gettext_lazy("走访日期"), "visited_on", 12),
        Column(gettext_lazy("企业"), "enterprise.name", 30),
        Column(gettext_lazy("方式"), "get_method_display", 10),
        Column(
            gettext_lazy("走访人员"),
            lambda v: "、".join(user.get_full_name() for user in v.staff.all()),
            20,
        ),
        Column(gettext_lazy("走访目的"), "purpose", 30),
        Column(gettext_lazy("走访情况"), "findings", 50),
        Column(gettext_lazy("诉求数"), "demand_count", 8),
    ]

    def get_base_queryset(self):
        return selectors.visit_list()


@login_required
@permission_required("services.add_visit", raise_exception=True)
def visit_create(request):
    """Log a visit and the demands raised during it, in one form that works on a phone.
    On error everything typed is shown again; the browser also keeps a draft."""
    initial = {}
    if request.GET.get("enterprise"):
        initial["enterprise"] = _enterprise_name(request.GET["enterprise"])
    form = forms.VisitForm(request.POST or None, initial=initial, user=request.user)
    formset = forms.VisitDemandFormSet(request.POST or None, prefix="demands")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [
            row.cleaned_data
            for row in formset.forms
            if row.has_changed() and not row.cleaned_data.get("DELETE")
        ]
        data = form.cleaned_data
        try:
            with transaction.atomic():
                visit = services.visit_create(
                    enterprise=data["enterprise"],
                    visited_on=data["visited_on"],
                    staff=data["staff"],
                    method=data["method"],
                    purpose=data["purpose"],
                    findings=data["findings"],
                    demands=[
                        services.DemandInput(
                            category=row["category"],
                            description=row["description"],
                            priority=row["priority"],
                            department=row["department"],
                            deadline=row["deadline"],
                        )
                        for row in rows
                    ],
                    by=request.user,
                )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("走访已登记，诉求 %(count)d 条") % {"count": len(rows)},
            )
            return redirect("services:visit_detail", pk=visit.pk)
    return render(
        request,
        "services/visit_form.html",
        {"form": form, "formset": formset, "saved": False},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@permission_required("services.view_visit", raise_exception=True)
def visit_detail(request, pk: int):
    visit = get_object_or_404(
        Visit.objects.select_related("enterprise", "created_by").prefetch_related("staff"), pk=pk
    )
    demands = selectors.demand_list().filter(visit=visit).order_by("id")
    return render(
        request,
        "services/visit_detail.html",
        {
            "visit": visit,
            "demands": demands,
            "can_update": services.check_visit_update(request.user, visit) is None,
        },
    )


@login_required
@permission_required("services.view_visit", raise_exception=True)
def visit_update(request, pk: int):
    """Correct a visit within a week of logging it (the officers who went, or its logger).
    Those who may not get 403 with the reason; a visit past the week shows why, unchanged."""
    visit = get_object_or_404(
        Visit.objects.select_related("enterprise", "created_by").prefetch_related("staff"), pk=pk
    )
    if not permissions.is_visit_participant(request.user, visit):
        raise PermissionDenied(services.check_visit_update(request.user, visit))
    refusal = services.check_visit_update(request.user, visit)
    form = forms.VisitUpdateForm(request.POST or None, instance=visit, user=request.user)
    # A refusal (too late) is shown above the form, which stays readable but is not saved.
    if not refusal and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.visit_update(
                    visit=visit,
                    by=request.user,
                    visited_on=data["visited_on"],
                    method=data["method"],
                    staff=data["staff"],
                    purpose=data["purpose"],
                    findings=data["findings"],
                )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("走访记录已修改"))
            return redirect("services:visit_detail", pk=visit.pk)
    return render(
        request,
        "services/visit_form.html",
        {
            "form": form,
            "visit": visit,
            "refusal": refusal,
            "correction_days": permissions.VISIT_CORRECTION_DAYS,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def enterprise_search(request):
    """Names for the enterprise field's suggestions: at most 20, by part of the name."""
    if not (
        request.user.has_perm("services.view_visit")
        or request.user.has_perm("services.view_demand")
    ):
        raise PermissionDenied
    term = request.GET.get("q", "").strip()
    names = []
    # PostgreSQL text cannot hold NUL: no name contains one, and the query itself would fail.
    if term and "\x00" not in term:
        names = list(
            Enterprise.objects.filter(name__icontains=term)
            .exclude(status=Enterprise.Status.MOVED_OUT)
            .order_by("name")
            .values_list("name", flat=True)[:20]
        )
    return JsonResponse({"results": names})


def _date_param(request, name: str, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return default


def _int_param(request, name: str, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(request.GET.get(name, default))))
    except ValueError:
        return default


@login_required
@permission_required("services.view_visit", raise_exception=True)
def visit_report(request):
    """Visits per staff member and department in a week, against the target."""
    week_of = _date_param(request, "week", timezone.localdate())
    target = _int_param(request, "target", selectors.weekly_visit_target(), 0, 50)
    report = selectors.weekly_visit_report(week_of=week_of, target=target)
    previous = report["start"] - datetime.timedelta(days=7)
    following = report["start"] + datetime.timedelta(days=7)
    return render(
        request,
        "services/visit_report.html",
        {"report": report, "previous": previous, "following": following, "week_of": week_of},
    )


@login_required
@permission_required("services.view_visit", raise_exception=True)
def coverage(request):
    """Enterprises not visited for N days, and warned enterprises without a recent visit."""
    days = _int_param(request, "days", selectors.not_visited_days(), 1, 3650)
    mine = request.GET.get("mine") == "1"
    responsible = request.user if mine else None
    not_visited = selectors.enterprises_not_visited(days=days, responsible=responsible)
    declining, period = selectors.decline_enterprises_not_visited(responsible=responsible)
    limit = 100
    return render(
        request,
        "services/coverage.html",
        {
            "days": days,
            "mine": mine,
            "not_visited": list(not_visited[:limit]),
            "not_visited_count": not_visited.count(),
            "declining": list(declining),
            "period": period,
            "limit": limit,
        },
    )


@login_required
@permission_required("services.view_demand", raise_exception=True)
def outcomes(request):
    today = timezone.localdate()
    # By default the year of the newest demand (this year once one is raised), to today.
    latest = selectors.latest_demand_day()
    year = latest.year if latest else today.year
    start = _date_param(request, "start", datetime.date(year, 1, 1))
    end = _date_param(request, "end", min(datetime.date(year, 12, 31), today))
    if end < start:
        start, end = end, start
    figures = selectors.outcome_figures(start=start, end=end)
    return render(request, "services/outcomes.html", {"figures": figures, "latest": latest})


# --- Bank matchmaking ---------------------------------------------------------------------------


class LoanIntentListView(FilteredListView):
    permission_required = "services.view_loanintent"
    filterset_class = filters.LoanIntentFilter
    template_name = "services/loan_list.html"
    export_filename = "贷款意向"
    export_columns = [
        Column(gettext_lazy("企业"), "enterprise.name", 30),
        Column(gettext_lazy("金融机构"), "institution.name", 24),
        Column(gettext_lazy("对接会"), "meeting", 24),
        Column(gettext_lazy("意向金额（万元）"), "amount"),
        Column(gettext_lazy("签订日期"), "signed_on", 12),
        Column(gettext_lazy("状态"), "get_status_display", 10),
        Column(gettext_lazy("授信金额（万元）"), "credit_amount"),
        Column(gettext_lazy("放款金额（万元）"), "disbursed_amount"),
        Column(gettext_lazy("未成功原因"), "failure_reason", 24),
    ]

    def get_base_queryset(self):
        return selectors.loan_intent_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filtered = self.filterset.qs.order_by()
        context["by_institution"] = selectors.loan_totals_by_institution(filtered)
        context["totals"] = selectors.loan_totals(filtered)
        context["can_manage"] = permissions.can_manage_financing(self.request.user)
        return context


def _model_form_page(request, *, form, title: str, success_url, message: str):
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                instance = form.save()
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, message)
            return redirect(success_url(instance))
    return render(
        request,
        "services/form.html",
        {"form": form, "title": title, "enterprise_search": "enterprise" in form.fields},
        status=400 if form.errors else 200,
    )


@login_required
@permission_required("services.add_loanintent", raise_exception=True)
def loan_create(request):
    return _model_form_page(
        request,
        form=forms.LoanIntentForm(request.POST or None),
        title=_("登记贷款意向"),
        success_url=lambda intent: reverse("services:loan_detail", args=[intent.pk]),
        message=_("贷款意向已登记"),
    )


@login_required
@permission_required("services.view_loanintent", raise_exception=True)
def loan_detail(request, pk: int):
    intent = get_object_or_404(selectors.loan_intent_list(), pk=pk)
    form = final = None
    if permissions.can_manage_financing(request.user):
        if services.LOAN_NEXT[intent.status]:
            form = forms.LoanAdvanceForm(request.POST or None, intent=intent)
        else:
            final = _("贷款意向已是“%(status)s”，不能再变更状态") % {
                "status": intent.get_status_display()
            }
    return _advance_page(
        request,
        form=form,
        advance=lambda data: services.loan_intent_advance(intent=intent, by=request.user, **data),
        template="services/loan_detail.html",
        context={"intent": intent},
        final=final,
    )


def _advance_page(request, *, form, advance, template: str, context: dict, final=None):
    """A record's page with the form that moves it to its next status (None when the user
    may not, or the record is final); POST hands the form's data to the service.
    `final` says, to a user who could otherwise move it, why a final record cannot move."""
    if request.method == "POST":
        if form is None and final:
            messages.error(request, final)
            return render(request, template, {**context, "form": None}, status=400)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                with transaction.atomic():
                    advance(form.cleaned_data)
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("状态已更新"))
                return redirect(request.path)
    return render(
        request,
        template,
        {**context, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


class FinancingNeedListView(FilteredListView):
    permission_required = "services.view_financingneed"
    filterset_class = filters.FinancingNeedFilter
    template_name = "services/need_list.html"
    export_filename = "融资需求"
    export_columns = [
        Column(gettext_lazy("企业"), "enterprise.name", 30),
        Column(gettext_lazy("融资需求（万元）"), "amount"),
        Column(gettext_lazy("用途"), "purpose", 30),
        Column(gettext_lazy("提出日期"), "raised_on", 12),
        Column(gettext_lazy("对接会"), "meeting", 24),
    ]

    def get_base_queryset(self):
        return selectors.financing_need_list()


@login_required
@permission_required("services.add_financingneed", raise_exception=True)
def need_create(request):
    return _model_form_page(
        request,
        form=forms.FinancingNeedForm(request.POST or None),
        title=_("登记融资需求"),
        success_url=lambda need: reverse("services:need_list"),
        message=_("融资需求已登记"),
    )


class MeetingListView(FilteredListView):
    permission_required = "services.view_matchmakingmeeting"
    filterset_class = filters.MeetingFilter
    template_name = "services/meeting_list.html"
    export_filename = "政银企对接会"
    export_columns = [
        Column(gettext_lazy("日期"), "held_on", 12),
        Column(gettext_lazy("会议名称"), "title", 30),
        Column(gettext_lazy("组织单位"), "organiser", 16),
        Column(gettext_lazy("金融机构数"), "institution_count"),
        Column(gettext_lazy("企业数"), "enterprise_count"),
        Column(gettext_lazy("贷款意向数"), "intent_count"),
    ]

    def get_base_queryset(self):
        return selectors.meeting_list()


@login_required
@permission_required("services.view_matchmakingmeeting", raise_exception=True)
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(
        MatchmakingMeeting.objects.prefetch_related("institutions", "enterprises"), pk=pk
    )
    intents = selectors.loan_intent_list().filter(meeting=meeting)
    needs = selectors.financing_need_list().filter(meeting=meeting)
    return render(
        request,
        "services/meeting_detail.html",
        {
            "meeting": meeting,
            "intents": intents,
            "needs": needs,
            "totals": selectors.loan_totals(intents),
        },
    )


@login_required
@permission_required("services.add_matchmakingmeeting", raise_exception=True)
def meeting_create(request):
    return _model_form_page(
        request,
        form=forms.MeetingForm(request.POST or None),
        title=_("登记政银企对接会"),
        success_url=lambda meeting: reverse("services:meeting_detail", args=[meeting.pk]),
        message=_("对接会已登记"),
    )


# --- Policy applications ------------------------------------------------------------------------


class ApplicationListView(FilteredListView):
    permission_required = "services.view_policyapplication"
    filterset_class = filters.ApplicationFilter
    template_name = "services/application_list.html"
    export_filename = "惠企政策申报"
    export_columns = [
        Column(gettext_lazy("企业"), "enterprise.name", 30),
        Column(gettext_lazy("政策项目"), "programme.name", 30),
        Column(gettext_lazy("级别"), "programme.get_level_display", 8),
        Column(gettext_lazy("申报年度"), "year", 8),
        Column(gettext_lazy("状态"), "get_status_display", 8),
        Column(
            gettext_lazy("辅导人员"),
            lambda a: "、".join(user.get_full_name() for user in a.helpers.all()),
            16,
        ),
        Column(gettext_lazy("开始辅导"), "started_on", 12),
        Column(gettext_lazy("申报日期"), "submitted_on", 12),
        Column(gettext_lazy("结果日期"), "decided_on", 12),
        Column(gettext_lazy("获批金额（万元）"), "amount_granted"),
    ]

    def get_base_queryset(self):
        return selectors.application_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = permissions.can_manage_applications(self.request.user)
        return context


@login_required
@permission_required("services.add_policyapplication", raise_exception=True)
def application_create(request):
    return _model_form_page(
        request,
        form=forms.ApplicationForm(request.POST or None),
        title=_("登记政策申报"),
        success_url=lambda application: reverse(
            "services:application_detail", args=[application.pk]
        ),
        message=_("政策申报已登记"),
    )


@login_required
@permission_required("services.view_policyapplication", raise_exception=True)
def application_detail(request, pk: int):
    application = get_object_or_404(
        selectors.application_list().select_related("programme__grants_qualification"), pk=pk
    )
    form = final = None
    if permissions.can_manage_applications(request.user):
        if services.APPLICATION_NEXT[application.status]:
            form = forms.ApplicationAdvanceForm(request.POST or None, application=application)
        else:
            final = _("申报已是“%(status)s”，不能再变更状态") % {
                "status": application.get_status_display()
            }
    return _advance_page(
        request,
        form=form,
        advance=lambda data: services.application_advance(
            application=application, by=request.user, **data
        ),
        template="services/application_detail.html",
        context={"application": application},
        final=final,
    )
