"""One FilterSet per list, shared by the page and the API: the briefings, the year's targets."""

import django_filters
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Department
from apps.core.filters import IntegerFilter, ReferenceChoiceFilter
from apps.dashboard.models import Briefing, Target


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
    department = ReferenceChoiceFilter(label=_("责任部门"), queryset=Department.objects.all())
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
