"""Admin for every model of enterprise service. Every write goes through the services
(apps.core.admin.ServiceAdminMixin); states (demand status, loan progress, application results)
change only through their workflows, so operational records (visits, demands, loan intents,
applications) are read here and corrected in the portal, where the rules and the timeline are."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.core.admin import ServiceAdminMixin
from apps.services import services
from apps.services.models import (
    Demand,
    DemandCategory,
    DemandEvent,
    FinancialInstitution,
    FinancingNeed,
    LoanIntent,
    MatchmakingMeeting,
    PolicyApplication,
    PolicyProgramme,
    Visit,
)


class DemandInline(admin.TabularInline):
    model = Demand
    fields = ["category", "description", "department", "status", "deadline"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyAdminMixin:
    """Shown, searched and filtered; changed only in the portal, through the services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AddThroughServiceMixin(ServiceAdminMixin):
    """Added here through the service that registers the record (with its first event);
    afterwards it moves only through its workflow, in the portal."""

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["visited_on", "enterprise", "method", "purpose", "created_by"]
    list_filter = ["method", "visited_on"]
    list_select_related = ["enterprise", "created_by"]
    search_fields = ["enterprise__name", "purpose", "findings"]
    autocomplete_fields = ["enterprise", "staff", "created_by"]
    date_hierarchy = "visited_on"
    inlines = [DemandInline]


@admin.register(DemandCategory)
class DemandCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "time_limit_days", "default_department", "sort_order"]
    list_select_related = ["default_department"]
    list_filter = ["default_department"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["default_department"]


class DemandEventInline(admin.TabularInline):
    model = DemandEvent
    fields = ["at", "action", "from_status", "to_status", "by", "comment", "satisfaction"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Demand)
class DemandAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "id",
        "enterprise",
        "category",
        "department",
        "assignee",
        "status",
        "priority",
        "raised_on",
        "deadline",
    ]
    list_filter = ["status", "category", "department", "source", "priority"]
    list_select_related = ["enterprise", "category", "department", "assignee"]
    search_fields = ["=id", "enterprise__name", "description"]
    autocomplete_fields = ["enterprise", "visit", "assignee", "created_by"]
    date_hierarchy = "raised_on"
    readonly_fields = [
        "status",
        "department",
        "assignee",
        "resolution",
        "closed_on",
        "satisfaction",
        "created_by",
    ]
    inlines = [DemandEventInline]

    def has_add_permission(self, request):
        # A demand starts its life with a 登记 event: register it in the portal.
        return False


@admin.register(DemandEvent)
class DemandEventAdmin(admin.ModelAdmin):
    list_display = ["demand", "action", "from_status", "to_status", "by", "at"]
    list_filter = ["action", "to_status"]
    list_select_related = ["demand__enterprise", "demand__category", "by"]
    search_fields = ["=demand__id", "demand__enterprise__name", "comment"]
    autocomplete_fields = ["demand", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FinancialInstitution)
class FinancialInstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "contact_person", "contact_phone", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(MatchmakingMeeting)
class MatchmakingMeetingAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "held_on", "organiser", "location"]
    list_filter = ["organiser"]
    search_fields = ["title", "organiser"]
    autocomplete_fields = ["enterprises"]
    filter_horizontal = ["institutions"]
    date_hierarchy = "held_on"

    save_service = services.meeting_save
    delete_service = services.meeting_delete
    service_arg = "meeting"
    save_m2m = ("institutions", "enterprises")


@admin.register(FinancingNeed)
class FinancingNeedAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
    list_display = ["enterprise", "amount", "purpose", "raised_on", "meeting"]
    list_filter = ["meeting"]
    list_select_related = ["enterprise", "meeting"]
    search_fields = ["enterprise__name", "purpose"]
    autocomplete_fields = ["enterprise", "meeting"]

    save_service = services.financing_need_save
    delete_service = services.financing_need_delete
    service_arg = "need"


@admin.register(LoanIntent)
class LoanIntentAdmin(AddThroughServiceMixin, SimpleHistoryAdmin):
    list_display = [
        "enterprise",
        "institution",
        "amount",
        "signed_on",
        "status",
        "credit_amount",
        "disbursed_amount",
    ]
    list_filter = ["status", "institution", "meeting"]
    list_select_related = ["enterprise", "institution"]
    search_fields = ["enterprise__name", "institution__name"]
    autocomplete_fields = ["enterprise", "institution", "meeting"]
    readonly_fields = ["status", "credit_amount", "disbursed_amount", "failure_reason"]

    def service_save(self, request, obj, form, change):
        return services.loan_intent_create(
            enterprise=obj.enterprise,
            institution=obj.institution,
            meeting=obj.meeting,
            amount=obj.amount,
            signed_on=obj.signed_on,
            by=request.user,
        )


@admin.register(PolicyProgramme)
class PolicyProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "grants_qualification", "sort_order"]
    list_filter = ["level"]
    list_select_related = ["grants_qualification"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["grants_qualification"]


@admin.register(PolicyApplication)
class PolicyApplicationAdmin(AddThroughServiceMixin, SimpleHistoryAdmin):
    list_display = ["enterprise", "programme", "year", "status", "submitted_on", "decided_on"]
    list_filter = ["status", "programme", "year"]
    list_select_related = ["enterprise", "programme"]
    search_fields = ["enterprise__name", "programme__name"]
    autocomplete_fields = ["enterprise", "programme", "helpers"]
    readonly_fields = ["status", "submitted_on", "decided_on", "amount_granted"]

    def service_save(self, request, obj, form, change):
        return services.application_create(
            enterprise=obj.enterprise,
            programme=obj.programme,
            year=obj.year,
            started_on=obj.started_on,
            helpers=form.cleaned_data.get("helpers") or (),
            notes=obj.notes,
            by=request.user,
        )
