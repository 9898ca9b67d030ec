"""One FilterSet per list, shared by the page and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.filters import IntegerFilter, ReferenceChoiceFilter, YesNoFilter
from apps.enterprises.models import ChainNode, IndustryChain
from apps.investment import selectors
from apps.investment.models import (
    Activity,
    AnnualTarget,
    ChainRole,
    ChainTarget,
    FundsArrival,
    Investor,
    Lead,
    Project,
    ResidentReport,
    Team,
)


class InvestorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    province = django_filters.CharFilter(label=_("来源省份"), field_name="province")

    class Meta:
        model = Investor
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value))


class LeadFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    channel = django_filters.ChoiceFilter(label=_("信息来源"), choices=Lead.Channel.choices)
    chain_role = django_filters.ChoiceFilter(label=_("链条作用"), choices=ChainRole.choices)
    judgement = django_filters.ChoiceFilter(label=_("研判"), choices=Lead.Judgement.choices)
    team = ReferenceChoiceFilter(label=_("招商小组"), queryset=Team.objects.all())
    chain_node = ReferenceChoiceFilter(
        label=_("产业链环节"), queryset=ChainNode.objects.select_related("chain")
    )
    pool = YesNoFilter(label=_("公海池"), method="in_pool")
    duplicate = YesNoFilter(label=_("疑似重复"), method="flagged")
    mine = YesNoFilter(label=_("我负责的"), method="owned")
    clock = django_filters.ChoiceFilter(
        label=_("时限"),
        method="by_clock",
        choices=[
            ("overdue", _("分派或研判超时")),
            ("owner_overdue", _("分派超时")),
            ("judgement_overdue", _("研判超时")),
            ("pool_warning", _("即将退回公海池")),
            ("referrer_overdue", _("超时未反馈引荐人")),
        ],
    )
    # One lead (a dashboard link to a lead past its clock).
    id = IntegerFilter(label=_("线索编号"), field_name="pk", widget=forms.HiddenInput)
    reported_from = django_filters.DateFilter(
        label=_("首报日期从"), field_name="reported_at__date", lookup_expr="gte"
    )
    reported_to = django_filters.DateFilter(
        label=_("首报日期至"), field_name="reported_at__date", lookup_expr="lte"
    )

    class Meta:
        model = Lead
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(investor__name__icontains=value))

    def in_pool(self, queryset, name, value):
        pool = Q(owner__isnull=True, merged=False)
        return queryset.filter(pool) if value else queryset.exclude(pool)

    def flagged(self, queryset, name, value):
        flag = Q(duplicate_of__isnull=False, merged=False)
        return queryset.filter(flag) if value else queryset.exclude(flag)

    def by_clock(self, queryset, name, value):
        condition = {
            "overdue": selectors.clock_overdue_q,
            "owner_overdue": selectors.owner_overdue_q,
            "judgement_overdue": selectors.judgement_overdue_q,
            "pool_warning": selectors.pool_warning_q,
            "referrer_overdue": selectors.referrer_overdue_q,
        }[value]()
        return queryset.filter(condition)

    def owned(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return queryset
        return queryset.filter(owner=user) if value else queryset.exclude(owner=user)


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    status = django_filters.MultipleChoiceFilter(label=_("阶段"), choices=Project.Status.choices)
    team = ReferenceChoiceFilter(label=_("招商小组"), queryset=Team.objects.all())
    owner = django_filters.ModelChoiceFilter(
        label=_("负责人"), queryset=User.objects.filter(is_active=True)
    )
    chain_node = ReferenceChoiceFilter(
        label=_("产业链环节"), queryset=ChainNode.objects.select_related("chain")
    )
    red = YesNoFilter(label=_("停留超期（红灯）"), method="overdue")
    # One project (a dashboard link to a red project of the pipeline).
    id = IntegerFilter(label=_("项目编号"), field_name="pk", widget=forms.HiddenInput)
    signed_from = django_filters.DateFilter(
        label=_("首次签约从"), field_name="signed_on", lookup_expr="gte"
    )
    signed_to = django_filters.DateFilter(
        label=_("首次签约至"), field_name="signed_on", lookup_expr="lte"
    )

    class Meta:
        model = Project
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(investor__name__icontains=value))

    def overdue(self, queryset, name, value):
        red = selectors.red_q()
        return queryset.filter(red) if value else queryset.exclude(red)


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=Activity.Kind.choices)
    province = django_filters.CharFilter(label=_("省份"), field_name="province")
    year = IntegerFilter(
        label=_("年度"), field_name="starts_on__year", min_value=2000, max_value=2100
    )
    team = ReferenceChoiceFilter(label=_("招商小组"), queryset=Team.objects.all())

    class Meta:
        model = Activity
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(visitors__icontains=value) | Q(city__icontains=value)
        )


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
    team = ReferenceChoiceFilter(
        label=_("招商小组"), field_name="project__team", queryset=Team.objects.all()
    )
    origin = django_filters.ChoiceFilter(label=_("资金来源"), choices=FundsArrival.Origin.choices)

    class Meta:
        model = FundsArrival
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(project__name__icontains=value)


class AnnualTargetFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    year = IntegerFilter(label=_("年度"), min_value=2000, max_value=2100)
    team = ReferenceChoiceFilter(label=_("招商小组"), queryset=Team.objects.all())

    class Meta:
        model = AnnualTarget
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(team__name__icontains=value)


class ChainTargetFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    chain = ReferenceChoiceFilter(
        label=_("产业链"), field_name="chain_node__chain", queryset=IndustryChain.objects.all()
    )
    chain_node = ReferenceChoiceFilter(
        label=_("产业链环节"), queryset=ChainNode.objects.select_related("chain")
    )
    role = django_filters.ChoiceFilter(label=_("链条作用"), choices=ChainRole.choices)
    has_lead = YesNoFilter(label=_("已形成线索"), method="linked")

    class Meta:
        model = ChainTarget
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(note__icontains=value))

    def linked(self, queryset, name, value):
        return queryset.filter(lead__isnull=not value)


class ResidentReportFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ResidentReport.Status.choices)
    team = ReferenceChoiceFilter(
        label=_("小分队"), queryset=Team.objects.filter(kind=Team.Kind.RESIDENT)
    )
    year = IntegerFilter(label=_("年度"), field_name="month__year", min_value=2000, max_value=2100)

    class Meta:
        model = ResidentReport
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(team__name__icontains=value)
            | Q(destinations__icontains=value)
            | Q(work__icontains=value)
        )
