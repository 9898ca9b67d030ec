from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api import RowListMixin
from apps.core.dates import YEAR_MAX, YEAR_MIN
from apps.core.permissions import ModelPermissionsWithView
from apps.enterprises import selectors, services
from apps.enterprises.api.serializers import (
    EnterpriseListSerializer,
    EnterpriseSerializer,
    MembershipSerializer,
    MonthlyStatisticSerializer,
    PeriodStatisticsSerializer,
    QualificationSerializer,
)
from apps.enterprises.filters import (
    EnterpriseFilter,
    MembershipFilter,
    MonthlyStatisticFilter,
    QualificationFilter,
)
from apps.enterprises.models import MonthlyStatistic


class EnterpriseViewSet(RowListMixin, viewsets.ModelViewSet):
    """The enterprise registry. Enterprises are never deleted: one that leaves is marked 迁出."""

    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering_fields = ["name", "settled_on", "registered_capital", "employees"]

    def get_queryset(self):
        if self.action == "list":
            return selectors.enterprise_list().select_related(None).select_related("park", "chain")
        return selectors.enterprise_list()

    def get_serializer_class(self):
        return EnterpriseListSerializer if self.action == "list" else EnterpriseSerializer

    def perform_create(self, serializer):
        serializer.instance = services.enterprise_create(
            by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        services.enterprise_update(
            enterprise=serializer.instance, by=self.request.user, **serializer.validated_data
        )


class _ServiceSaveMixin:
    """Create/update through the app's save service so the API refuses what pages refuse."""

    save_service = None

    def _save(self, serializer, instance):
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        serializer.instance = type(self).save_service(instance, by=self.request.user)

    def perform_create(self, serializer):
        self._save(serializer, serializer.Meta.model())

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)


class QualificationViewSet(_ServiceSaveMixin, viewsets.ModelViewSet):
    serializer_class = QualificationSerializer
    filterset_class = QualificationFilter
    ordering_fields = ["issued_on", "expires_on"]

    @staticmethod
    def save_service(instance, *, by):
        return services.qualification_save(qualification=instance, by=by)

    def perform_destroy(self, instance):
        services.qualification_delete(qualification=instance, by=self.request.user)

    def get_queryset(self):
        return selectors.qualification_list()


class MembershipViewSet(_ServiceSaveMixin, viewsets.ModelViewSet):
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    ordering_fields = ["entered_on", "exited_on"]

    @staticmethod
    def save_service(instance, *, by):
        return services.membership_save(membership=instance, by=by)

    def perform_destroy(self, instance):
        services.membership_delete(membership=instance, by=self.request.user)

    def get_queryset(self):
        return selectors.membership_list()


class MonthlyStatisticViewSet(viewsets.ReadOnlyModelViewSet):
    """Monthly reports; they are written by the Excel import (one month, all or nothing)."""

    serializer_class = MonthlyStatisticSerializer
    filterset_class = MonthlyStatisticFilter
    ordering_fields = ["year", "month", "output_value", "revenue"]

    def get_queryset(self):
        return selectors.monthly_statistic_list()


class _PeriodQuery(serializers.Serializer):
    # The schema's query parameters come from these fields, bounds included.
    year = serializers.IntegerField(
        min_value=YEAR_MIN, max_value=YEAR_MAX, required=False, help_text="年度"
    )
    month = serializers.IntegerField(min_value=1, max_value=12, required=False, help_text="月份")
    on = serializers.DateField(
        required=False, help_text="名录统计日期（默认所选月份的月末，最新月份为今天）"
    )
    threshold = serializers.IntegerField(
        min_value=1, max_value=90, required=False, help_text="下滑预警阈值（%，默认 10）"
    )


class StatisticsView(APIView):
    """The statistics page's figures for a month (default: the latest reported month), with the
    registry's counts as of a day (default: today)."""

    permission_classes = [IsAuthenticated, ModelPermissionsWithView]
    queryset = MonthlyStatistic.objects.none()

    @extend_schema(
        parameters=[_PeriodQuery],
        responses=PeriodStatisticsSerializer,
    )
    def get(self, request):
        # An empty parameter means "the default", as on the page's form.
        query = _PeriodQuery(data={k: v for k, v in request.query_params.items() if v != ""})
        query.is_valid(raise_exception=True)
        year, month = query.validated_data.get("year"), query.validated_data.get("month")
        latest = selectors.latest_reported_period()
        if year is None or month is None:
            if latest is None:
                raise ValidationError({"year": "尚无月报数据，请指定年度和月份"})
            year, month = latest
        threshold = query.validated_data.get("threshold")
        # As the page reads them: cached, one statement when cold.
        tables = selectors.cached_period_tables(
            year=year,
            month=month,
            threshold=None if threshold is None else Decimal(threshold) / 100,
        )
        statistics, declining = tables.statistics, tables.declining
        data = {
            "year": year,
            "month": month,
            "headline": statistics.headline,
            "total": statistics.total,
            "by_chain": statistics.by_chain,
            "by_park": statistics.by_park,
            "declining": declining,
            # As on the page: the chosen month's last day, today for the latest month.
            "registry": selectors.cached_registry_summary(
                on=query.validated_data.get("on")
                or selectors.registry_day_for(year=year, month=month, latest=latest)
            ),
        }
        return Response(PeriodStatisticsSerializer(data).data)
