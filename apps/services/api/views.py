"""The enterprise-service API. Writes go through the same services as the pages, and the
three state machines through their workflow declarations (apps.core.api.WorkflowActionsMixin:
one action per transition, validated by the page's own input form). Refusals follow
apps.core.errors: 403 when the actor may not, 400 when not now or not with this input, one
body shape for both."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api import RowListMixin, WorkflowActionsMixin
from apps.services import filters, selectors, services
from apps.services.api import serializers as s
from apps.services.models import (
    DemandCategory,
    FinancialInstitution,
    MatchmakingMeeting,
    PolicyProgramme,
)


class CreateListRetrieve(
    RowListMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    pass


class DemandViewSet(WorkflowActionsMixin, CreateListRetrieve):
    """Demands (诉求). Create registers one (source 电话 / 企业自报 / 项目推进; demands from
    a visit are created with the visit). State changes: one action per transition of
    services.DEMAND_WORKFLOW (accept, close, follow-up, return, reassign, instruct)."""

    filterset_class = filters.DemandFilter
    ordering_fields = ["raised_on", "deadline", "id"]
    workflow = services.DEMAND_WORKFLOW
    workflow_serializer_class = s.DemandDetailSerializer
    # What OPTIONS describes (DRF's metadata asks for a serializer whatever the action).
    serializer_class = s.DemandSerializer

    def get_queryset(self):
        queryset = selectors.demand_list()
        if self.action == "retrieve" or (self.action or "").startswith("transition_"):
            queryset = queryset.prefetch_related("events__by")
        return queryset

    def get_serializer_class(self):
        if self.action == "create":
            return s.DemandCreateSerializer
        if self.action == "retrieve":
            return s.DemandDetailSerializer
        if self.action in ("list", None):
            return s.DemandSerializer
        return super().get_serializer_class()

    @extend_schema(request=s.DemandCreateSerializer, responses={201: s.DemandSerializer})
    def create(self, request, *args, **kwargs):
        serializer = s.DemandCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        demand = services.demand_create(**serializer.validated_data, by=request.user)
        demand = selectors.demand_list().get(pk=demand.pk)
        return Response(
            s.DemandSerializer(demand, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class VisitViewSet(mixins.UpdateModelMixin, CreateListRetrieve):
    """Visits (走访); create takes the demands raised during the visit in `demands`. PATCH
    corrects a visit (date, method, officers, purpose, findings) through the same service as
    the page: its logger or an officer who went, within a week of logging it (403 for others,
    400 with the reason when too late). No PUT: a correction never replaces the record."""

    serializer_class = s.VisitSerializer
    filterset_class = filters.VisitFilter
    ordering_fields = ["visited_on", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.visit_list()

    def get_serializer_class(self):
        if self.action == "partial_update":
            return s.VisitUpdateSerializer
        return s.VisitSerializer

    @extend_schema(request=s.VisitUpdateSerializer, responses=s.VisitSerializer)
    def partial_update(self, request, *args, **kwargs):
        visit = self.get_object()
        body = s.VisitUpdateSerializer(visit, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        services.visit_update(visit=visit, by=request.user, **body.validated_data)
        return Response(s.VisitSerializer(self.get_queryset().get(pk=visit.pk)).data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        demands = [services.DemandInput(**item) for item in data.pop("demands", [])]
        visit = services.visit_create(**data, demands=demands, by=self.request.user)
        serializer.instance = selectors.visit_list().get(pk=visit.pk)


class DemandCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = DemandCategory.objects.all()
    serializer_class = s.DemandCategorySerializer
    pagination_class = None


class FinancialInstitutionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = FinancialInstitution.objects.all()
    serializer_class = s.FinancialInstitutionSerializer
    pagination_class = None


class MeetingViewSet(viewsets.ModelViewSet):
    """Matchmaking meetings; every write through services.meeting_save."""

    queryset = MatchmakingMeeting.objects.prefetch_related("institutions", "enterprises")
    serializer_class = s.MeetingSerializer
    filterset_class = filters.MeetingFilter
    ordering_fields = ["held_on"]

    def perform_create(self, serializer):
        serializer.instance = services.meeting_save(
            **serializer.validated_data, by=self.request.user
        )

    def perform_update(self, serializer):
        serializer.instance = services.meeting_save(
            meeting=serializer.instance, **serializer.validated_data, by=self.request.user
        )

    def perform_destroy(self, instance):
        services.meeting_delete(meeting=instance, by=self.request.user)


class FinancingNeedViewSet(viewsets.ModelViewSet):
    serializer_class = s.FinancingNeedSerializer
    filterset_class = filters.FinancingNeedFilter
    ordering_fields = ["raised_on", "amount"]

    def get_queryset(self):
        return selectors.financing_need_list()

    def perform_create(self, serializer):
        serializer.instance = services.financing_need_save(
            **serializer.validated_data, by=self.request.user
        )

    def perform_update(self, serializer):
        serializer.instance = services.financing_need_save(
            need=serializer.instance, **serializer.validated_data, by=self.request.user
        )

    def perform_destroy(self, instance):
        services.financing_need_delete(need=instance, by=self.request.user)


class LoanIntentViewSet(WorkflowActionsMixin, CreateListRetrieve):
    """Loan letters of intent; one action per step of services.LOAN_WORKFLOW (review, credit,
    disburse, fail)."""

    serializer_class = s.LoanIntentSerializer
    filterset_class = filters.LoanIntentFilter
    ordering_fields = ["signed_on", "amount"]
    workflow = services.LOAN_WORKFLOW
    workflow_serializer_class = s.LoanIntentSerializer

    def get_queryset(self):
        return selectors.loan_intent_list()

    def perform_create(self, serializer):
        intent = services.loan_intent_create(**serializer.validated_data, by=self.request.user)
        serializer.instance = selectors.loan_intent_list().get(pk=intent.pk)


class LoanTotalsView(APIView):
    """Loan intents totalled per institution (same filters as the list)."""

    queryset = selectors.loan_intent_list()

    @extend_schema(responses=s.LoanTotalsSerializer(many=True))
    def get(self, request):
        filterset = filters.LoanIntentFilter(
            request.GET, queryset=selectors.loan_intent_list(), request=request
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        rows = selectors.loan_totals_by_institution(filterset.qs.order_by())
        return Response(s.LoanTotalsSerializer(rows, many=True).data)


class PolicyProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = PolicyProgramme.objects.all()
    serializer_class = s.PolicyProgrammeSerializer
    pagination_class = None


class PolicyApplicationViewSet(WorkflowActionsMixin, CreateListRetrieve):
    """Policy applications; one action per step of services.APPLICATION_WORKFLOW (submit,
    approve, reject). Approval of a programme that grants a qualification issues it."""

    serializer_class = s.PolicyApplicationSerializer
    filterset_class = filters.ApplicationFilter
    ordering_fields = ["year", "started_on"]
    workflow = services.APPLICATION_WORKFLOW
    workflow_serializer_class = s.PolicyApplicationSerializer

    def get_queryset(self):
        return selectors.application_list()

    def perform_create(self, serializer):
        application = services.application_create(**serializer.validated_data, by=self.request.user)
        serializer.instance = selectors.application_list().get(pk=application.pk)
