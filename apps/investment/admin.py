"""Admin: teams and loss reasons are configuration; investors write through the service; leads,
projects and activities are read here (their writes have rules the pages and API apply)."""

from django.contrib import admin

from apps.core.admin import ServiceAdminMixin
from apps.investment import services
from apps.investment.models import (
    Activity,
    AdmissionReview,
    AnnualTarget,
    ChainTarget,
    FundsArrival,
    Investor,
    Lead,
    LossReason,
    Project,
    ResidentReport,
    Signing,
    Team,
)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "leader"]
    list_filter = ["kind"]
    search_fields = ["name", "city"]
    autocomplete_fields = ["leader", "members"]
    list_select_related = ["leader"]


@admin.register(LossReason)
class LossReasonAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order"]
    search_fields = ["name"]


@admin.register(Investor)
class InvestorAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["name", "credit_code", "province", "city", "country", "contact_name"]
    search_fields = ["name", "credit_code"]
    list_filter = ["province"]
    exclude = ["created_by"]
    autocomplete_fields = ["enterprise"]

    def service_save(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in form.cleaned_data}
        return services.investor_save(by=request.user, investor=obj if change else None, **fields)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Lead)
class LeadAdmin(ReadOnlyAdmin):
    list_display = ["title", "investor", "channel", "owner", "team", "judgement", "reported_at"]
    list_filter = ["channel", "judgement", "confidential"]
    search_fields = ["title", "investor__name"]
    list_select_related = ["investor", "owner", "team"]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["name", "investor", "status", "team", "owner", "contract_investment"]
    list_filter = ["status", "team"]
    search_fields = ["name", "investor__name"]
    list_select_related = ["investor", "owner", "team"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "starts_on", "ends_on", "province", "city"]
    list_filter = ["kind", "province"]
    search_fields = ["title", "visitors"]


for model in (AdmissionReview, Signing, FundsArrival):
    admin.site.register(model, ReadOnlyAdmin)


@admin.register(AnnualTarget)
class AnnualTargetAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["year", "team", "signings", "contract_investment", "funds"]
    list_filter = ["year", "team"]
    search_fields = ["team__name"]
    list_select_related = ["team"]
    exclude = ["set_by"]

    def service_save(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in form.cleaned_data}
        return services.annual_target_save(
            by=request.user, target=obj if change else None, **fields
        )


@admin.register(ChainTarget)
class ChainTargetAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["name", "chain_node", "role", "province", "city", "lead"]
    list_filter = ["role", "chain_node__chain"]
    search_fields = ["name", "chain_node__name"]
    list_select_related = ["chain_node__chain", "lead"]
    autocomplete_fields = ["lead"]
    exclude = ["created_by"]

    def service_save(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in form.cleaned_data}
        return services.chain_target_save(by=request.user, target=obj if change else None, **fields)


@admin.register(ResidentReport)
class ResidentReportAdmin(ReadOnlyAdmin):
    list_display = ["team", "month", "people", "days_on_site", "visits", "status"]
    list_filter = ["status", "team"]
    search_fields = ["team__name", "destinations"]
    list_select_related = ["team"]
