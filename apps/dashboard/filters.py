"""The funds arrived behind the 到位资金 figures: one FilterSet for the page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from apps.core.filters import IntegerFilter
from apps.dashboard.models import Briefing
from apps.investment.models import FundsArrival, Team


class FundsArrivalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    month_from = django_filters.DateFilter(label=_("月份从"), field_name="month", lookup_expr="gte")
    month_to = django_filters.DateFilter(label=_("月份至"), field_name="month", lookup_expr="lte")
    signed_from = django_filters.DateFilter(
        label=_("项目首次签约从"), field_name="project__signed_on", lookup_expr="gte"
    )
    signed_to = django_filters.DateFilter(
        label=_("项目首次签约至"), field_name="project__signed_on", lookup_expr="lte"
    )
    team = django_filters.ModelChoiceFilter(
        label=_("招商小组"), field_name="project__team", queryset=Team.objects.all()
    )
    origin = django_filters.ChoiceFilter(label=_("资金来源"), choices=FundsArrival.Origin.choices)

    class Meta:
        model = FundsArrival
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(project__name__icontains=value)


class BriefingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), field_name="title", lookup_expr="icontains")
    year = IntegerFilter(label=_("年度"), min_value=2000, max_value=2100)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Briefing.Status.choices)

    class Meta:
        model = Briefing
        fields = []
