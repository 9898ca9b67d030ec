"""Admin pages write through the owner's services, like every other entry path.

``ServiceAdminMixin``: ``save_model`` / ``delete_model`` call the app's services, declared as
``save_service`` / ``delete_service``. So that a refusal shows on the form instead of failing
the save, the form runs the same service during validation in a savepoint that is always rolled
back (on a copy of the instance), then ``save_model`` runs it for real.
"""

import copy
from collections.abc import Callable

from django.contrib import admin, messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.core import dates, services
from apps.core.errors import apply_to_form
from apps.core.models import CalendarDay

WEEKDAYS = [_l("周一"), _l("周二"), _l("周三"), _l("周四"), _l("周五"), _l("周六"), _l("周日")]


class _DryRun(Exception):
    pass


class ServiceAdminMixin:
    """Declare the owner's services::

        save_service = services.qualification_save      # (qualification=obj, by=user)
        service_arg = "qualification"
        delete_service = services.qualification_delete  # (qualification=obj, by=user)

    ``save_m2m`` names many-to-many fields handed to the save service from the form (a service
    saves them with the row). Without ``delete_service`` nothing is deleted here. An admin whose
    service takes other arguments overrides ``service_save(request, obj, form, change)``.
    """

    save_service: Callable | None = None
    delete_service: Callable | None = None
    # The keyword the services take the object as.
    service_arg = ""
    save_m2m: tuple[str, ...] = ()

    def service_save(self, request, obj, form, change):
        """Write `obj` (the form's values already on it) through the owner's service; return
        the saved object."""
        save = type(self).save_service
        if save is None or not self.service_arg:
            raise ImproperlyConfigured(
                f"{type(self).__name__} declares no save_service/service_arg"
            )
        m2m = {name: form.cleaned_data.get(name) for name in self.save_m2m}
        return save(**{self.service_arg: obj}, **m2m, by=request.user)

    def service_delete(self, request, obj):
        delete = type(self).delete_service
        if delete is None:
            raise PermissionDenied
        delete(**{self.service_arg: obj}, by=request.user)

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        admin = self

        class ServiceForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                if self.errors:
                    return
                try:
                    with transaction.atomic():
                        admin.service_save(
                            request, copy.copy(self.instance), self, self.instance.pk is not None
                        )
                        raise _DryRun
                except _DryRun:
                    pass
                except ValidationError as error:
                    apply_to_form(self, error)

        ServiceForm.__name__ = form_class.__name__
        return ServiceForm

    def save_model(self, request, obj, form, change):
        saved = self.service_save(request, obj, form, change)
        if saved is not None and saved is not obj:
            obj.pk = saved.pk
            obj._state.adding = False

    def delete_model(self, request, obj):
        self.service_delete(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.service_delete(request, obj)


@admin.register(CalendarDay)
class CalendarDayAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """The holiday calendar the working-day clocks read (apps.core.dates). A year's official
    notice is loaded from the fixture; a correction or an extra day is made here."""

    list_display = ["date", "weekday", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def get_readonly_fields(self, request, obj=None):
        # The date is the key: a different date is another row (delete this one, add that one).
        return ["date"] if obj else []

    @admin.display(description=_l("星期"))
    def weekday(self, obj):
        return WEEKDAYS[obj.date.weekday()]

    def changelist_view(self, request, extra_context=None):
        for year in dates.missing_calendar_years():
            messages.warning(
                request,
                _("%(year)s年法定节假日尚未录入：该年的工作日暂按周一至周五计算。")
                % {"year": year},
            )
        return super().changelist_view(request, extra_context)

    def service_save(self, request, obj, form, change):
        return services.calendar_day_save(
            by=request.user, day=obj.date, kind=obj.kind, name=obj.name
        )

    def service_delete(self, request, obj):
        services.calendar_day_delete(by=request.user, calendar_day=obj)


# The administrator's view of background work (任务失败, 后台任务).
from apps.core import task_admin  # noqa: E402, F401
