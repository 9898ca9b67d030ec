"""Filters shared by every list (the page and the API read the same FilterSet): a filter whose
value is not one it can take is refused (400 on the API, the reason on the page's filter
form), never silently read as "no filter" or as something else."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.filterset import BaseFilterSet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

# PostgreSQL's integer: a larger id or year would stop the query with "out of range".
INTEGER_MIN = -(2**31)
INTEGER_MAX = 2**31 - 1


class StrictIntegerField(forms.IntegerField):
    """A whole number written as one (``12``), within PostgreSQL's integer: Django's
    IntegerField reads ``0.5``-like text as a decimal first and ``1e400`` as infinity."""

    default_error_messages = {
        "invalid": _("应为整数"),
        "min_value": _("不能小于 %(limit_value)s"),
        "max_value": _("不能大于 %(limit_value)s"),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", INTEGER_MIN)
        kwargs.setdefault("max_value", INTEGER_MAX)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        digits = text[1:] if text[:1] in "+-" else text
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 12:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.NumberFilter):
    """A whole number (an id, a year, a month): django-filter's NumberFilter takes decimals, so
    ``?year=0.5`` filtered to nothing instead of being refused as the schema's integer says."""

    field_class = StrictIntegerField


YES = "true"
NO = "false"
YES_NO_VALUES = {YES: True, "是": True, NO: False, "否": False}


class YesNoField(forms.NullBooleanField):
    """是 / 否 (``true`` / ``false`` in links and the API), or empty for "either"; anything
    else is refused. Django's NullBooleanField reads an unknown value as "either"."""

    widget = forms.Select(choices=[("", _("全部")), (YES, _("是")), (NO, _("否"))])
    default_error_messages = {"invalid": _("应为“是”或“否”（true 或 false）")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        try:
            return YES_NO_VALUES[str(value).strip()]
        except KeyError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value):
        pass


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter: 是 / 否 / true / false, else 400."""

    field_class = YesNoField


class LeanFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend that builds no FilterSet (and no form: a deep copy of every field,
    the choice querysets) when the request names none of its filters: the queryset is
    returned as it is, which is what the FilterSet would return for empty data. A FilterSet
    that changes the queryset even without data (overriding ``filter_queryset`` or ``qs``) is
    always built."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not _given(filterset_class, request.query_params):
            return queryset
        return super().filter_queryset(request, queryset, view)


def _given(filterset_class, params) -> bool:
    if _acts_without_data(filterset_class):
        return True
    names = filterset_class.base_filters.keys()
    # A range filter's inputs are its name with a suffix (year_min, raised_after).
    return any(param.startswith(name) for param in params for name in names)


def _acts_without_data(filterset_class) -> bool:
    for klass in filterset_class.__mro__:
        if klass is django_filters.FilterSet or klass is BaseFilterSet:
            return False
        if "filter_queryset" in klass.__dict__ or "qs" in klass.__dict__:
            return True
    return False
