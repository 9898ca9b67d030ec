"""One FilterSet per list, shared by the staff pages and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.filters import IntegerFilter, ReferenceChoiceFilter, YesNoFilter
from apps.core.search import text_search
from apps.enterprises.filters import EnterpriseFilterMixin
from apps.services import selectors
from apps.services.models import (
    Demand,
    DemandCategory,
    FinancialInstitution,
    FinancingNeed,
    LoanIntent,
    MatchmakingMeeting,
    PolicyApplication,
    PolicyProgramme,
    Visit,
)


class DemandFilter(EnterpriseFilterMixin):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Demand.Status.choices)
    category = ReferenceChoiceFilter(label=_("类别"), queryset=DemandCategory.objects.all())
    department = ReferenceChoiceFilter(
        label=_("责任部门"), queryset=selectors.responsible_departments()
    )
    source = django_filters.ChoiceFilter(label=_("来源"), choices=Demand.Source.choices)
    # A project's problems (the project page links here).
    project = IntegerFilter(label=_("所属项目"), field_name="project", widget=forms.HiddenInput)
    priority = django_filters.ChoiceFilter(label=_("优先级"), choices=Demand.Priority.choices)
    assignee = django_filters.ModelChoiceFilter(label=_("承办人"), queryset=User.objects.all())
    overdue = YesNoFilter(label=_("超期"), method="filter_overdue")
    escalated = YesNoFilter(label=_("升级督办"), method="filter_escalated")
    raised_from = django_filters.DateFilter(
        label=_("提出日期从"), field_name="raised_on", lookup_expr="gte"
    )
    raised_to = django_filters.DateFilter(
        label=_("提出日期至"), field_name="raised_on", lookup_expr="lte"
    )
    # A figure link (the dashboard's 办结): 已办结 or 已回访.
    done = YesNoFilter(label=_("已办结"), method="filter_done", widget=forms.HiddenInput)

    class Meta:
        model = Demand
        fields = []

    def search(self, queryset, name, value):
        number = value.strip().lstrip("#")
        by_id = Q(pk=int(number)) if number.isascii() and number.isdigit() else None
        return text_search(queryset, value, ["description", "enterprise__name"], extra=by_id)

    def filter_done(self, queryset, name, value):
        done = Q(status__in=Demand.DONE_STATUSES)
        return queryset.filter(done) if value else queryset.exclude(done)

    def filter_overdue(self, queryset, name, value):
        return (
            queryset.filter(selectors.overdue_q())
            if value
            else queryset.exclude(selectors.overdue_q())
        )

    def filter_escalated(self, queryset, name, value):
        return (
            queryset.filter(selectors.escalated_q())
            if value
            else queryset.exclude(selectors.escalated_q())
        )


class VisitFilter(EnterpriseFilterMixin):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    method = django_filters.ChoiceFilter(label=_("方式"), choices=Visit.Method.choices)
    staff = django_filters.ModelChoiceFilter(
        label=_("走访人员"), queryset=selectors.service_staff(), field_name="staff"
    )
    visited_from = django_filters.DateFilter(
        label=_("走访日期从"), field_name="visited_on", lookup_expr="gte"
    )
    visited_to = django_filters.DateFilter(
        label=_("走访日期至"), field_name="visited_on", lookup_expr="lte"
    )
    # A figure link (走访覆盖): each enterprise's latest visit among the rows filtered so far,
    # so the count is the number of enterprises visited. Declared last: it sees the others.
    one_per_enterprise = YesNoFilter(
        label=_("每家企业一条"), method="filter_one_per_enterprise", widget=forms.HiddenInput
    )

    class Meta:
        model = Visit
        fields = []

    def filter_one_per_enterprise(self, queryset, name, value):
        if not value:
            return queryset
        latest = (
            queryset.order_by("enterprise_id", "-visited_on", "-id")
            .distinct("enterprise_id")
            .values("id")
        )
        return queryset.filter(id__in=latest)

    def search(self, queryset, name, value):
        return text_search(queryset, value, ["purpose", "findings", "enterprise__name"])


class LoanIntentFilter(EnterpriseFilterMixin):
    institution = ReferenceChoiceFilter(
        label=_("金融机构"), queryset=FinancialInstitution.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=LoanIntent.Status.choices)
    meeting = ReferenceChoiceFilter(label=_("对接会"), queryset=MatchmakingMeeting.objects.all())
    signed_from = django_filters.DateFilter(
        label=_("签订日期从"), field_name="signed_on", lookup_expr="gte"
    )
    signed_to = django_filters.DateFilter(
        label=_("签订日期至"), field_name="signed_on", lookup_expr="lte"
    )

    class Meta:
        model = LoanIntent
        fields = []


class FinancingNeedFilter(EnterpriseFilterMixin):
    q = django_filters.CharFilter(label=_("用途"), field_name="purpose", lookup_expr="icontains")
    meeting = ReferenceChoiceFilter(label=_("对接会"), queryset=MatchmakingMeeting.objects.all())

    class Meta:
        model = FinancingNeed
        fields = []


class MeetingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    held_from = django_filters.DateFilter(
        label=_("日期从"), field_name="held_on", lookup_expr="gte"
    )
    held_to = django_filters.DateFilter(label=_("日期至"), field_name="held_on", lookup_expr="lte")

    class Meta:
        model = MatchmakingMeeting
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(organiser__icontains=value))


class ApplicationFilter(EnterpriseFilterMixin):
    programme = ReferenceChoiceFilter(label=_("政策项目"), queryset=PolicyProgramme.objects.all())
    level = django_filters.ChoiceFilter(
        label=_("级别"), choices=PolicyProgramme.Level.choices, field_name="programme__level"
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=PolicyApplication.Status.choices)
    year = IntegerFilter(label=_("申报年度"))

    class Meta:
        model = PolicyApplication
        fields = []
