from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from apps.core.api import StrictCharField, StrictModelSerializer
from apps.investment import permissions
from apps.investment.models import (
    Activity,
    AnnualTarget,
    ChainTarget,
    FundsArrival,
    Investor,
    Lead,
    Project,
    ResidentReport,
    mask_phone,
)


class MaskedPhoneField(StrictCharField):
    """The contact phone in full for 招商 and the leadership, masked for everyone else."""

    def to_representation(self, value):
        request = self.context.get("request")
        if request is not None and permissions.sees_contacts(request.user):
            return value
        return mask_phone(value)


class InvestorSerializer(StrictModelSerializer):
    contact_phone = MaskedPhoneField(allow_blank=True, required=False, max_length=20)

    class Meta:
        model = Investor
        fields = [
            "id",
            "name",
            "credit_code",
            "enterprise",
            "tags",
            "province",
            "city",
            "country",
            "contact_name",
            "contact_title",
            "contact_phone",
        ]
        read_only_fields = ["enterprise"]


class LeadSerializer(StrictModelSerializer):
    investor_name = serializers.CharField(source="investor.name", read_only=True)

    class Meta:
        model = Lead
        fields = [
            "id",
            "investor",
            "investor_name",
            "title",
            "summary",
            "chain_node",
            "chain_role",
            "channel",
            "referrer",
            "activity",
            "planned_investment",
            "fixed_asset_investment",
            "land_mu",
            "expected_output",
            "expected_tax",
            "site_needs",
            "coordination",
            "confidential",
            "team",
            "owner",
            "reported_by",
            "reported_at",
            "judgement",
            "judgement_reason",
            "duplicate_of",
            "merged",
            "last_follow_up_on",
            "referrer_feedback_on",
        ]
        read_only_fields = [
            "owner",
            "reported_by",
            "reported_at",
            "judgement",
            "judgement_reason",
            "duplicate_of",
            "merged",
            "last_follow_up_on",
            "referrer_feedback_on",
        ]


class ProjectSerializer(serializers.ModelSerializer):
    investor_name = serializers.CharField(source="investor.name", read_only=True)
    days_in_stage = serializers.SerializerMethodField()
    stage_light = serializers.SerializerMethodField()
    funds_total = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "lead",
            "investor",
            "investor_name",
            "chain_node",
            "team",
            "owner",
            "status",
            "stage_entered_at",
            "days_in_stage",
            "stage_light",
            "planned_investment",
            "fixed_asset_investment",
            "land_mu",
            "contract_investment",
            "signed_on",
            "expected_signing_month",
            "committed_start_on",
            "committed_production_on",
            "enterprise",
            "construction_permit_no",
            "start_evidence",
            "started_on",
            "loss_reason",
            "closing_note",
            "funds_total",
        ]
        read_only_fields = fields

    def get_days_in_stage(self, project) -> int:
        from apps.investment.selectors import days_in_stage

        return days_in_stage(project)

    def get_stage_light(self, project) -> str:
        from apps.investment.selectors import stage_light

        return stage_light(project)


class ActivitySerializer(serializers.ModelSerializer):
    lead_count = serializers.IntegerField(read_only=True)
    project_count = serializers.IntegerField(read_only=True)
    signed_count = serializers.IntegerField(read_only=True)
    started_count = serializers.IntegerField(read_only=True)
    funds_total = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "leading_official",
            "team",
            "province",
            "city",
            "visitors",
            "reported_on",
            "lead_count",
            "project_count",
            "signed_count",
            "started_count",
            "funds_total",
        ]
        read_only_fields = fields


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


class AnnualTargetSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True)

    class Meta:
        model = AnnualTarget
        fields = ["id", "team", "team_name", "year", "signings", "contract_investment", "funds"]
        read_only_fields = fields


class RankingRowSerializer(serializers.Serializer):
    """One team's line of the 赛马榜 (selectors.team_ranking)."""

    rank = serializers.IntegerField()
    team = serializers.IntegerField(source="team.pk")
    team_name = serializers.CharField(source="team.name")
    signings_month = serializers.IntegerField()
    signings = serializers.IntegerField()
    signings_target = serializers.IntegerField(
        source="target.signings", default=None, allow_null=True
    )
    signings_rate = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    signings_ahead = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    contract_investment = serializers.DecimalField(max_digits=16, decimal_places=2)
    contract_investment_target = serializers.DecimalField(
        source="target.contract_investment",
        max_digits=16,
        decimal_places=2,
        default=None,
        allow_null=True,
    )
    contract_investment_rate = serializers.DecimalField(
        max_digits=10, decimal_places=2, allow_null=True
    )
    contract_investment_ahead = serializers.DecimalField(
        max_digits=10, decimal_places=2, allow_null=True
    )
    funds = serializers.DecimalField(max_digits=16, decimal_places=2)
    funds_target = serializers.DecimalField(
        source="target.funds",
        max_digits=16,
        decimal_places=2,
        default=None,
        allow_null=True,
    )
    funds_rate = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    late_starts = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=12, decimal_places=2)


@extend_schema_serializer(many=False)  # one object, although the action is a list
class RankingSerializer(serializers.Serializer):
    """The ranking's answer: the period it covers and its rows."""

    year = serializers.IntegerField()
    month = serializers.IntegerField()
    results = RankingRowSerializer(many=True)


class ChainTargetSerializer(serializers.ModelSerializer):
    chain_node_name = serializers.CharField(source="chain_node.name", read_only=True)
    chain = serializers.IntegerField(source="chain_node.chain_id", read_only=True)
    # The linked lead only where the caller may see it (selectors.chain_target_list).
    lead = serializers.IntegerField(source="visible_lead_id", read_only=True, allow_null=True)
    lead_title = serializers.CharField(read_only=True)

    class Meta:
        model = ChainTarget
        fields = [
            "id",
            "chain",
            "chain_node",
            "chain_node_name",
            "name",
            "role",
            "province",
            "city",
            "note",
            "lead",
            "lead_title",
        ]
        read_only_fields = fields


class ForecastMonthSerializer(serializers.Serializer):
    """One month of the signings forecast (selectors.forecast)."""

    month = serializers.DateField(source="expected_signing_month")
    projects = serializers.IntegerField(source="n")
    weighted_projects = serializers.DecimalField(
        source="weighted_count", max_digits=10, decimal_places=2
    )
    planned_investment = serializers.DecimalField(source="amount", max_digits=16, decimal_places=2)
    weighted_investment = serializers.DecimalField(
        source="weighted", max_digits=16, decimal_places=2
    )
    overdue = serializers.BooleanField()


@extend_schema_serializer(many=False)
class ForecastSerializer(serializers.Serializer):
    """The forecast's answer: its months and how many projects have no expected month."""

    unscheduled = serializers.IntegerField()
    results = ForecastMonthSerializer(many=True)


class ResidentReportSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True)

    class Meta:
        model = ResidentReport
        fields = [
            "id",
            "team",
            "team_name",
            "month",
            "people",
            "days_on_site",
            "visits",
            "destinations",
            "work",
            "status",
            "submitted_by",
        ]
        read_only_fields = fields
