from rest_framework import serializers

from apps.dashboard.models import Briefing
from apps.investment.models import FundsArrival


class FundsArrivalSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    team = serializers.IntegerField(source="project.team_id", read_only=True)
    total = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = FundsArrival
        fields = [
            "id",
            "project",
            "project_name",
            "team",
            "month",
            "origin",
            "fixed_assets",
            "working_capital",
            "total",
        ]
        read_only_fields = fields


class BriefingSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period_code", read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Briefing
        fields = [
            "id",
            "year",
            "month",
            "period",
            "issue_no",
            "title",
            "status",
            "next_steps",
            "problems_note",
            "issued_at",
            "created_by",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_allowed_actions(self, briefing) -> list[str]:
        from apps.dashboard.services import BRIEFING_WORKFLOW

        request = self.context.get("request")
        if request is None:
            return []
        return BRIEFING_WORKFLOW.allowed_actions(request.user, briefing)
