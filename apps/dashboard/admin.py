"""Targets are written through apps.dashboard.services (经济发展局 and the administrator)."""

from django.contrib import admin

from apps.core.admin import ServiceAdminMixin
from apps.dashboard import services
from apps.dashboard.models import Briefing, Target


@admin.register(Target)
class TargetAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["indicator", "year", "month", "department", "value", "updated_at"]
    list_filter = ["year", "indicator", "department"]
    search_fields = ["indicator"]
    list_select_related = ["department"]

    def service_save(self, request, obj, form, change):
        return services.target_save(
            by=request.user,
            indicator=obj.indicator,
            year=obj.year,
            month=obj.month,
            department=obj.department,
            value=obj.value,
            target=obj if change else None,
        )

    def service_delete(self, request, obj):
        services.target_delete(by=request.user, target=obj)


@admin.register(Briefing)
class BriefingAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Drafts are created and their narrative edited through the services; review and issue
    happen on the briefing's page (the workflow), never by editing the status here."""

    list_display = ["title", "year", "issue_no", "status", "issued_at"]
    list_filter = ["status", "year"]
    search_fields = ["title"]
    list_select_related = ["created_by"]
    fields = ["year", "month", "next_steps", "problems_note"]

    def get_readonly_fields(self, request, obj=None):
        return ["year", "month"] if obj else []

    def service_save(self, request, obj, form, change):
        if change:
            return services.briefing_update(
                by=request.user,
                briefing=obj,
                next_steps=obj.next_steps,
                problems_note=obj.problems_note,
            )
        return services.briefing_create(
            by=request.user, year=obj.year, month=obj.month, next_steps=obj.next_steps
        )

    def service_delete(self, request, obj):
        services.briefing_delete(by=request.user, briefing=obj)
