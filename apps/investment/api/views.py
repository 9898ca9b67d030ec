"""The 招商 API: the same FilterSets, scopes and services as the pages; the pipeline's
transitions through PROJECT_WORKFLOW (apps.core.api.WorkflowActionsMixin)."""

from rest_framework import mixins, viewsets

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
        return selectors.project_list(self.request.user)


class ActivityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ActivitySerializer
    filterset_class = filters.ActivityFilter
    ordering_fields = ["starts_on", "id"]

    def get_queryset(self):
        return selectors.activity_list(self.request.user)
