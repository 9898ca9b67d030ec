from datetime import timedelta

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from apps.core.filters import IntegerFilter, ReferenceChoiceFilter
from apps.core.search import text_search
from apps.enterprises import selectors
from apps.enterprises.models import (
    Enterprise,
    IndustryChain,
    MonthlyStatistic,
    Park,
    Qualification,
    QualificationType,
    StatisticsMembership,
    qualification_status_q,
)


@extend_schema_field(OpenApiTypes.INT)
class QualificationTypeFilter(ReferenceChoiceFilter):
    """A qualification type by id (the filtering itself is the FilterSet's method)."""


YES_NO = [("true", _("是")), ("false", _("否"))]
PERIOD_VALIDATOR = RegexValidator(r"^(19|20)\d\d-(0[1-9]|1[0-2])$", _("月份格式应为 2023-11"))
ANY_FOUR_ABOVE = "any"


class EnterpriseFilterMixin(django_filters.FilterSet):
    """For every list about enterprises' things (visits, demands, leads, projects): an
    enterprise by id (links from the enterprise page, the API) or by part of its name (the
    search box: a 600-option select is no use on a phone)."""

    enterprise = IntegerFilter(label=_("企业编号"), field_name="enterprise_id")
    enterprise_name = django_filters.CharFilter(
        label=_("企业名称"), field_name="enterprise__name", lookup_expr="icontains"
    )


def _descending(label):
    """django-filter formats "label (descending)" once, at import, in the default language;
    kept lazy here so that it follows the language of each request."""
    return lazy(lambda: django_filters.OrderingFilter.descending_fmt % label, str)()


ORDERING_LABELS = {
    "name": _("企业名称"),
    "settled_on": _("入驻日期"),
    "registered_capital": _("注册资本"),
    "employees": _("从业人数"),
}


class EnterpriseFilter(django_filters.FilterSet):
    """The enterprise list's filters, shared by the staff page and the API."""

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    park = ReferenceChoiceFilter(label=_("园区"), queryset=Park.objects.all())
    chain = ReferenceChoiceFilter(label=_("产业链"), queryset=IndustryChain.objects.all())
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Enterprise.Status.choices)
    four_above = django_filters.ChoiceFilter(
        label=_("四上类别"),
        choices=[
            (ANY_FOUR_ABOVE, _("四上企业（任一类别）")),
            *StatisticsMembership.Category.choices,
        ],
        method="filter_four_above",
    )
    qualification = QualificationTypeFilter(
        label=_("有效资质"),
        queryset=QualificationType.objects.all(),
        method="filter_qualification",
    )
    strategic = django_filters.ChoiceFilter(
        label=_("战略新兴"), choices=YES_NO, method="filter_strategic"
    )
    listed = django_filters.ChoiceFilter(label=_("上市"), choices=YES_NO, method="filter_listed")
    decline = django_filters.ChoiceFilter(
        label=_("产值下滑预警"), choices=YES_NO, method="filter_decline"
    )
    # The decline warnings of a given month (the `decline` box judges the latest month).
    declining = django_filters.CharFilter(
        label=_("产值下滑预警月份"),
        method="filter_declining",
        widget=forms.HiddenInput,
        validators=[PERIOD_VALIDATOR],
    )
    # Link-only filters: each figure of the registry (home page, statistics page) links to
    # exactly the enterprises it counts. `on` is the day the figure is judged on (today by
    # default) for in_zone, four_above and qualification; `reporting` ("2023-11") the 规上工业
    # members that reported in that year up to that month, as the monthly figures count them.
    # (Hidden on the page: apps.enterprises.views.EnterpriseListView's FilterForm.)
    on = django_filters.DateFilter(label=_("统计日期"), method="keep")
    in_zone = django_filters.ChoiceFilter(
        label=_("在区企业"), choices=YES_NO, method="filter_in_zone"
    )
    reporting = django_filters.CharFilter(
        label=_("月报企业"),
        method="filter_reporting",
        validators=[
            RegexValidator(r"^(19|20)\d\d-(0[1-9]|1[0-2])$", _("月份格式应为 2023-11")),
        ],
    )
    ordering = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("name", "name"),
            ("settled_on", "settled_on"),
            ("registered_capital", "registered_capital"),
            ("employees", "employees"),
        ),
        field_labels={
            **ORDERING_LABELS,
            **{f"-{field}": _descending(label) for field, label in ORDERING_LABELS.items()},
        },
    )

    class Meta:
        model = Enterprise
        fields = ["q", "park", "chain", "status"]

    # The decline warning is read off the monthly figures: only roles that may see those
    # figures see the filter, and asking for it without them is refused, not ignored.
    DECLINE_PERMISSION = "enterprises.view_monthlystatistic"

    def __init__(self, data=None, *args, request=None, **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is None or not user.has_perm(self.DECLINE_PERMISSION):
            self.filters.pop("decline", None)
            self.filters.pop("declining", None)
            if data is not None and (data.get("decline") or data.get("declining")):
                raise PermissionDenied(_("您无权查看月报数据，不能按产值下滑预警筛选"))

    def search(self, queryset, name, value):
        return text_search(queryset, value, ["name", "credit_code", "legal_representative"])

    def day(self):
        """The day the registry filters judge on: `on`, or today."""
        return self.form.cleaned_data.get("on") or timezone.localdate()

    def keep(self, queryset, name, value):
        return queryset

    def filter_four_above(self, queryset, name, value):
        category = None if value == ANY_FOUR_ABOVE else value
        members = selectors.memberships_active_on(self.day(), category)
        return queryset.filter(id__in=members.values("enterprise_id"))

    def filter_qualification(self, queryset, name, value):
        holders = Qualification.objects.filter(
            selectors.valid_qualifications_q(self.day()), type=value
        )
        return queryset.filter(id__in=holders.values("enterprise_id"))

    def filter_in_zone(self, queryset, name, value):
        in_zone = selectors.in_zone_q(self.day())
        return queryset.filter(in_zone) if value == "true" else queryset.exclude(in_zone)

    def filter_reporting(self, queryset, name, value):
        year, month = (int(part) for part in value.split("-"))
        return queryset.filter(id__in=selectors.reporting_member_ids(year=year, month=month))

    def filter_declining(self, queryset, name, value):
        year, month = (int(part) for part in value.split("-"))
        declining = list(
            selectors.decline_warning_enterprises(year=year, month=month).values_list(
                "id", flat=True
            )
        )
        return queryset.filter(id__in=declining)

    def filter_strategic(self, queryset, name, value):
        return queryset.filter(is_strategic_emerging=value == "true")

    def filter_listed(self, queryset, name, value):
        listed = Q(listing_exchange="")
        return queryset.exclude(listed) if value == "true" else queryset.filter(listed)

    def filter_decline(self, queryset, name, value):
        period = selectors.latest_reported_period()
        if period is None:
            return queryset.none() if value == "true" else queryset
        year, month = period
        # Evaluated first: a handful of ids, where the aggregate as an IN subquery would be
        # computed twice (count and page) and planned badly.
        declining = list(
            selectors.decline_warning_enterprises(year=year, month=month).values_list(
                "id", flat=True
            )
        )
        if value == "true":
            return queryset.filter(id__in=declining)
        return queryset.exclude(id__in=declining)


class DaysFilter(IntegerFilter):
    """A whole number of days (the default NumberFilter accepts decimals)."""


class QualificationFilter(django_filters.FilterSet):
    """The qualification list's filters (到期提醒 page and the API)."""

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    # Link and API filters (an enterprise id, a day): no box on the page.
    enterprise = IntegerFilter(label=_("企业"), field_name="enterprise_id")
    type = ReferenceChoiceFilter(label=_("资质类型"), queryset=QualificationType.objects.all())
    level = django_filters.ChoiceFilter(
        label=_("级别"), field_name="type__level", choices=QualificationType.Level.choices
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=Qualification.Status.choices, method="filter_status"
    )
    expiring_within = DaysFilter(
        label=_("N天内到期"),
        method="filter_expiring_within",
        min_value=0,
        max_value=3650,
    )
    valid_on = django_filters.DateFilter(label=_("有效日期"), method="filter_valid_on")

    class Meta:
        model = Qualification
        fields = ["q", "enterprise", "type"]

    def search(self, queryset, name, value):
        return text_search(queryset, value, ["certificate_no", "enterprise__name"])

    def filter_status(self, queryset, name, value):
        return queryset.filter(qualification_status_q(value, on=timezone.localdate()))

    def filter_expiring_within(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(expires_on__gte=today, expires_on__lte=today + timedelta(days=value))

    def filter_valid_on(self, queryset, name, value):
        return queryset.filter(selectors.valid_qualifications_q(value))


class MembershipFilter(django_filters.FilterSet):
    enterprise = IntegerFilter(label=_("企业"), field_name="enterprise_id")
    category = django_filters.ChoiceFilter(
        label=_("类别"), choices=StatisticsMembership.Category.choices
    )
    active_on = django_filters.DateFilter(label=_("在库日期"), method="filter_active_on")

    class Meta:
        model = StatisticsMembership
        fields = ["enterprise", "category"]

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(selectors.active_on(value))


class MonthlyStatisticFilter(django_filters.FilterSet):
    enterprise = IntegerFilter(label=_("企业"), field_name="enterprise_id")
    credit_code = django_filters.CharFilter(
        label=_("统一社会信用代码"), field_name="enterprise__credit_code"
    )
    year = IntegerFilter(label=_("年度"))
    month = IntegerFilter(label=_("月份"))
    # The dashboard's figure links: the rows whose sum is a month's year-to-date figure.
    month_lte = IntegerFilter(label=_("截至月份"), field_name="month", lookup_expr="lte")
    reporting = django_filters.CharFilter(
        label=_("月报企业"), method="filter_reporting", validators=[PERIOD_VALIDATOR]
    )
    comparable = django_filters.CharFilter(
        label=_("同口径企业"), method="filter_comparable", validators=[PERIOD_VALIDATOR]
    )

    class Meta:
        model = MonthlyStatistic
        fields = ["enterprise", "credit_code", "year", "month"]

    def filter_reporting(self, queryset, name, value):
        year, month = (int(part) for part in value.split("-"))
        return queryset.filter(
            enterprise_id__in=selectors.reporting_member_ids(year=year, month=month)
        )

    def filter_comparable(self, queryset, name, value):
        year, month = (int(part) for part in value.split("-"))
        return queryset.filter(
            enterprise_id__in=selectors.comparable_member_ids(year=year, month=month)
        )
