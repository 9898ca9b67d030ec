"""One FilterSet per list, shared by the page and the API: the funds arrived behind the 到位资金
figures, the briefings, the year's targets."""

import django_filters
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Department
from apps.core.filters import IntegerFilter
from apps.dashboard.models import Briefing, Target
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


class TargetFilter(django_filters.FilterSet):
    year = IntegerFilter(label=_("年度"), min_value=2000, max_value=2100)
    indicator = django_filters.CharFilter(label=_("指标"))
    month = IntegerFilter(label=_("截至月份"), min_value=1, max_value=12)
    department = django_filters.ModelChoiceFilter(
        label=_("责任部门"), queryset=Department.objects.all()
    )
    split = django_filters.ChoiceFilter(
        label=_("分解方式"),
        method="filter_split",
        choices=[
            ("year", _("全年")),
            ("month", _("按月")),
            ("department", _("按部门")),
        ],
    )

    class Meta:
        model = Target
        fields = []

    def filter_split(self, queryset, name, value):
        return {
            "year": queryset.filter(month__isnull=True, department__isnull=True),
            "month": queryset.filter(month__isnull=False),
            "department": queryset.filter(department__isnull=False),
        }[value]
