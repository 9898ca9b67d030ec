from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.generic import DetailView, TemplateView

from apps.core.excel import Column, xlsx_response
from apps.core.units import to_yi
from apps.core.views import FilteredListView
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


class EnterpriseListView(FilteredListView):
    permission_required = "enterprises.view_enterprise"
    filterset_class = EnterpriseFilter
    template_name = "enterprises/enterprise_list.html"
    export_filename = _l("企业名录")
    export_columns = [
        Column(_l("企业名称"), "name", width=36),
        Column(_l("统一社会信用代码"), "credit_code", width=22),
        Column(_l("法定代表人"), "legal_representative"),
        Column(_l("注册资本（万元）"), "registered_capital"),
        Column(_l("成立日期"), "established_on"),
        Column(_l("入驻日期"), "settled_on"),
        Column(_l("所在园区"), "park.name", width=24),
        Column(_l("产业链"), "chain.name"),
        Column(_l("产业链环节"), "chain_node.name"),
        Column(_l("地址"), "address", width=30),
        Column(_l("联系人"), "contact_person"),
        Column(_l("联系电话"), "contact_phone"),
        Column(_l("从业人数"), "employees"),
        Column(_l("状态"), "get_status_display", width=8),
        Column(_l("包联干部"), "responsible_staff"),
        Column(_l("战略新兴"), lambda e: _("是") if e.is_strategic_emerging else _("否"), width=8),
        Column(_l("上市交易所"), "get_listing_exchange_display"),
        Column(_l("股票代码"), "stock_code"),
        Column(_l("上市日期"), "listed_on"),
    ]

    def get_base_queryset(self):
        return selectors.enterprise_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = can_edit_enterprises(self.request.user)
        return context


def _days_left(qualification) -> int | None:
    if qualification.expires_on is None:
        return None
    return (qualification.expires_on - timezone.localdate()).days


class QualificationListView(FilteredListView):
    """资质到期提醒: every certificate by expiry, soonest first, with its derived status."""

    permission_required = "enterprises.view_qualification"
    filterset_class = QualificationFilter
    template_name = "enterprises/qualification_list.html"
    export_filename = _l("企业资质")
    export_columns = [
        Column(_l("企业名称"), "enterprise.name", width=36),
        Column(_l("统一社会信用代码"), "enterprise.credit_code", width=22),
        Column(_l("资质类型"), "type.name", width=20),
        Column(_l("级别"), "type.get_level_display", width=8),
        Column(_l("证书编号"), "certificate_no", width=20),
        Column(_l("发证日期"), "issued_on"),
        Column(_l("到期日期"), "expires_on"),
        Column(_l("剩余天数"), _days_left, width=10),
        Column(_l("状态"), "get_status_display", width=10),
        Column(_l("备注"), "notes", width=30),
    ]

    def get_base_queryset(self):
        return selectors.qualification_expiry_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            (qualification, qualification.status, _days_left(qualification))
            for qualification in context["object_list"]
        ]
        return context


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
        context["sections"] = hooks.sections_for(enterprise, self.request)
        return context


def _form_page(request, form, *, title, cancel_url, enterprise=None):
    return render(
        request,
        "enterprises/form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "enterprise": enterprise},
    )


def _refuse(form, error: ValidationError):
    """Put a service's refusal on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@permission_required("enterprises.add_enterprise", raise_exception=True)
def enterprise_create(request):
    form = EnterpriseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("已登记企业“%(name)s”") % {"name": enterprise.name})
            return redirect(enterprise)
    return _form_page(
        request, form, title=_("登记企业"), cancel_url=reverse("enterprises:enterprise_list")
    )


@login_required
@permission_required("enterprises.change_enterprise", raise_exception=True)
def enterprise_update(request, pk):
    enterprise = get_object_or_404(Enterprise, pk=pk)
    form = EnterpriseForm(request.POST or None, instance=enterprise)
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_update(enterprise=enterprise, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("已保存企业信息"))
            return redirect(enterprise)
    return _form_page(
        request,
        form,
        title=_("编辑企业：%(name)s") % {"name": enterprise.name},
        cancel_url=enterprise.get_absolute_url(),
        enterprise=enterprise,
    )


def _child_form(request, *, enterprise, instance, form_class, save, title, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied
    form = form_class(request.POST or None, instance=instance, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        try:
            save(form.instance, by=request.user)
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect(enterprise)
    return _form_page(
        request, form, title=title, cancel_url=enterprise.get_absolute_url(), enterprise=enterprise
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
        statistics = context["statistics"] = selectors.period_statistics(year=year, month=month)
        context["chart"] = {
            "labels": [row.label for row in statistics.by_chain],
            "output": [float(to_yi(row.output)) for row in statistics.by_chain],
        }
        # The registry's counts are as of a chosen day; by default the chosen month's last day
        # (the seed's 2023-11 shows the registry of 2023-11-30), and today for the latest month
        # (certificates and 四上 lists as they stand).
        context["summary"] = selectors.registry_summary(
            on=form.cleaned_data.get("on")
            or selectors.registry_day_for(year=year, month=month, latest=latest)
        )
        percent = form.cleaned_data.get("threshold") or int(
            selectors.DECLINE_WARNING_THRESHOLD * 100
        )
        context["threshold"] = percent
        context["declining"] = selectors.decline_warning_enterprises(
            year=year, month=month, threshold=Decimal(percent) / 100
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
        try:
            result = services.monthly_statistics_import(
                rows=imports.rows_from_session(pending["rows"], year=year, month=month),
                year=year,
                month=month,
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("enterprises:statistics_import")
        messages.success(
            request,
            _("已导入 %(year)d年%(month)d月 月报：新增 %(created)d 行，更新 %(updated)d 行")
            % {"year": year, "month": month, "created": result.created, "updated": result.updated},
        )
        return redirect(f"{reverse('enterprises:statistics')}?year={year}&month={month}")

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
