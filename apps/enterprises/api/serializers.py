from rest_framework import serializers

from apps.enterprises.models import (
    Enterprise,
    MonthlyStatistic,
    Qualification,
    StatisticsMembership,
)


class EnterpriseSerializer(serializers.ModelSerializer):
    park_name = serializers.CharField(source="park.name", default=None, read_only=True)
    chain_name = serializers.CharField(source="chain.name", default=None, read_only=True)
    chain_node_name = serializers.CharField(source="chain_node.name", default=None, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    responsible_staff_name = serializers.CharField(
        source="responsible_staff.get_full_name", default=None, read_only=True
    )

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            "legal_representative",
            "registered_capital",
            "established_on",
            "settled_on",
            "park",
            "park_name",
            "chain",
            "chain_name",
            "chain_node",
            "chain_node_name",
            "address",
            "contact_person",
            "contact_phone",
            "employees",
            "status",
            "status_display",
            "responsible_staff",
            "responsible_staff_name",
            "is_strategic_emerging",
            "listing_exchange",
            "stock_code",
            "listed_on",
            "notes",
        ]

    def validate(self, attrs):
        node = attrs.get("chain_node", getattr(self.instance, "chain_node", None))
        chain = attrs.get("chain", getattr(self.instance, "chain", None))
        if node and chain and node.chain_id != chain.pk:
            raise serializers.ValidationError({"chain_node": "所选环节不属于该产业链"})
        return attrs


class QualificationSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    type_name = serializers.CharField(source="type.name", read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Qualification
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "type",
            "type_name",
            "certificate_no",
            "issued_on",
            "expires_on",
            "status",
            "notes",
        ]


class MembershipSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = StatisticsMembership
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "category",
            "entered_on",
            "exited_on",
            "notes",
        ]


class MonthlyStatisticSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = MonthlyStatistic
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "year",
            "month",
            "output_value",
            "revenue",
            "tax",
            "employees",
        ]


class PeriodRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    reporting = serializers.IntegerField()
    output = serializers.DecimalField(max_digits=20, decimal_places=4)
    revenue = serializers.DecimalField(max_digits=20, decimal_places=4)
    tax = serializers.DecimalField(max_digits=20, decimal_places=4)
    comparable = serializers.IntegerField()
    comparable_output = serializers.DecimalField(max_digits=20, decimal_places=4)
    previous_output = serializers.DecimalField(max_digits=20, decimal_places=4)
    comparable_revenue = serializers.DecimalField(max_digits=20, decimal_places=4)
    previous_revenue = serializers.DecimalField(max_digits=20, decimal_places=4)
    output_growth = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    revenue_growth = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)


class DecliningEnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    ytd_output = serializers.DecimalField(max_digits=20, decimal_places=4)
    prev_ytd_output = serializers.DecimalField(max_digits=20, decimal_places=4)
    output_growth = serializers.DecimalField(max_digits=12, decimal_places=2)


class PeriodStatisticsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    headline = serializers.CharField()
    total = PeriodRowSerializer()
    by_chain = PeriodRowSerializer(many=True)
    by_park = PeriodRowSerializer(many=True)
    declining = DecliningEnterpriseSerializer(many=True)
