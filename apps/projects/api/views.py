"""The 项目台账 API: the same FilterSets, selectors and services as the pages; the project's
status and the monthly report's review through their workflows
(apps.core.api.WorkflowActionsMixin)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from apps.core.api import WorkflowActionsMixin
from apps.projects import filters, rag, selectors, services
from apps.projects.api import serializers as s


class ProjectViewSet(WorkflowActionsMixin, viewsets.ReadOnlyModelViewSet):
    """Projects with the figures of the ledger's month (?month=YYYY-MM, default the previous
    month) and their colour; one action per transition of services.PROJECT_WORKFLOW."""

    serializer_class = s.ProjectSerializer
    filterset_class = filters.ProjectFilter
    ordering_fields = ["id", "name", "total_investment", "actual_start"]
    workflow = services.PROJECT_WORKFLOW
    workflow_serializer_class = s.ProjectSerializer

    @property
    def period(self):
        return selectors.period_from(self.request.query_params.get("month"))

    def get_queryset(self):
        # The serializer names the enterprise, the park and the liaison; the rest are ids.
        return selectors.project_list(
            self.request.user, self.period, related=("enterprise", "park", "liaison")
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            page = rag.attach(page, self.period)
        return page

    def get_object(self):
        obj = super().get_object()
        rag.attach([obj], self.period)
        return obj


class ReportViewSet(WorkflowActionsMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Monthly reports (月报). POST writes a draft through services.report_save, as the page
    does (the project's liaison only; JSON bodies); submit, approve and return through
    services.REPORT_WORKFLOW. Only approved reports count in the project figures."""

    serializer_class = s.ReportSerializer
    filterset_class = filters.ReportFilter
    ordering_fields = ["id", "year", "month", "submitted_at"]
    workflow = services.REPORT_WORKFLOW
    workflow_serializer_class = s.ReportSerializer

    def get_queryset(self):
        return selectors.report_list(self.request.user).order_by("-year", "-month", "id")

    def get_serializer_class(self):
        if self.action == "create":
            return s.ReportCreateSerializer
        return super().get_serializer_class()

    @extend_schema(request=s.ReportCreateSerializer, responses={201: s.ReportSerializer})
    def create(self, request, *args, **kwargs):
        serializer = s.ReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        report = services.report_save(
            by=request.user, project=data.pop("project"), new=True, **data
        )
        report = selectors.report_list(request.user).get(pk=report.pk)
        return Response(
            s.ReportSerializer(report, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
