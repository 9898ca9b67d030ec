from rest_framework.permissions import DjangoModelPermissions

# (view class, action) → the model its queryset lists (see _queryset).
_MODELS: dict[tuple[type, str | None], type] = {}


class ModelPermissionsWithView(DjangoModelPermissions):
    """Django model permissions, with reads requiring the `view_` permission too."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }

    def _queryset(self, view):
        # DRF builds the view's whole queryset (a list's annotations and joins: a millisecond
        # on the demand list) only to read its model: built once per view and action.
        key = (type(view), getattr(view, "action", None))
        model = _MODELS.get(key)
        if model is None:
            model = _MODELS[key] = super()._queryset(view).model
        return model._default_manager.none()
