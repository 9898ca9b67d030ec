"""The administrator's view of background work: failed tasks (with a once-only 重新执行) and
the users' background jobs. Both are records of what happened, so nothing here is edited."""

from celery import current_app
from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.core.models import BackgroundJob, TaskFailure


def rerun(failure: TaskFailure, *, by) -> bool:
    """Send a failed task again with its arguments, once: the first call marks the failure as
    rerun (a conditional update, so two administrators clicking together send it once)."""
    with transaction.atomic():
        claimed = TaskFailure.objects.filter(pk=failure.pk, rerun_at__isnull=True).update(
            rerun_at=timezone.now(), rerun_by=by
        )
        if not claimed:
            return False
        task = current_app.tasks.get(failure.task)
        if task is None:
            transaction.set_rollback(True)
            return False
        before = getattr(task, "before_rerun", None)
        if before is not None:
            before(*failure.args, **failure.kwargs)
        args, kwargs = list(failure.args), dict(failure.kwargs)
        transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs))
    return True


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(TaskFailure)
class TaskFailureAdmin(ReadOnlyAdmin):
    list_display = ["failed_at", "task", "short_error", "args", "kwargs", "rerun_at", "rerun_by"]
    list_filter = ["task", ("rerun_at", admin.EmptyFieldListFilter)]
    search_fields = ["task", "task_id", "error"]
    date_hierarchy = "failed_at"
    actions = ["rerun_selected"]

    @admin.display(description=_("错误"))
    def short_error(self, failure):
        return failure.error[:120]

    @admin.action(description=_("重新执行（每条仅一次）"), permissions=["change"])
    def rerun_selected(self, request, queryset):
        sent = skipped = 0
        for failure in queryset:
            if rerun(failure, by=request.user):
                sent += 1
            else:
                skipped += 1
        if sent:
            self.message_user(
                request,
                ngettext("已重新执行 %(count)d 个任务", "已重新执行 %(count)d 个任务", sent)
                % {"count": sent},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d 个任务已重新执行过或已不存在，未再次执行",
                    "%(count)d 个任务已重新执行过或已不存在，未再次执行",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


@admin.register(BackgroundJob)
class BackgroundJobAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "title", "kind", "user", "status", "done", "total", "message"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "user__username", "message"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
