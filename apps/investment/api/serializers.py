from rest_framework import serializers

from apps.investment import permissions
from apps.investment.models import Activity, Investor, Lead, Project, mask_phone


class MaskedPhoneField(serializers.CharField):
    """The contact phone in full for 招商 and the leadership, masked for everyone else."""

    def to_representation(self, value):
        request = self.context.get("request")
        if request is not None and permissions.sees_contacts(request.user):
            return value
        return mask_phone(value)


class InvestorSerializer(serializers.ModelSerializer):
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


class LeadSerializer(serializers.ModelSerializer):
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
        ]
        read_only_fields = fields
