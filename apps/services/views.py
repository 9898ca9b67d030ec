"""Staff pages of enterprise service: thin, calling selectors and services.

Lists are ListPage definitions (apps.core.views), forms go through form_page, and the three
state machines (demands, loan intents, policy applications) through WorkflowActionView: one
refusal rule and one status code for the same refusal on the page and in the API.
"""

import datetime

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.dates import EARLIEST
from apps.core.errors import NotAllowed
from apps.core.lists import Col, FilterForm, status_badge
from apps.core.views import ListPage, WorkflowActionView, WorkflowPage, form_page, workflow_panel
from apps.enterprises.models import Enterprise
from apps.services import filters, forms, permissions, selectors, services
from apps.services.models import (
    Demand,
    DemandCategory,
    MatchmakingMeeting,
    Visit,
)
from apps.services.templatetags.services_tags import STATUS_COLOURS, overdue_badge

_l = gettext_lazy


def _deadline(demand):
    return format_html("{} {}", demand.deadline.strftime("%Y-%m-%d"), overdue_badge(demand))


def _demand_url(demand):
    return reverse("services:demand_detail", args=[demand.pk])


# --- Demands ----------------------------------------------------------------------------------

DEMAND_COLUMNS = [
    Col(_l("编号"), "pk", link=_demand_url, display=lambda d: f"#{d.pk}", card="title", width=8),
    Col(_l("类别"), "category.name", card="title", width=10),
    Col(_l("企业"), "enterprise.name", card="meta", width=30),
    Col(_l("来源"), "get_source_display", table=False, card=None, width=10),
    Col(
        _l("诉求内容"),
        "description",
        display=lambda d: d.description[:60],
        card="line",
        width=50,
        css="wrap",
    ),
    Col(_l("责任部门"), "department.name", width=12),
    Col(
        _l("承办人"),
        lambda d: d.assignee.get_full_name() if d.assignee else "",
        source=selectors.full_name_sql("assignee"),
    ),
    Col(_l("优先级"), "get_priority_display", table=False, card=None, width=8),
    Col(
        _l("状态"),
        "get_status_display",
        display=status_badge(STATUS_COLOURS),
        card="badge",
        width=8,
    ),
    Col(_l("提出日期"), "raised_on", table=False, card=None, width=12),
    Col(_l("办理期限"), "deadline", display=_deadline, width=12),
    Col(_l("超期天数"), "overdue_days", table=False, card=None, width=8),
    Col(_l("办结日期"), "closed_on", table=False, card=None, width=12),
    Col(_l("办理结果"), "resolution", table=False, card=None, width=40),
    Col(_l("满意度"), "get_satisfaction_display", table=False, card=None, width=10),
]
DEMAND_FILTER_FORM = FilterForm(
    hidden=("enterprise", "assignee"), primary=("q", "status", "overdue")
)


class DemandListView(ListPage):
    permission_required = "services.view_demand"
    filterset_class = filters.DemandFilter
    filter_form = DEMAND_FILTER_FORM
    columns = DEMAND_COLUMNS
    title = _l("全部诉求")
    template_name = "services/demand_list.html"
    export_filename = _l("诉求")
    empty_text = _l("没有诉求")
    create_url = reverse_lazy("services:demand_create")
    create_perm = "services.add_demand"
    create_label = _l("登记诉求")

    def get_base_queryset(self):
        return selectors.demand_list()


class MyDemandsView(DemandListView):
    """Demands assigned to me and still in progress."""

    title = _l("我承办的诉求")
    template_name = "services/demand_mine.html"
    export_filename = _l("我承办的诉求")
    empty_text = _l("没有由您承办的诉求")
    create_url = None

    def get_base_queryset(self):
        return selectors.demands_assigned_to(self.request.user).order_by("deadline", "id")

    def get_api_filters(self):
        return {"assignee": self.request.user.pk, "status": Demand.Status.IN_PROGRESS}


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
    # A screenful per box, with "查看全部" to the paginated list: three boxes of 50 rows
    # (cards and table) made a 240 KB page at 30,000 demands.
    limit = 20
    context = {
        "demand_columns": DEMAND_COLUMNS,
        "department": department,
        "boxes": [(key, label, list(boxes[key][: limit + 1])) for key, label in labels],
        "limit": limit,
        "escalate_after": selectors.escalate_after_days(),
    }
    return render(request, "services/demand_inbox.html", context)


def _demand_context(request, demand) -> dict:
    return {
        "demand": demand,
        "events": demand.events.all(),
        "escalate_after": selectors.escalate_after_days(),
    }


@login_required
@permission_required("services.view_demand", raise_exception=True)
def demand_detail(request, pk: int):
    try:
        demand = selectors.demand_detail(pk)
    except Demand.DoesNotExist as missing:
        raise Http404 from missing
    context = _demand_context(request, demand)
    context.update(workflow_panel(services.DEMAND_WORKFLOW, request.user, demand))
    return render(request, "services/demand_detail.html", context)


class DemandTransitionView(WorkflowActionView):
    workflow = services.DEMAND_WORKFLOW
    template_name = "services/demand_detail.html"
    view_permission = "services.view_demand"
    queryset = staticmethod(selectors.demand_list)
    detail_url_name = "services:demand_detail"

    def get_context(self, obj):
        return _demand_context(self.request, selectors.demand_detail(obj.pk))


def _enterprise_initial(request) -> dict:
    project = request.GET.get("project", "")
    if project.isdigit() and len(project) < 19:
        from apps.projects.models import Project

        found = Project.objects.filter(pk=int(project)).select_related("enterprise").first()
        if found is not None:
            initial = {
                "enterprise": found.enterprise.name,
                "project": found.pk,
                "source": Demand.Source.PROJECT,
            }
            topic = request.GET.get("topic", "")
            if topic.startswith("approval:"):
                # A problem with a 前期手续: 手续办理, routed to 行政审批局 by its category.
                from apps.projects.models import approval_kinds

                label = dict(approval_kinds()).get(topic.removeprefix("approval:"))
                category = DemandCategory.objects.filter(code="procedure").first()
                if label and category:
                    initial["category"] = category.pk
                    initial["description"] = _("前期手续“%(kind)s”办理遇到问题：") % {"kind": label}
            return initial
    value = request.GET.get("enterprise", "")
    if value.isdigit() and len(value) < 19:
        name = Enterprise.objects.filter(pk=int(value)).values_list("name", flat=True).first()
        return {"enterprise": name or ""}
    return {"enterprise": value[:128]} if value else {}


@login_required
@permission_required("services.add_demand", raise_exception=True)
def demand_create(request):
    form = forms.DemandForm(
        request.POST or None, initial=_enterprise_initial(request), user=request.user
    )
    return form_page(
        request,
        form=form,
        save=lambda data: services.demand_create(**data, by=request.user),
        success=lambda demand: (_("诉求已登记"), _demand_url(demand)),
        template="services/form.html",
        context={"title": _("登记诉求")},
    )


# --- Visits -----------------------------------------------------------------------------------


def _visit_url(visit):
    return reverse("services:visit_detail", args=[visit.pk])


def _staff_names(visit):
    return "、".join(user.get_full_name() for user in visit.staff.all())


class VisitListView(ListPage):
    permission_required = "services.view_visit"
    filterset_class = filters.VisitFilter
    filter_form = FilterForm(hidden=("enterprise",), primary=("q", "visited_from"))
    title = _l("走访记录")
    template_name = "services/visit_list.html"
    export_filename = _l("走访记录")
    empty_text = _l("没有走访记录")
    create_url = reverse_lazy("services:visit_create")
    create_perm = "services.add_visit"
    create_label = _l("登记走访")
    columns = [
        Col(_l("走访日期"), "visited_on", link=_visit_url, card="badge", width=12),
        Col(_l("企业"), "enterprise.name", card="title", width=30),
        Col(_l("方式"), "get_method_display", width=10),
        Col(_l("走访人员"), _staff_names, width=20, source=selectors.visit_staff_names_sql()),
        Col(_l("走访目的"), "purpose", card="line", width=30, css="wrap"),
        Col(_l("走访情况"), "findings", table=False, card=None, width=50),
        Col(_l("诉求数"), "demand_count", width=8),
    ]

    def get_base_queryset(self):
        return selectors.visit_list()


@login_required
@permission_required("services.add_visit", raise_exception=True)
def visit_create(request):
    """Log a visit and the demands raised during it, in one form that works on a phone.
    On error everything typed is shown again; the browser also keeps a draft."""
    form = forms.VisitForm(
        request.POST or None, initial=_enterprise_initial(request), user=request.user
    )
    formset = forms.VisitDemandFormSet(request.POST or None, prefix="demands")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and formset.is_valid():
            rows = [row.cleaned_data for row in formset.forms if row.has_changed()]
            return form_page(
                request,
                form=form,
                save=lambda data: services.visit_create(
                    **data,
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
                ),
                success=lambda visit: (
                    _("走访已登记，诉求 %(count)d 条") % {"count": len(rows)},
                    _visit_url(visit),
                ),
                template="services/visit_form.html",
                context={"formset": formset, "saved": False},
            )
    return render(
        request,
        "services/visit_form.html",
        {"form": form, "formset": formset, "saved": False},
        status=status,
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
            "demand_columns": DEMAND_COLUMNS,
            "can_update": services.visit_update_refusal(request.user, visit) is None,
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
    refusal = services.visit_update_refusal(request.user, visit)
    if isinstance(refusal, NotAllowed):
        raise refusal
    form = forms.VisitUpdateForm(request.POST or None, instance=visit, user=request.user)
    context = {
        "visit": visit,
        "refusal": refusal.messages[0] if refusal else "",
        "correction_days": permissions.VISIT_CORRECTION_DAYS,
    }
    if refusal and request.method == "POST":
        # Too late: the form stays readable, nothing is saved.
        return render(request, "services/visit_form.html", {"form": form, **context}, status=400)
    return form_page(
        request,
        form=form,
        save=lambda data: services.visit_update(visit=visit, by=request.user, **data),
        success=lambda saved: (_("走访记录已修改"), _visit_url(saved)),
        template="services/visit_form.html",
        context=context,
    )


def _date_param(request, name: str, default: datetime.date) -> datetime.date:
    """A date from the query string, within the portal's date range (apps.core.dates)."""
    try:
        day = datetime.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return default
    if not EARLIEST <= day <= timezone.localdate() + datetime.timedelta(days=366):
        return default
    return day


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


COVERAGE_PAGE_SIZE = 25


@login_required
@permission_required("services.view_visit", raise_exception=True)
def coverage(request):
    """Enterprises not visited for N days, and warned enterprises without a recent visit."""
    days = _int_param(request, "days", selectors.not_visited_days(), 1, 3650)
    mine = request.GET.get("mine") == "1"
    responsible = request.user if mine else None
    not_visited = selectors.enterprises_not_visited(days=days, responsible=responsible)
    declining, period = selectors.decline_enterprises_not_visited(responsible=responsible)
    # Paginated: a phone shows a screenful of cards at a time, not every enterprise of the zone.
    page_obj = Paginator(not_visited, COVERAGE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "services/coverage.html",
        {
            "days": days,
            "mine": mine,
            "page_obj": page_obj,
            "not_visited_count": page_obj.paginator.count,
            "declining": list(declining),
            "period": period,
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


def _loan_url(intent):
    return reverse("services:loan_detail", args=[intent.pk])


LOAN_COLUMNS = [
    Col(_l("企业"), "enterprise.name", link=_loan_url, card="title", width=30),
    Col(_l("金融机构"), "institution.name", card="line", width=24),
    Col(_l("对接会"), "meeting", table=False, card=None, width=24),
    Col(_l("意向金额（万元）"), "amount", fmt="amount", css="text-end"),
    Col(_l("签订日期"), "signed_on", width=12),
    Col(
        _l("状态"),
        "get_status_display",
        display=status_badge(STATUS_COLOURS),
        card="badge",
        width=10,
    ),
    Col(_l("授信金额（万元）"), "credit_amount", fmt="amount", css="text-end"),
    Col(_l("放款金额（万元）"), "disbursed_amount", fmt="amount", css="text-end"),
    Col(_l("未成功原因"), "failure_reason", table=False, card=None, width=24),
]


class LoanIntentListView(ListPage):
    permission_required = "services.view_loanintent"
    filterset_class = filters.LoanIntentFilter
    filter_form = FilterForm(hidden=("enterprise",), primary=("institution", "status"))
    title = _l("贷款意向")
    template_name = "services/loan_list.html"
    export_filename = _l("贷款意向")
    create_url = reverse_lazy("services:loan_create")
    create_perm = "services.change_loanintent"
    create_label = _l("登记贷款意向")
    columns = LOAN_COLUMNS

    def get_base_queryset(self):
        return selectors.loan_intent_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filtered = self.filterset.qs.order_by()
        context["by_institution"] = selectors.loan_totals_by_institution(filtered)
        context["totals"] = selectors.loan_totals(filtered)
        return context


@login_required
@permission_required("services.add_loanintent", raise_exception=True)
def loan_create(request):
    return form_page(
        request,
        form=forms.LoanIntentForm(request.POST or None),
        save=lambda data: services.loan_intent_create(**data, by=request.user),
        success=lambda intent: (_("贷款意向已登记"), _loan_url(intent)),
        template="services/form.html",
        context={"title": _("登记贷款意向")},
    )


class LoanPages(WorkflowPage):
    """A loan intent's page and its actions (services.LOAN_WORKFLOW)."""

    workflow = services.LOAN_WORKFLOW
    queryset = staticmethod(selectors.loan_intent_list)
    template_name = "services/loan_detail.html"
    view_permission = "services.view_loanintent"
    detail_url_name = "services:loan_detail"
    context_name = "intent"


class FinancingNeedListView(ListPage):
    permission_required = "services.view_financingneed"
    filterset_class = filters.FinancingNeedFilter
    filter_form = FilterForm(hidden=("enterprise",), primary=("q", "enterprise_name"))
    title = _l("融资需求")
    template_name = "services/need_list.html"
    export_filename = _l("融资需求")
    create_url = reverse_lazy("services:need_create")
    create_perm = "services.add_financingneed"
    create_label = _l("登记融资需求")
    columns = [
        Col(_l("企业"), "enterprise.name", card="title", width=30),
        Col(_l("融资需求（万元）"), "amount", fmt="amount", card="badge", css="text-end"),
        Col(_l("用途"), "purpose", card="line", width=30, css="wrap"),
        Col(_l("提出日期"), "raised_on", width=12),
        Col(_l("对接会"), "meeting", width=24),
    ]

    def get_base_queryset(self):
        return selectors.financing_need_list()


@login_required
@permission_required("services.add_financingneed", raise_exception=True)
def need_create(request):
    return form_page(
        request,
        form=forms.FinancingNeedForm(request.POST or None),
        save=lambda data: services.financing_need_save(**data, by=request.user),
        success=lambda need: (_("融资需求已登记"), reverse("services:need_list")),
        template="services/form.html",
        context={"title": _("登记融资需求")},
    )


def _meeting_url(meeting):
    return reverse("services:meeting_detail", args=[meeting.pk])


class MeetingListView(ListPage):
    permission_required = "services.view_matchmakingmeeting"
    filterset_class = filters.MeetingFilter
    title = _l("政银企对接会")
    template_name = "services/meeting_list.html"
    export_filename = _l("政银企对接会")
    create_url = reverse_lazy("services:meeting_create")
    create_perm = "services.add_matchmakingmeeting"
    create_label = _l("登记对接会")
    columns = [
        Col(_l("日期"), "held_on", card="badge", width=12),
        Col(_l("会议名称"), "title", link=_meeting_url, card="title", width=30),
        Col(_l("组织单位"), "organiser", width=16),
        Col(_l("金融机构数"), "institution_count"),
        Col(_l("企业数"), "enterprise_count"),
        Col(_l("贷款意向数"), "intent_count"),
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
            "loan_columns": LOAN_COLUMNS,
            "needs": needs,
            "totals": selectors.loan_totals(intents),
        },
    )


@login_required
@permission_required("services.add_matchmakingmeeting", raise_exception=True)
def meeting_create(request):
    def save(data):
        data = dict(data)
        data["enterprises"] = data.pop("enterprise_names")
        return services.meeting_save(**data, by=request.user)

    return form_page(
        request,
        form=forms.MeetingForm(request.POST or None),
        save=save,
        success=lambda meeting: (_("对接会已登记"), _meeting_url(meeting)),
        template="services/form.html",
        context={"title": _("登记政银企对接会")},
    )


# --- Policy applications ------------------------------------------------------------------------


def _application_url(application):
    return reverse("services:application_detail", args=[application.pk])


class ApplicationListView(ListPage):
    permission_required = "services.view_policyapplication"
    filterset_class = filters.ApplicationFilter
    filter_form = FilterForm(hidden=("enterprise",), primary=("programme", "status", "year"))
    title = _l("惠企政策申报")
    template_name = "services/application_list.html"
    export_filename = _l("惠企政策申报")
    create_url = reverse_lazy("services:application_create")
    create_perm = "services.change_policyapplication"
    create_label = _l("登记政策申报")
    columns = [
        Col(_l("企业"), "enterprise.name", link=_application_url, card="title", width=30),
        Col(_l("政策项目"), "programme.name", card="line", width=30),
        Col(_l("级别"), "programme.get_level_display", width=8),
        Col(_l("申报年度"), "year", width=8),
        Col(
            _l("状态"),
            "get_status_display",
            display=status_badge(STATUS_COLOURS),
            card="badge",
            width=8,
        ),
        Col(
            _l("辅导人员"),
            lambda a: "、".join(user.get_full_name() for user in a.helpers.all()),
            width=16,
        ),
        Col(_l("开始辅导"), "started_on", table=False, card=None, width=12),
        Col(_l("申报日期"), "submitted_on", width=12),
        Col(_l("结果日期"), "decided_on", width=12),
        Col(_l("获批金额（万元）"), "amount_granted", fmt="amount", css="text-end"),
    ]

    def get_base_queryset(self):
        return selectors.application_list()


@login_required
@permission_required("services.add_policyapplication", raise_exception=True)
def application_create(request):
    return form_page(
        request,
        form=forms.ApplicationForm(request.POST or None),
        save=lambda data: services.application_create(**data, by=request.user),
        success=lambda application: (_("政策申报已登记"), _application_url(application)),
        template="services/form.html",
        context={"title": _("登记政策申报")},
    )


class ApplicationPages(WorkflowPage):
    """A policy application's page and its actions (services.APPLICATION_WORKFLOW)."""

    workflow = services.APPLICATION_WORKFLOW
    queryset = staticmethod(
        lambda: selectors.application_list().select_related("programme__grants_qualification")
    )
    template_name = "services/application_detail.html"
    view_permission = "services.view_policyapplication"
    detail_url_name = "services:application_detail"
    context_name = "application"
