"""The one refusal rule, for every page and API endpoint.

A service refuses in one of two ways, each with a Chinese reason the user can read:

- ``NotAllowed`` (HTTP 403): this actor may not do this (wrong role, not the responsible
  department, not the liaison of this project). It is Django's ``PermissionDenied``, so a page
  answers the 403 page with the reason and DRF answers 403.
- ``Refused`` (HTTP 400): the actor may, but not now or not with this input (wrong state, a date
  in the future, a missing reason). It is Django's ``ValidationError``, so a plain
  ``ValidationError`` raised by a service or a model's ``full_clean()`` means the same thing.
  When it concerns one field, name it: ``Refused(_("..."), field="deadline")``.

Pages show the reason on the field it names (``apply_to_form``) and answer 400; the API answers
the same status with one body shape (``api_exception_handler``):

    {"detail": "<the first reason>", "errors": {"<field>": ["<reason>", ...]}}

where reasons that concern no field are under ``"non_field_errors"``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_default_handler

NON_FIELD = "non_field_errors"


class NotAllowed(PermissionDenied):
    """This actor may not do this: 403 with the reason."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = force_str(message)
        self.field = field

    def __str__(self):
        return self.message


class Refused(ValidationError):
    """Not now, or not with this input: 400 with the reason (on `field` when given)."""

    def __init__(self, message, *, field: str | None = None, code: str | None = None):
        if field is not None:
            super().__init__({field: [ValidationError(message, code=code)]})
        else:
            super().__init__(message, code=code)


def error_dict(error: ValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as {field: [messages]} (NON_FIELD for the rest)."""
    if hasattr(error, "error_dict"):
        return {
            (NON_FIELD if field == "__all__" else field): [force_str(m) for m in messages]
            for field, messages in (
                (f, ValidationError(e).messages) for f, e in error.error_dict.items()
            )
        }
    return {NON_FIELD: [force_str(message) for message in error.messages]}


def first_message(errors: dict) -> str:
    for messages in errors.values():
        if isinstance(messages, dict):
            found = first_message(messages)
            if found:
                return found
        elif isinstance(messages, list | tuple):
            for message in messages:
                if isinstance(message, dict):
                    found = first_message(message)
                    if found:
                        return found
                elif message:
                    return force_str(message)
        elif messages:
            return force_str(messages)
    return _("提交的内容有误，请按提示修改后重新提交。")


def apply_to_form(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names when the form has that
    field, above the form otherwise. Nothing the user typed is lost."""
    for field, messages in error_dict(error).items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def refusal_body(errors: dict) -> dict:
    return {"detail": first_message(errors), "errors": errors}


def _normalise_drf_detail(detail) -> dict:
    if isinstance(detail, dict):
        return {
            key: value if isinstance(value, list | dict) else [value]
            for key, value in detail.items()
        }
    if isinstance(detail, list):
        return {NON_FIELD: detail}
    return {NON_FIELD: [detail]}


def api_exception_handler(exc, context):
    """DRF's handler, with the portal's two refusals and one 400 body shape for every
    endpoint (serializer errors included)."""
    if isinstance(exc, ValidationError):
        return Response(refusal_body(error_dict(exc)), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, NotAllowed):
        exc = drf_exceptions.PermissionDenied(exc.message)
    elif isinstance(exc, PermissionDenied):
        exc = drf_exceptions.PermissionDenied(force_str(exc) or None)
    elif isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    if isinstance(exc, drf_exceptions.ValidationError):
        errors = _normalise_drf_detail(exc.detail)
        return Response(refusal_body(errors), status=status.HTTP_400_BAD_REQUEST)
    return drf_default_handler(exc, context)
