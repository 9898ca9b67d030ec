from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from apps.core.api import StrictModelSerializer
from apps.investment.models import mask_phone
from apps.projects import permissions, selectors
from apps.projects.models import MonthlyReport, Project


class ReasonSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    colour = serializers.CharField()
    text = serializers.CharField()


# Named apart from the 招商 pipeline's "Project" (apps.investment): one component name for both
# documented one of them wrongly (closing_note required, "halted" not a status).
@extend_schema_serializer(component_name="ConstructionProject")
class ProjectSerializer(serializers.ModelSerializer):
    """A project with the ledger month's derived figures (approved reports only, 万元) and its
    colour with the reasons. The owner's contacts are masked for 招商局 and 行政审批局."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    park_name = serializers.CharField(source="park.name", read_only=True)
    liaison_name = serializers.CharField(source="liaison.get_full_name", read_only=True)
    owner_contact = serializers.SerializerMethodField()
    owner_phone = serializers.SerializerMethodField()
    plan_planned = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, allow_null=True
    )
    before_year = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    ytd = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    month_invested = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, allow_null=True
    )
    since_start = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    plan_share = serializers.SerializerMethodField()
    nature = serializers.SerializerMethodField(
        help_text="性质 in the year of ?month=: new (新开工), continuing (续建) or empty"
    )
    colour = serializers.SerializerMethodField()
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "enterprise",
            "enterprise_name",
            "investment_project",
            "level",
            "status",
            "nature",
            "halt_reason",
            "park",
            "park_name",
            "chain",
            "chain_node",
            "location",
            "content",
            "capacity",
            "total_investment",
            "fund_own",
            "fund_loan",
            "fund_government",
            "fund_other",
            "start_year",
            "end_year",
            "planned_start",
            "planned_completion",
            "actual_start",
            "actual_completion",
            "prior_investment",
            "leader",
            "department",
            "liaison",
            "liaison_name",
            "owner_contact",
            "owner_phone",
            "registered_on",
            "plan_planned",
            "before_year",
            "ytd",
            "month_invested",
            "since_start",
            "plan_share",
            "colour",
            "reasons",
        ]
        read_only_fields = fields

    def _sees(self) -> bool:
        request = self.context.get("request")
        return request is not None and permissions.sees_contacts(request.user)

    def get_owner_contact(self, obj) -> str:
        if self._sees() or not obj.owner_contact:
            return obj.owner_contact
        return obj.owner_contact[:1] + "**"

    def get_owner_phone(self, obj) -> str:
        return obj.owner_phone if self._sees() else mask_phone(obj.owner_phone)

    def get_nature(self, obj) -> str:
        request = self.context.get("request")
        month = request.query_params.get("month") if request is not None else None
        return obj.nature_code(selectors.period_from(month).year)

    def get_plan_share(self, obj) -> str | None:
        share = selectors.plan_share(obj)
        return None if share is None else str(share)

    def get_colour(self, obj) -> str | None:
        assessment = getattr(obj, "rag", None)
        return assessment.colour if assessment else None

    def get_reasons(self, obj) -> list[dict]:
        assessment = getattr(obj, "rag", None)
        if assessment is None:
            return []
        return ReasonSerializer(assessment.reasons, many=True).data


class ReportSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = MonthlyReport
        fields = [
            "id",
            "project",
            "project_name",
            "year",
            "month",
            "invested",
            "progress",
            "next_plan",
            "problems",
            "status",
            "return_reason",
            "written_by",
            "submitted_at",
            "approved_at",
            "approved_by",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_allowed_actions(self, obj) -> list[str]:
        from apps.projects.services import REPORT_WORKFLOW

        request = self.context.get("request")
        if request is None:
            return []
        return REPORT_WORKFLOW.allowed_actions(request.user, obj)


class ReportCreateSerializer(StrictModelSerializer):
    """A new monthly report (a draft), as the report form takes it. Who may write it, one per
    project and month, not in the future nor before the start, amounts ≥ 0: the service's
    refusals, the same as the page's (so no validator of the model here)."""

    class Meta:
        model = MonthlyReport
        fields = ["project", "year", "month", "invested", "progress", "next_plan", "problems"]
        validators = []
