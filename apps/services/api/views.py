"""The enterprise-service API. Writes go through the same services as the pages; a refusal
by role answers 403 with the reason, a refusal by state (or bad input) 400."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.services import filters, permissions, selectors, services
from apps.services.api import serializers as s
from apps.services.models import (
    DemandCategory,
    DemandEvent,
    FinancialInstitution,
    MatchmakingMeeting,
    PolicyProgramme,
)


def _refuse(error: DjangoValidationError):
    raise ValidationError({"detail": error.messages})


def _advance(view, request, *, body_class, result_class, advance):
    """Move a record to its next status through its service; answer the record."""
    record = view.get_object()
    body = body_class(data=request.data)
    body.is_valid(raise_exception=True)
    try:
        with transaction.atomic():
            record = advance(record, body.validated_data)
    except DjangoValidationError as error:
        _refuse(error)
    return Response(result_class(view.get_queryset().get(pk=record.pk)).data)


class CreateListRetrieve(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    pass


class ViewDemandPermission(IsAuthenticated):
    """Transition endpoints: anyone who may read demands may try; the service decides."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.has_perm(
            "services.view_demand"
        )


class DemandViewSet(CreateListRetrieve):
    """Demands (诉求). Create registers one (source 电话 / 企业自报 / 项目推进; demands from
    a visit are created with the visit). State changes are the actions below."""

    filterset_class = filters.DemandFilter
    ordering_fields = ["raised_on", "deadline", "id"]

    def get_queryset(self):
        queryset = selectors.demand_list()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("events__by")
        return queryset

    def get_serializer_class(self):
        if self.action == "create":
            return s.DemandCreateSerializer
        if self.action == "retrieve":
            return s.DemandDetailSerializer
        if self.action in services.CHECKS:
            return s.TransitionSerializer
        return s.DemandSerializer

    @extend_schema(request=s.DemandCreateSerializer, responses={201: s.DemandSerializer})
    def create(self, request, *args, **kwargs):
        serializer = s.DemandCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                demand = services.demand_create(**serializer.validated_data, by=request.user)
        except DjangoValidationError as error:
            _refuse(error)
        demand = selectors.demand_list().get(pk=demand.pk)
        return Response(
            s.DemandSerializer(demand, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    def _transition(self, request, pk, action_name):
        demand = self.get_object()
        if action_name == DemandEvent.Action.FOLLOW_UP:
            who = permissions.can_follow_up(request.user)
        elif action_name == DemandEvent.Action.INSTRUCT:
            who = services.check_instruct(request.user, demand) is None
        else:
            who = permissions.is_responsible(request.user, demand)
        if not who:
            raise PermissionDenied(services.CHECKS[action_name](request.user, demand))
        body = s.TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        calls = {
            DemandEvent.Action.ACCEPT: lambda: services.demand_accept(
                demand=demand,
                by=request.user,
                assignee=data.get("assignee"),
                comment=data["comment"],
                deadline=data.get("deadline"),
            ),
            DemandEvent.Action.CLOSE: lambda: services.demand_close(
                demand=demand,
                by=request.user,
                resolution=data["resolution"],
                closed_on=data.get("closed_on"),
            ),
            DemandEvent.Action.FOLLOW_UP: lambda: services.demand_follow_up(
                demand=demand,
                by=request.user,
                satisfaction=data.get("satisfaction", ""),
                comment=data["comment"],
            ),
            DemandEvent.Action.RETURN: lambda: services.demand_return(
                demand=demand, by=request.user, reason=data["reason"]
            ),
            DemandEvent.Action.REASSIGN: lambda: self._reassign(demand, request.user, data),
            DemandEvent.Action.INSTRUCT: lambda: services.demand_instruct(
                demand=demand, by=request.user, instruction=data["instruction"]
            ),
        }
        try:
            with transaction.atomic():
                calls[action_name]()
        except DjangoValidationError as error:
            _refuse(error)
        demand = self.get_queryset().prefetch_related("events__by").get(pk=demand.pk)
        return Response(s.DemandDetailSerializer(demand, context={"request": request}).data)

    @staticmethod
    def _reassign(demand, user, data):
        # The state's refusal first: asking for a department a closed demand cannot go to
        # would hide the real reason.
        refusal = services.check_reassign(user, demand)
        if refusal:
            raise DjangoValidationError(refusal)
        if data.get("department") is None:
            raise DjangoValidationError("请选择转至的部门")
        return services.demand_reassign(
            demand=demand, by=user, department=data["department"], reason=data["reason"]
        )

    @extend_schema(request=s.TransitionSerializer, responses=s.DemandDetailSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ViewDemandPermission])
    def accept(self, request, pk=None):
        """受理 (responsible department): optional assignee (default: me) and comment."""
        return self._transition(request, pk, DemandEvent.Action.ACCEPT)

    @extend_schema(request=s.TransitionSerializer, responses=s.DemandDetailSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ViewDemandPermission])
    def close(self, request, pk=None):
        """办结 (responsible department): resolution required, optional closed_on."""
        return self._transition(request, pk, DemandEvent.Action.CLOSE)

    @extend_schema(request=s.TransitionSerializer, responses=s.DemandDetailSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="follow-up",
        permission_classes=[ViewDemandPermission],
    )
    def follow_up(self, request, pk=None):
        """回访 (企业服务局): satisfaction; 不满意 (with a comment) reopens the demand."""
        return self._transition(request, pk, DemandEvent.Action.FOLLOW_UP)

    @extend_schema(request=s.TransitionSerializer, responses=s.DemandDetailSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        permission_classes=[ViewDemandPermission],
    )
    def return_(self, request, pk=None):
        """退回 (responsible department, pending only): reason required."""
        return self._transition(request, pk, DemandEvent.Action.RETURN)

    @extend_schema(request=s.TransitionSerializer, responses=s.DemandDetailSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ViewDemandPermission])
    def reassign(self, request, pk=None):
        """转办 (responsible department): department and reason required."""
        return self._transition(request, pk, DemandEvent.Action.REASSIGN)

    @extend_schema(request=s.TransitionSerializer, responses=s.DemandDetailSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ViewDemandPermission])
    def instruct(self, request, pk=None):
        """批示 (leadership), at any stage: `instruction` required; the status is unchanged."""
        return self._transition(request, pk, DemandEvent.Action.INSTRUCT)


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
        try:
            with transaction.atomic():
                services.visit_update(visit=visit, by=request.user, **body.validated_data)
        except services.VisitRefused as error:
            raise PermissionDenied(error.messages[0]) from None
        except DjangoValidationError as error:
            _refuse(error)
        return Response(s.VisitSerializer(self.get_queryset().get(pk=visit.pk)).data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        demands = [services.DemandInput(**item) for item in data.pop("demands", [])]
        try:
            with transaction.atomic():
                visit = services.visit_create(**data, demands=demands, by=self.request.user)
        except DjangoValidationError as error:
            _refuse(error)
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
    queryset = MatchmakingMeeting.objects.prefetch_related("institutions", "enterprises")
    serializer_class = s.MeetingSerializer
    filterset_class = filters.MeetingFilter
    ordering_fields = ["held_on"]


class FinancingNeedViewSet(viewsets.ModelViewSet):
    serializer_class = s.FinancingNeedSerializer
    filterset_class = filters.FinancingNeedFilter
    ordering_fields = ["raised_on", "amount"]

    def get_queryset(self):
        return selectors.financing_need_list()


class LoanIntentViewSet(CreateListRetrieve):
    """Loan letters of intent; progress through `advance` (意向 → 审批中 → 已授信 → 已放款,
    or 未成功 with a reason)."""

    serializer_class = s.LoanIntentSerializer
    filterset_class = filters.LoanIntentFilter
    ordering_fields = ["signed_on", "amount"]

    def get_queryset(self):
        return selectors.loan_intent_list()

    def get_serializer_class(self):
        return s.LoanAdvanceSerializer if self.action == "advance" else s.LoanIntentSerializer

    @extend_schema(request=s.LoanAdvanceSerializer, responses=s.LoanIntentSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        return _advance(
            self,
            request,
            body_class=s.LoanAdvanceSerializer,
            result_class=s.LoanIntentSerializer,
            advance=lambda intent, data: services.loan_intent_advance(
                intent=intent, by=request.user, **data
            ),
        )


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


class PolicyApplicationViewSet(CreateListRetrieve):
    """Policy applications; progress through `advance` (辅导中 → 已申报 → 已获批 / 未获批).
    Approval of a programme that grants a qualification creates it on the enterprise."""

    serializer_class = s.PolicyApplicationSerializer
    filterset_class = filters.ApplicationFilter
    ordering_fields = ["year", "started_on"]

    def get_queryset(self):
        return selectors.application_list()

    def get_serializer_class(self):
        if self.action == "advance":
            return s.ApplicationAdvanceSerializer
        return s.PolicyApplicationSerializer

    @extend_schema(request=s.ApplicationAdvanceSerializer, responses=s.PolicyApplicationSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        return _advance(
            self,
            request,
            body_class=s.ApplicationAdvanceSerializer,
            result_class=s.PolicyApplicationSerializer,
            advance=lambda application, data: services.application_advance(
                application=application, by=request.user, **data
            ),
        )
