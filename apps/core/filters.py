"""Filters shared by every list (the page and the API read the same FilterSet): a filter whose
value is not one it can take is refused (400 on the API, the reason on the page's filter
form), never silently read as "no filter" or as something else."""

import uuid

import django_filters
import django_filters.fields
from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.forms.models import ModelChoiceIteratorValue
from django.utils.translation import get_language
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


# --- Reference tables' choices, without a query per page ----------------------------------
#
# A list's filter form offers the rows of small reference tables (parks, chains, departments…)
# as a select. Django's ModelChoiceField queries them on every render; they change a few times
# a year. ReferenceChoiceFilter keeps the rendered choices (value, label, object) in the
# process, tagged with one version token kept in the shared cache: any save or delete of a
# model the choices read (the queryset's model and its select_related models) replaces the
# token (immediately, and again when the transaction commits), so every process reads fresh
# rows on its next page. Validation is Django's (``queryset.get(pk=…)``): the API and the
# page refuse exactly what they refused before. Without the shared cache (Redis down), the
# choices are read from the database as before.

REFERENCE_VERSION_KEY = "reference-choices:version"
# Bounds what a write that sends no signal (QuerySet.update, a data migration) leaves stale.
REFERENCE_VERSION_SECONDS = 600

_reference_choices: dict = {}
_reference_version: list = [None]
_reference_models: set = set()


def reference_version() -> str | None:
    """The current token (made when missing), or None without a working cache."""
    version = cache.get(REFERENCE_VERSION_KEY)
    if version is None:
        cache.add(REFERENCE_VERSION_KEY, uuid.uuid4().hex, REFERENCE_VERSION_SECONDS)
        version = cache.get(REFERENCE_VERSION_KEY)
    return version


def invalidate_reference_choices(**kwargs) -> None:
    """Every process reads the reference choices from the database again."""

    def bump():
        cache.set(REFERENCE_VERSION_KEY, uuid.uuid4().hex, REFERENCE_VERSION_SECONDS)

    bump()
    # Again after the commit: a page rendered between the save and the commit read the old
    # rows under the first new token.
    transaction.on_commit(bump, robust=True)


def watch_reference_model(model) -> None:
    if model in _reference_models:
        return
    _reference_models.add(model)
    uid = f"reference-choices-{model._meta.label_lower}"
    post_save.connect(
        invalidate_reference_choices, sender=model, dispatch_uid=f"{uid}-s", weak=False
    )
    post_delete.connect(
        invalidate_reference_choices, sender=model, dispatch_uid=f"{uid}-d", weak=False
    )


def _related_models(model, select_related) -> list:
    if not isinstance(select_related, dict):
        return []
    found = []
    for name, deeper in select_related.items():
        related = model._meta.get_field(name).related_model
        found.append(related)
        found.extend(_related_models(related, deeper))
    return found


def _cached_choices(field) -> list:
    """[(value, label, object)] of the field's queryset, read once per version."""
    queryset = field.queryset

    def read():
        rows = queryset if queryset._prefetch_related_lookups else queryset.iterator()
        return [(field.prepare_value(obj), field.label_from_instance(obj), obj) for obj in rows]

    version = reference_version()
    if version is None:
        return read()
    if _reference_version[0] != version:
        _reference_choices.clear()
        _reference_version[0] = version
    # The version in the key too: a thread that read an older token may store its rows
    # while another reads with the new one.
    key = (version, type(field), field.to_field_name, str(queryset.query), get_language())
    choices = _reference_choices.get(key)
    if choices is None:
        choices = read()
        _reference_choices[key] = choices
    return choices


class ReferenceChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """django-filter's choices (empty and null choice first) from ``_cached_choices``."""

    def __iter__(self):
        field = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        if field.null_label is not None:
            yield (field.null_value, field.null_label)
        for value, label, obj in _cached_choices(field):
            yield (ModelChoiceIteratorValue(value, obj), label)

    def __len__(self):
        extra = (self.field.empty_label is not None) + (self.field.null_label is not None)
        return len(_cached_choices(self.field)) + extra

    def __bool__(self):
        return self.field.empty_label is not None or bool(_cached_choices(self.field))


class ReferenceChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ReferenceChoiceIterator


class ReferenceChoiceFilter(django_filters.ModelChoiceFilter):
    """A ModelChoiceFilter over a small reference table whose choices a page shows without a
    query (see above); validation, the API and the schema are ModelChoiceFilter's."""

    field_class = ReferenceChoiceField

    def __init__(self, *args, queryset, **kwargs):
        if callable(queryset) and not hasattr(queryset, "model"):
            raise TypeError("ReferenceChoiceFilter needs a queryset, not a function of the request")
        super().__init__(*args, queryset=queryset, **kwargs)
        watch_reference_model(queryset.model)
        for model in _related_models(queryset.model, queryset.query.select_related):
            watch_reference_model(model)
