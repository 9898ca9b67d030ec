from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api import WorkflowActionsMixin
from apps.core.figures import Period
from apps.dashboard import filters, permissions, selectors, services
from apps.dashboard.api.serializers import (
    BriefingDetailSerializer,
    BriefingSerializer,
    TargetSerializer,
)
from apps.dashboard.services import BRIEFING_WORKFLOW


class CanViewDashboard(BasePermission):
    def has_permission(self, request, view):
        return permissions.may_open(request.user)


class _Query(serializers.Serializer):
    period = serializers.RegexField(
        r"^(19|20)\d\d-(0[1-9]|1[0-2])$",
        required=False,
        allow_blank=True,
        help_text="月份 YYYY-MM（留空或不给：最近有数据的月份）",
        error_messages={"invalid": "月份格式应为 2023-11"},
    )


class FigureSerializer(serializers.Serializer):
    code = serializers.CharField(source="figure.code")
    label = serializers.CharField(source="figure.label")
    section = serializers.CharField(source="figure.section")
    definition = serializers.CharField(source="figure.definition")
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    unit = serializers.CharField(source="figure.unit")
    period = serializers.CharField(source="period.code")
    current = serializers.BooleanField(source="figure.current", help_text="按今天计，不随月份变")
    yoy = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    target = serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True)
    completion = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    schedule_gap = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="超(+)/欠(−)序时，百分点"
    )
    list_url = serializers.CharField(
        allow_null=True, help_text="API 清单：其 count（或 sum_field 之和）等于 value"
    )
    sum_field = serializers.CharField(source="figure.sum_field")
    page_url = serializers.CharField(allow_null=True)


class DashboardSerializer(serializers.Serializer):
    period = serializers.CharField()
    latest = serializers.CharField()
    figures = FigureSerializer(many=True)


class DashboardView(APIView):
    """Every dashboard figure the user may see for a month (default: the latest with data)."""

    permission_classes = [IsAuthenticated, CanViewDashboard]

    @extend_schema(parameters=[_Query], responses=DashboardSerializer)
    def get(self, request):
        query = _Query(data=request.query_params)
        if not query.is_valid():
            raise ValidationError(query.errors)
        latest = selectors.latest_period()
        text = query.validated_data.get("period")
        period = Period.parse(text) if text else latest
        selectors.note_read(period, latest)
        rows = selectors.dashboard_rows(period=period, user=request.user)
        data = {"period": period.code, "latest": latest.code, "figures": rows}
        return Response(DashboardSerializer(data).data)


class BriefingViewSet(WorkflowActionsMixin, viewsets.ReadOnlyModelViewSet):
    """Monthly briefings; review, return and issue through BRIEFING_WORKFLOW (issuing freezes
    the numbers and the .docx). One briefing (`/api/dashboard/briefings/{id}/`) carries its
    content and, once issued, what now differs; the list does not (a draft's content is
    computed from the data)."""

    serializer_class = BriefingSerializer
    filterset_class = filters.BriefingFilter
    ordering_fields = ["year", "month", "id"]
    workflow = BRIEFING_WORKFLOW
    workflow_serializer_class = BriefingSerializer

    def get_serializer_class(self):
        if self.action == "retrieve":
            return BriefingDetailSerializer
        return super().get_serializer_class()

    def get_queryset(self):
        return selectors.briefing_list()


class TargetViewSet(viewsets.ModelViewSet):
    """The year's targets (年度目标): read by whoever may read them (the leadership), written by
    经济发展局 and the administrator through services.target_save / target_delete, which keep
    the year's rules (monthly targets cumulative, department splits of rates only). A 招商
    team's targets are 招商's: /api/investment/targets/."""

    serializer_class = TargetSerializer
    filterset_class = filters.TargetFilter
    ordering_fields = ["year", "indicator", "month", "id"]

    def get_queryset(self):
        return selectors.target_list()

    def _save(self, serializer, target):
        data = serializer.validated_data

        def given(name):
            return data[name] if name in data else getattr(target, name, None)

        serializer.instance = services.target_save(
            by=self.request.user,
            indicator=given("indicator"),
            year=given("year"),
            value=given("value"),
            month=given("month"),
            department=given("department"),
            target=target,
        )

    def perform_create(self, serializer):
        self._save(serializer, None)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance):
        services.target_delete(by=self.request.user, target=instance)
