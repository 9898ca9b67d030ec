from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.core.admin import ServiceAdminMixin
from apps.enterprises import services
from apps.enterprises.models import (
    ChainNode,
    Enterprise,
    IndustryChain,
    MonthlyStatistic,
    Park,
    Qualification,
    QualificationType,
    StatisticsMembership,
)


@admin.register(Park)
class ParkAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order"]
    search_fields = ["name"]


class ChainNodeInline(admin.TabularInline):
    model = ChainNode
    extra = 0
    fields = ["position", "name", "description"]


@admin.register(IndustryChain)
class IndustryChainAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [ChainNodeInline]


@admin.register(ChainNode)
class ChainNodeAdmin(admin.ModelAdmin):
    list_display = ["name", "chain", "position"]
    list_filter = ["chain"]
    search_fields = ["name", "chain__name"]
    list_select_related = ["chain"]
    autocomplete_fields = ["chain"]


@admin.register(QualificationType)
class QualificationTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "validity_years", "sort_order"]
    list_filter = ["level"]
    search_fields = ["name", "code"]


class _ReadOnlyInline(admin.TabularInline):
    """Shown on the enterprise for reference; added and changed on their own admin pages,
    which write through the registry's services."""

    extra = 0
    can_delete = False
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class QualificationInline(_ReadOnlyInline):
    model = Qualification
    fields = ["type", "certificate_no", "issued_on", "expires_on", "notes"]


class MembershipInline(_ReadOnlyInline):
    model = StatisticsMembership
    fields = ["category", "entered_on", "exited_on", "notes"]


@admin.register(Enterprise)
class EnterpriseAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "credit_code", "park", "chain", "status", "responsible_staff"]
    list_filter = ["status", "park", "chain", "is_strategic_emerging", "listing_exchange"]
    search_fields = ["name", "credit_code", "legal_representative"]
    list_select_related = ["park", "chain", "responsible_staff"]
    autocomplete_fields = ["park", "chain", "chain_node", "responsible_staff"]
    inlines = [QualificationInline, MembershipInline]

    save_service = services.enterprise_save
    service_arg = "enterprise"

    def has_delete_permission(self, request, obj=None):
        # An enterprise that leaves is marked 迁出; its history stays.
        return False


@admin.register(Qualification)
class QualificationAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
    list_display = ["enterprise", "type", "certificate_no", "issued_on", "expires_on"]
    list_filter = ["type", "type__level"]
    search_fields = ["enterprise__name", "certificate_no"]
    list_select_related = ["enterprise", "type"]
    autocomplete_fields = ["enterprise", "type"]
    date_hierarchy = "issued_on"

    save_service = services.qualification_save
    service_arg = "qualification"
    delete_service = services.qualification_delete


@admin.register(StatisticsMembership)
class StatisticsMembershipAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
    list_display = ["enterprise", "category", "entered_on", "exited_on"]
    list_filter = ["category"]
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    list_select_related = ["enterprise"]
    autocomplete_fields = ["enterprise"]

    save_service = services.membership_save
    service_arg = "membership"
    delete_service = services.membership_delete


@admin.register(MonthlyStatistic)
class MonthlyStatisticAdmin(SimpleHistoryAdmin):
    list_display = ["enterprise", "year", "month", "output_value", "revenue", "tax", "employees"]
    list_filter = ["year", "month"]
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    list_select_related = ["enterprise"]
    autocomplete_fields = ["enterprise"]
