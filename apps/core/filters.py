import django_filters
from django import forms


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (an id, a year): django-filter's NumberFilter takes decimals, so
    `?year=0.5` filtered to nothing instead of being refused as the schema's integer says."""

    field_class = forms.IntegerField
