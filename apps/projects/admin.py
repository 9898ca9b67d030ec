"""Admin: projects, plans, milestones and approvals write through the services; monthly reports,
photos and events are read here (their writes follow the report workflow on the pages and API)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.core.admin import ServiceAdminMixin
from apps.projects import services
from apps.projects.models import (
    AnnualPlan,
    Approval,
    Milestone,
    MonthlyReport,
    MonthlyReportEvent,
    Project,
    ProjectEvent,
    ProjectPhoto,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
    # The history lists each saved version with its status and 停缓建 reason and date.
    history_list_display = ["status", "halt_reason", "halted_on"]

    # Reverting a version would bypass the services' checks: changes go through the forms.
    def revert_disabled(self, request, obj=None):
        return True

    list_display = ["name", "enterprise", "park", "level", "status", "total_investment", "liaison"]
    list_filter = ["status", "level", "park"]
    search_fields = ["name", "enterprise__name"]
    list_select_related = ["enterprise", "park", "liaison"]
    autocomplete_fields = ["enterprise", "leader", "liaison"]

    def get_fields(self, request, obj=None):
        from apps.projects.forms import ProjectForm

        return ProjectForm.Meta.fields

    def service_save(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in form.cleaned_data}
        if change:
            return services.project_update(by=request.user, project=obj, **fields)
        return services.project_create(by=request.user, **fields)


@admin.register(AnnualPlan)
class AnnualPlanAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["project", "year", "planned", "is_key"]
    list_filter = ["year", "is_key"]
    search_fields = ["project__name"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
    fields = ["project", "year", "planned", "is_key"]

    def service_save(self, request, obj, form, change):
        return services.plan_save(
            by=request.user,
            project=obj.project,
            year=obj.year,
            planned=obj.planned,
            is_key=obj.is_key,
            monthly=obj.monthly,
        )


@admin.register(Milestone)
class MilestoneAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["name", "project", "due_on", "done_on", "department", "person"]
    list_filter = ["department"]
    search_fields = ["name", "project__name"]
    list_select_related = ["project", "department"]
    autocomplete_fields = ["project"]

    def service_save(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in form.cleaned_data if name != "project"}
        return services.milestone_save(
            by=request.user, project=obj.project, milestone=obj if change else None, **fields
        )


@admin.register(Approval)
class ApprovalAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["project", "kind", "planned_on", "done_on", "document_no", "valid_until"]
    list_filter = ["kind"]
    search_fields = ["project__name", "document_no"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]

    def service_save(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in form.cleaned_data if name != "project"}
        return services.approval_save(
            by=request.user, project=obj.project, approval=obj if change else None, **fields
        )


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdmin):
    list_display = ["project", "year", "month", "invested", "status", "written_by"]
    list_filter = ["status", "year"]
    search_fields = ["project__name"]
    list_select_related = ["project", "written_by"]


@admin.register(ProjectPhoto)
class ProjectPhotoAdmin(ReadOnlyAdmin):
    list_display = ["project", "report", "caption", "uploaded_by", "created_at"]
    search_fields = ["project__name", "caption"]
    list_select_related = ["project", "report", "uploaded_by"]
    exclude = ["image", "thumbnail"]


for model in (ProjectEvent, MonthlyReportEvent):
    admin.site.register(model, ReadOnlyAdmin)
