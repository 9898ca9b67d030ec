from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.generic import DetailView, TemplateView

from apps.core import jobs
from apps.core.excel import xlsx_response
from apps.core.lists import Col, FilterForm, badge, short_date, status_badge
from apps.core.models import BackgroundJob
from apps.core.units import to_yi
from apps.core.views import ListPage, form_page
from apps.enterprises import hooks, imports, selectors, services
from apps.enterprises.filters import EnterpriseFilter, QualificationFilter
from apps.enterprises.forms import (
    EnterpriseForm,
    MembershipForm,
    MonthlyReportUploadForm,
    PeriodForm,
    QualificationForm,
    StatisticsForm,
)
from apps.enterprises.models import (
    ChainNode,
    Enterprise,
    IndustryChain,
    Qualification,
    StatisticsMembership,
)
from apps.enterprises.permissions import can_edit_enterprises, can_import_statistics

ENTERPRISE_STATUS_COLOURS = {
    Enterprise.Status.OPERATING: "success",
    Enterprise.Status.MOVED_OUT: "secondary",
    Enterprise.Status.HALTED: "danger",
    Enterprise.Status.PREPARING: "light",
    Enterprise.Status.CONSTRUCTING: "info",
}
QUALIFICATION_STATUS_COLOURS = {
    Qualification.Status.VALID: "success",
    Qualification.Status.EXPIRING: "warning",
    Qualification.Status.EXPIRED: "secondary",
}


def _enterprise_tags(enterprise):
    tags = []
    if enterprise.is_strategic_emerging:
        tags.append(badge(_("战新"), "info"))
    if enterprise.listing_exchange:
        tags.append(badge(enterprise.get_listing_exchange_display(), "warning"))
    return format_html_join(" ", "{}", ((tag,) for tag in tags))


class EnterpriseListView(ListPage):
    permission_required = "enterprises.view_enterprise"
    filterset_class = EnterpriseFilter
    filter_form = FilterForm(
        hidden=("on", "in_zone", "reporting"),
        primary=("q", "park", "status"),
        placeholders={"q": _l("名称、信用代码、法定代表人")},
    )
    title = _l("企业名录")
    template_name = "enterprises/enterprise_list.html"
    export_filename = _l("企业名录")
    empty_text = _l("没有符合条件的企业")
    create_url = reverse_lazy("enterprises:enterprise_create")
    create_perm = "enterprises.add_enterprise"
    create_label = _l("登记企业")
    columns = [
        Col(_l("企业名称"), "name", link="self", card="title", width=36, css="wrap"),
        Col(_l("标签"), lambda e: "", display=_enterprise_tags, card="badge", export=False),
        Col(
            _l("统一社会信用代码"),
            "credit_code",
            width=22,
            css="d-none d-md-table-cell font-monospace small",
        ),
        Col(_l("法定代表人"), "legal_representative", css="d-none d-lg-table-cell"),
        Col(_l("注册资本（万元）"), "registered_capital", table=False, card=None),
        Col(_l("成立日期"), "established_on", table=False, card=None),
        Col(_l("入驻日期"), "settled_on", table=False, card=None),
        Col(_l("所在园区"), "park.name", width=24, css="small"),
        Col(_l("产业链"), "chain.name", css="d-none d-md-table-cell small"),
        Col(_l("产业链环节"), "chain_node.name", css="d-none d-md-table-cell small", card=None),
        Col(_l("地址"), "address", width=30, table=False, card=None),
        Col(_l("联系人"), "contact_person", table=False, card=None),
        Col(_l("联系电话"), "contact_phone", table=False, card=None),
        Col(_l("从业人数"), "employees", table=False, card=None),
        Col(
            _l("状态"),
            "get_status_display",
            display=status_badge(ENTERPRISE_STATUS_COLOURS),
            card="badge",
            width=8,
        ),
        Col(_l("包联干部"), "responsible_staff", css="d-none d-lg-table-cell small"),
        Col(
            _l("战略新兴"),
            lambda e: _("是") if e.is_strategic_emerging else _("否"),
            table=False,
            card=None,
            width=8,
        ),
        Col(_l("上市交易所"), "get_listing_exchange_display", table=False, card=None),
        Col(_l("股票代码"), "stock_code", table=False, card=None),
        Col(_l("上市日期"), "listed_on", table=False, card=None),
    ]

    def get_base_queryset(self):
        return selectors.enterprise_list()


def _days_left(qualification) -> int | None:
    if qualification.expires_on is None:
        return None
    return (qualification.expires_on - timezone.localdate()).days


class QualificationListView(ListPage):
    """资质到期提醒: every certificate by expiry, soonest first, with its derived status."""

    permission_required = "enterprises.view_qualification"
    filterset_class = QualificationFilter
    filter_form = FilterForm(
        hidden=("enterprise", "valid_on"),
        primary=("q", "status"),
        placeholders={"q": _l("企业名称、证书编号"), "expiring_within": _l("天数，如 180")},
    )
    title = _l("资质到期")
    template_name = "enterprises/qualification_list.html"
    export_filename = _l("企业资质")
    empty_text = _l("没有符合条件的证书")
    columns = [
        Col(
            _l("企业名称"),
            "enterprise.name",
            link=lambda q: q.enterprise.get_absolute_url(),
            card="title",
            width=36,
            css="wrap",
        ),
        Col(_l("统一社会信用代码"), "enterprise.credit_code", width=22, table=False, card=None),
        Col(_l("资质类型"), "type.name", width=20, card="line"),
        Col(_l("级别"), "type.get_level_display", width=8, css="d-none d-lg-table-cell small"),
        Col(
            _l("证书编号"),
            "certificate_no",
            width=20,
            css="d-none d-md-table-cell small font-monospace",
        ),
        Col(_l("发证日期"), "issued_on", css="d-none d-lg-table-cell small"),
        Col(
            _l("到期日期"),
            "expires_on",
            display=lambda q: short_date(q.expires_on) if q.expires_on else _("长期"),
            css="small text-nowrap",
        ),
        Col(_l("剩余天数"), _days_left, width=10, css="d-none d-md-table-cell text-end small"),
        Col(
            _l("状态"),
            "get_status_display",
            display=status_badge(QUALIFICATION_STATUS_COLOURS),
            card="badge",
            width=10,
        ),
        Col(_l("备注"), "notes", width=30, table=False, card=None),
    ]

    def get_base_queryset(self):
        return selectors.qualification_expiry_list()


@login_required
@permission_required("enterprises.view_enterprise", raise_exception=True)
def enterprise_names(request):
    """Names for every enterprise field's suggestions: at most 20, by part of the name."""
    term = request.GET.get("q", "").strip()[:64]
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


class EnterpriseDetailView(LoginRequiredMixin, PermissionRequiredMixin, DetailView):
    permission_required = "enterprises.view_enterprise"
    template_name = "enterprises/enterprise_detail.html"
    context_object_name = "enterprise"

    def get_queryset(self):
        return selectors.enterprise_detail_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enterprise = self.object
        user = self.request.user
        today = timezone.localdate()
        context["today"] = today
        context["qualifications"] = [
            (qualification, qualification.status)
            for qualification in enterprise.qualifications.all()
        ]
        context["memberships"] = [
            (membership, membership.is_active_on(today))
            for membership in enterprise.memberships.all()
        ]
        context["can_edit"] = can_edit_enterprises(user)
        context["figures"] = None
        if user.has_perm("enterprises.view_monthlystatistic"):
            figures = selectors.enterprise_figures(enterprise)
            context["figures"] = figures
            context["chart"] = figures.chart_data()
        context["timeline"] = hooks.timeline_for(enterprise, user)
        context["sections"] = hooks.sections_for(enterprise, user)
        return context


def _form_page(request, form, save, *, title, cancel_url, success, enterprise=None):
    return form_page(
        request,
        form=form,
        save=save,
        success=success,
        template="enterprises/form.html",
        context={"title": title, "cancel_url": cancel_url, "enterprise": enterprise},
    )


@login_required
@permission_required("enterprises.add_enterprise", raise_exception=True)
def enterprise_create(request):
    return _form_page(
        request,
        EnterpriseForm(request.POST or None),
        lambda data: services.enterprise_create(by=request.user, **data),
        title=_("登记企业"),
        cancel_url=reverse("enterprises:enterprise_list"),
        success=lambda enterprise: (
            _("已登记企业“%(name)s”") % {"name": enterprise.name},
            enterprise.get_absolute_url(),
        ),
    )


@login_required
@permission_required("enterprises.change_enterprise", raise_exception=True)
def enterprise_update(request, pk):
    enterprise = get_object_or_404(Enterprise, pk=pk)
    return _form_page(
        request,
        EnterpriseForm(request.POST or None, instance=enterprise),
        lambda data: services.enterprise_update(enterprise=enterprise, by=request.user, **data),
        title=_("编辑企业：%(name)s") % {"name": enterprise.name},
        cancel_url=enterprise.get_absolute_url(),
        success=lambda saved: (_("已保存企业信息"), saved.get_absolute_url()),
        enterprise=enterprise,
    )


def _child_form(request, *, enterprise, instance, form_class, save, title, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied
    form = form_class(request.POST or None, instance=instance, enterprise=enterprise)
    return _form_page(
        request,
        form,
        lambda data: save(form.instance, by=request.user),
        title=title,
        cancel_url=enterprise.get_absolute_url(),
        success=lambda saved: (_("已保存"), enterprise.get_absolute_url()),
        enterprise=enterprise,
    )


@login_required
def qualification_edit(request, pk, qualification_pk=None):
    enterprise = get_object_or_404(Enterprise, pk=pk)
    instance = None
    if qualification_pk is not None:
        instance = get_object_or_404(Qualification, pk=qualification_pk, enterprise=enterprise)
    return _child_form(
        request,
        enterprise=enterprise,
        instance=instance,
        form_class=QualificationForm,
        save=lambda obj, by: services.qualification_save(qualification=obj, by=by),
        title=_("%(name)s · 资质") % {"name": enterprise.name},
        perm="enterprises.change_qualification" if instance else "enterprises.add_qualification",
    )


@login_required
def membership_edit(request, pk, membership_pk=None):
    enterprise = get_object_or_404(Enterprise, pk=pk)
    instance = None
    if membership_pk is not None:
        instance = get_object_or_404(StatisticsMembership, pk=membership_pk, enterprise=enterprise)
    return _child_form(
        request,
        enterprise=enterprise,
        instance=instance,
        form_class=MembershipForm,
        save=lambda obj, by: services.membership_save(membership=obj, by=by),
        title=_("%(name)s · 四上入库记录") % {"name": enterprise.name},
        perm=(
            "enterprises.change_statisticsmembership"
            if instance
            else "enterprises.add_statisticsmembership"
        ),
    )


class ChainListView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Chains with their nodes upstream → downstream and how many enterprises sit on each;
    an empty node is what 补链 investment targets."""

    permission_required = "enterprises.view_industrychain"
    template_name = "enterprises/chain_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        in_zone = ~Q(enterprises__status=Enterprise.Status.MOVED_OUT)
        nodes = ChainNode.objects.annotate(
            enterprise_count=Count("enterprises", filter=in_zone)
        ).order_by("position")
        context["chains"] = IndustryChain.objects.annotate(
            enterprise_count=Count("enterprises", filter=in_zone)
        ).prefetch_related(Prefetch("nodes", queryset=nodes))
        return context


def _period(
    request, form_class=PeriodForm, *, latest: tuple[int, int] | None = None
) -> tuple[PeriodForm, int | None, int | None]:
    """The chosen month, by default the latest one with reports (`latest`, when the caller
    has it already)."""
    latest = latest or selectors.latest_reported_period()
    today = timezone.localdate()
    initial_year, initial_month = latest or (today.year, today.month)
    data = request.GET if "year" in request.GET else {"year": initial_year, "month": initial_month}
    form = form_class(data)
    if form.is_valid():
        return form, form.cleaned_data["year"], form.cleaned_data["month"]
    return form, None, None


@login_required
@permission_required("enterprises.view_monthlystatistic", raise_exception=True)
def statistics(request):
    latest = selectors.latest_reported_period()
    form, year, month = _period(request, StatisticsForm, latest=latest)
    context = {
        "form": form,
        "can_import": can_import_statistics(request.user),
        "latest_period": latest,
    }
    if year is not None:
        percent = form.cleaned_data.get("threshold") or int(
            selectors.DECLINE_WARNING_THRESHOLD * 100
        )
        context["threshold"] = percent
        # The figures and the decline list: one statement when not cached.
        tables = selectors.cached_period_tables(
            year=year, month=month, threshold=Decimal(percent) / 100
        )
        statistics = context["statistics"] = tables.statistics
        context["declining"] = tables.declining
        context["chart"] = {
            "labels": [row.label for row in statistics.by_chain],
            "output": [float(to_yi(row.output)) for row in statistics.by_chain],
        }
        # The registry's counts are as of a chosen day; by default the chosen month's last day
        # (the seed's 2023-11 shows the registry of 2023-11-30), and today for the latest month
        # (certificates and 四上 lists as they stand).
        context["summary"] = selectors.cached_registry_summary(
            on=form.cleaned_data.get("on")
            or selectors.registry_day_for(year=year, month=month, latest=latest)
        )
    return render(request, "enterprises/statistics.html", context)


@login_required
@permission_required("enterprises.view_monthlystatistic", raise_exception=True)
def statistics_export(request):
    form, year, month = _period(request)
    if year is None:
        raise Http404
    return xlsx_response(
        filename=f"统计月报-{year}-{month:02d}",
        sheet_title=f"{year}年{month}月",
        columns=imports.EXPORT_COLUMNS,
        rows=imports.export_rows(year=year, month=month),
    )


_IMPORT_SESSION_KEY = "enterprises_monthly_import"


@login_required
def statistics_import(request):
    """Upload → preview every row's outcome → confirm. The checked rows (not the file) wait in
    the session between the two steps, so confirming writes exactly what was previewed."""
    if not can_import_statistics(request.user):
        raise PermissionDenied
    context = {}
    if request.method == "POST" and request.POST.get("confirm"):
        pending = request.session.pop(_IMPORT_SESSION_KEY, None)
        if not pending:
            messages.error(request, _("导入已过期，请重新上传文件"))
            return redirect("enterprises:statistics_import")
        year, month = pending["year"], pending["month"]
        # Written by a background job (a worker), the user watching its progress.
        job = jobs.start(
            user=request.user,
            handler="apps.enterprises.imports.MonthlyImportJob",
            kind=BackgroundJob.Kind.IMPORT,
            title=_("导入 %(year)d年%(month)d月 月报") % {"year": year, "month": month},
            params={"year": year, "month": month, "rows": pending["rows"]},
        )
        return redirect(jobs.job_url(job))

    form = MonthlyReportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
        content = form.cleaned_data["file"].read()
        try:
            rows = imports.parse_monthly_report(content, year=year, month=month)
        except imports.ReportFileError as error:
            form.add_error("file", str(error))
        else:
            bad = [row for row in rows if row.errors]
            context.update(rows=rows, bad=bad, year=year, month=month)
            if bad:
                request.session.pop(_IMPORT_SESSION_KEY, None)
            else:
                request.session[_IMPORT_SESSION_KEY] = {
                    "year": year,
                    "month": month,
                    "rows": imports.rows_for_session(rows),
                }
    context["form"] = form
    context["headers"] = [header for _key, header in imports.LAYOUT]
    return render(request, "enterprises/statistics_import.html", context)
