from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.api import NullableName, RowSerializer, StrictModelSerializer
from apps.enterprises.models import (
    Enterprise,
    MonthlyStatistic,
    Qualification,
    StatisticsMembership,
)


class EnterpriseSerializer(StrictModelSerializer):
    park_name = NullableName("park.name")
    chain_name = NullableName("chain.name")
    chain_node_name = NullableName("chain_node.name")
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    responsible_staff_name = NullableName("responsible_staff.get_full_name")

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


class EnterpriseListSerializer(RowSerializer):
    """The list's rows: the fields a picker or a table needs (the detail has every field),
    read as .values() rows (apps.core.api.RowSerializer): the API's hottest read."""

    park_name = serializers.CharField(source="park.name", allow_null=True, read_only=True)
    chain_name = serializers.CharField(source="chain.name", allow_null=True, read_only=True)
    # Declared: a read-only field built from the model would not say that "" (not listed) is
    # a value, and the schema's enum would refuse it.
    listing_exchange = serializers.ChoiceField(
        choices=Enterprise.Exchange.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            "legal_representative",
            "park",
            "park_name",
            "chain",
            "chain_name",
            "chain_node",
            "status",
            "employees",
            "responsible_staff",
            "is_strategic_emerging",
            "listing_exchange",
        ]
        read_only_fields = fields


class QualificationSerializer(StrictModelSerializer):
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


class MembershipSerializer(StrictModelSerializer):
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


class MonthlyStatisticSerializer(StrictModelSerializer):
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
        read_only_fields = fields

    def to_representation(self, instance):
        # By hand for the same reason as EnterpriseListSerializer; amounts keep DRF's format
        # (strings with the column's four decimals, exactly as stored).
        return {
            "id": instance.pk,
            "enterprise": instance.enterprise_id,
            "enterprise_name": instance.enterprise.name,
            "year": instance.year,
            "month": instance.month,
            "output_value": f"{instance.output_value:.4f}",
            "revenue": f"{instance.revenue:.4f}",
            "tax": f"{instance.tax:.4f}",
            "employees": instance.employees,
        }


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


class QualificationCountSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class RegistrySummarySerializer(serializers.Serializer):
    on = serializers.DateField()
    enterprises = serializers.IntegerField()
    four_above = serializers.IntegerField()
    by_category = serializers.DictField(child=serializers.IntegerField())
    strategic_emerging = serializers.IntegerField()
    qualifications = serializers.SerializerMethodField()

    @extend_schema_field(QualificationCountSerializer(many=True))
    def get_qualifications(self, summary):
        return [
            {"code": qtype.code, "name": qtype.name, "count": count}
            for qtype, count in summary.qualifications
        ]


class PeriodStatisticsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    headline = serializers.CharField()
    total = PeriodRowSerializer()
    by_chain = PeriodRowSerializer(many=True)
    by_park = PeriodRowSerializer(many=True)
    declining = DecliningEnterpriseSerializer(many=True)
    registry = RegistrySummarySerializer()
