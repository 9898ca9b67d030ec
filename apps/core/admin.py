"""Admin pages write through the owner's services, like every other entry path.

``ServiceAdminMixin``: ``save_model`` / ``delete_model`` call ``service_save`` /
``service_delete`` (the app's service). So that a refusal shows on the form instead of failing
the save, the form runs the same service during validation in a savepoint that is always rolled
back (on a copy of the instance), then ``save_model`` runs it for real.
"""

import copy

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from apps.core.errors import apply_to_form


class _DryRun(Exception):
    pass


class ServiceAdminMixin:
    def service_save(self, request, obj, form, change):
        """Write `obj` (the form's values already on it) through the owner's service; return
        the saved object."""
        raise NotImplementedError

    def service_delete(self, request, obj):
        raise PermissionDenied

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


# The administrator's view of background work (任务失败, 后台任务).
from apps.core import task_admin  # noqa: E402, F401
