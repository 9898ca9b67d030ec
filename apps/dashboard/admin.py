"""Targets are written through apps.dashboard.services (经济发展局 and the administrator)."""

from django.contrib import admin

from apps.core.admin import ServiceAdminMixin
from apps.dashboard import services
from apps.dashboard.models import Target


@admin.register(Target)
class TargetAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["indicator", "year", "month", "value", "updated_at"]
    list_filter = ["year", "indicator"]
    search_fields = ["indicator"]

    def service_save(self, request, obj, form, change):
        return services.target_save(
            by=request.user,
            indicator=obj.indicator,
            year=obj.year,
            month=obj.month,
            value=obj.value,
            target=obj if change else None,
        )

    def service_delete(self, request, obj):
        services.target_delete(by=request.user, target=obj)
