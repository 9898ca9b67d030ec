"""One FilterSet per list, shared by the page and the API."""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.filters import IntegerFilter, ReferenceChoiceFilter, YesNoFilter
from apps.enterprises.models import Park
from apps.projects import rag, selectors
from apps.projects.models import MonthlyReport, Project

MONTH_VALIDATOR = RegexValidator(
    r"^(19|20|21)\d{2}-(0[1-9]|1[0-2])$", _("月份格式应为 YYYY-MM，例如 2023-11")
)


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    # The ledger's month: chosen by the page's and the API's base queryset (its figures and
    # colours); here so that a bad value is refused and the form shows it.
    month = django_filters.CharFilter(
        label=_("月份"), method="keep", validators=[MONTH_VALIDATOR], max_length=7
    )
    status = django_filters.MultipleChoiceFilter(label=_("状态"), choices=Project.Status.choices)
    level = django_filters.ChoiceFilter(label=_("级别"), choices=Project.Level.choices)
    park = ReferenceChoiceFilter(label=_("园区"), queryset=Park.objects.all())
    colour = django_filters.ChoiceFilter(
        label=_("预警"), choices=rag.COLOUR_CHOICES, method="filter_colour"
    )
    nature = django_filters.ChoiceFilter(
        label=_("性质"), choices=Project.Nature.choices, method="filter_nature"
    )
    liaison = django_filters.ModelChoiceFilter(
        label=_("联络员"), queryset=User.objects.filter(groups__name="项目联络员")
    )
    leader = django_filters.ModelChoiceFilter(
        label=_("包联领导"), queryset=User.objects.filter(groups__name="领导")
    )
    mine = YesNoFilter(label=_("我联络的"), method="filter_mine")
    # Figure links (hidden on the page).
    constructing_on = django_filters.DateFilter(
        label=_("在建日期"), method="filter_constructing", widget=forms.HiddenInput
    )
    started_from = django_filters.DateFilter(
        label=_("开工日期从"), field_name="actual_start", lookup_expr="gte"
    )
    started_to = django_filters.DateFilter(
        label=_("开工日期至"), field_name="actual_start", lookup_expr="lte"
    )
    report_overdue = YesNoFilter(label=_("月报逾期"), method="filter_report_overdue")
    # One project (a dashboard link to a red project: its row of the ledger).
    id = IntegerFilter(label=_("项目编号"), field_name="pk", widget=forms.HiddenInput)

    class Meta:
        model = Project
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(enterprise__name__icontains=value)
            | Q(content__icontains=value)
        )

    def keep(self, queryset, name, value):
        return queryset

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return queryset
        return queryset.filter(liaison=user) if value else queryset.exclude(liaison=user)

    def filter_constructing(self, queryset, name, value):
        return queryset.filter(selectors.constructing_q(value))

    def filter_report_overdue(self, queryset, name, value):
        overdue = selectors.report_overdue_q()
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_nature(self, queryset, name, value):
        # 性质 in the ledger's year (the chosen month's), derived from the dates.
        year = selectors.period_from(self.data.get("month")).year
        return queryset.filter(selectors.nature_q(value, year))

    def filter_colour(self, queryset, name, value):
        # The ids of the colour, computed in SQL (rag.with_colour, the rules of rag.assess) over
        # every project once and kept until a write (rag.colour_ids): no row is built to be
        # filtered, and the page's query does not evaluate the colour again.
        period = selectors.period_from(self.data.get("month"))
        return queryset.filter(pk__in=rag.colour_ids(period)[value])


class ReportFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=MonthlyReport.Status.choices)
    year = IntegerFilter(label=_("年度"), field_name="year")
    month_from = IntegerFilter(label=_("月份从"), field_name="month", lookup_expr="gte")
    month_to = IntegerFilter(label=_("月份至"), field_name="month", lookup_expr="lte")
    project = IntegerFilter(label=_("项目"), field_name="project", widget=forms.HiddenInput)
    liaison = django_filters.ModelChoiceFilter(
        label=_("联络员"),
        field_name="project__liaison",
        queryset=User.objects.filter(groups__name="项目联络员"),
    )

    class Meta:
        model = MonthlyReport
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(project__name__icontains=value) | Q(project__enterprise__name__icontains=value)
        )
