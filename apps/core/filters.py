import django_filters
from django import forms
from django_filters.filterset import BaseFilterSet
from django_filters.rest_framework import DjangoFilterBackend


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (an id, a year): django-filter's NumberFilter takes decimals, so
    `?year=0.5` filtered to nothing instead of being refused as the schema's integer says."""

    field_class = forms.IntegerField


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
