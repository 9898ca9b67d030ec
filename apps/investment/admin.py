"""Admin: teams and loss reasons are configuration; investors write through the service; leads,
projects and activities are read here (their writes have rules the pages and API apply)."""

from django.contrib import admin

from apps.core.admin import ServiceAdminMixin
from apps.investment import services
from apps.investment.models import (
    Activity,
    AdmissionReview,
    FundsArrival,
    Investor,
    Lead,
    LossReason,
    Project,
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
