"""The 招商 API: the same FilterSets, scopes and services as the pages; the pipeline's
transitions through PROJECT_WORKFLOW (apps.core.api.WorkflowActionsMixin)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from apps.core.api import WorkflowActionsMixin
from apps.investment import filters, selectors, services
from apps.investment.api import serializers as s


class InvestorViewSet(viewsets.ReadOnlyModelViewSet):
    """Investors (客商); contact phones masked outside 招商 and the leadership."""

    serializer_class = s.InvestorSerializer
    filterset_class = filters.InvestorFilter
    ordering_fields = ["name", "id"]

    def get_queryset(self):
        return selectors.investor_list(self.request.user)


class LeadViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Leads (线索) the user may see; create registers one (its first report is the caller,
    now) and flags a duplicate of an earlier report."""

    serializer_class = s.LeadSerializer
    filterset_class = filters.LeadFilter
    ordering_fields = ["reported_at", "id"]

    def get_queryset(self):
        return selectors.lead_list(self.request.user).filter(merged=False)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        lead = services.lead_create(by=self.request.user, **data)
        serializer.instance = selectors.lead_list(self.request.user).get(pk=lead.pk)


class ProjectViewSet(WorkflowActionsMixin, viewsets.ReadOnlyModelViewSet):
    """招商项目; one action per transition of services.PROJECT_WORKFLOW."""

    serializer_class = s.ProjectSerializer
    filterset_class = filters.ProjectFilter
    ordering_fields = ["stage_entered_at", "signed_on", "id"]
    workflow = services.PROJECT_WORKFLOW
    workflow_serializer_class = s.ProjectSerializer

    def get_queryset(self):
        # The serializer shows the investor's name; every other relation is an id.
        return selectors.project_list(self.request.user, related=("investor",))


class ActivityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ActivitySerializer
    filterset_class = filters.ActivityFilter
    ordering_fields = ["starts_on", "id"]

    def get_queryset(self):
        return selectors.activity_list(self.request.user)


class FundsArrivalViewSet(viewsets.ReadOnlyModelViewSet):
    """到位资金: the rows whose `total` sums to the 到位资金 figures (the projects the user may
    see)."""

    serializer_class = s.FundsArrivalSerializer
    filterset_class = filters.FundsArrivalFilter
    ordering_fields = ["month", "id"]

    def get_queryset(self):
        return selectors.funds_arrival_list(self.request.user)


class AnnualTargetViewSet(viewsets.ReadOnlyModelViewSet):
    """Teams' annual targets (年度招商目标)."""

    serializer_class = s.AnnualTargetSerializer
    filterset_class = filters.AnnualTargetFilter
    ordering_fields = ["year", "id"]

    def get_queryset(self):
        return selectors.annual_target_list()


class RankingViewSet(viewsets.GenericViewSet):
    """The team ranking (赛马榜) for January to ?month= of ?year= (default: this month), the
    same rows as the page and its Excel."""

    serializer_class = s.RankingRowSerializer
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        # The permission: whoever may read the annual targets reads the ranking.
        return selectors.annual_target_list()

    @extend_schema(responses=s.RankingSerializer)
    def list(self, request):
        from apps.investment.report_views import year_month

        year, month = year_month(request)
        rows = selectors.team_ranking(year=year, month=month)
        return Response(
            {"year": year, "month": month, "results": self.get_serializer(rows, many=True).data}
        )


class ChainTargetViewSet(viewsets.ReadOnlyModelViewSet):
    """Target enterprises per chain node (招商目标企业); a linked lead shows only to those who
    may see it."""

    serializer_class = s.ChainTargetSerializer
    filterset_class = filters.ChainTargetFilter
    ordering_fields = ["name", "id"]

    def get_queryset(self):
        return selectors.chain_target_list(self.request.user)


class ForecastViewSet(viewsets.GenericViewSet):
    """Signings expected by month, weighted by stage probability, over the projects the caller
    may see (the page's rows)."""

    serializer_class = s.ForecastMonthSerializer
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        # The permission: whoever may read leads reads the forecast.
        return selectors.lead_list(self.request.user)

    @extend_schema(responses=s.ForecastSerializer)
    def list(self, request):
        result = selectors.forecast(selectors.project_scoped(request.user))
        return Response(
            {
                "unscheduled": result["unscheduled"],
                "results": self.get_serializer(result["months"], many=True).data,
            }
        )


class ResidentReportViewSet(WorkflowActionsMixin, viewsets.ReadOnlyModelViewSet):
    """Resident teams' monthly reports; one action per transition of
    services.RESIDENT_REPORT_WORKFLOW (accept, return, resubmit)."""

    serializer_class = s.ResidentReportSerializer
    filterset_class = filters.ResidentReportFilter
    ordering_fields = ["month", "id"]
    workflow = services.RESIDENT_REPORT_WORKFLOW
    workflow_serializer_class = s.ResidentReportSerializer

    def get_queryset(self):
        return selectors.resident_report_list(self.request.user)
