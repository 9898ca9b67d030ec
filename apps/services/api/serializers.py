from django.utils.translation import gettext as _
from rest_framework import serializers

from apps.accounts.models import User
from apps.core.api import (
    NullableName,
    StrictCharField,
    StrictModelSerializer,
    StrictPrimaryKeyRelatedField,
)
from apps.core.dates import YEAR_MAX, YEAR_MIN
from apps.enterprises.models import Enterprise
from apps.services import selectors, services
from apps.services.models import (
    Demand,
    DemandCategory,
    DemandEvent,
    FinancialInstitution,
    FinancingNeed,
    LoanIntent,
    MatchmakingMeeting,
    PolicyApplication,
    PolicyProgramme,
    Visit,
)


class DemandCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = DemandCategory
        fields = ["id", "code", "name", "time_limit_days", "default_department"]


class DemandEventSerializer(serializers.ModelSerializer):
    by_name = serializers.CharField(source="by.get_full_name", read_only=True)

    class Meta:
        model = DemandEvent
        fields = [
            "id",
            "action",
            "from_status",
            "to_status",
            "by",
            "by_name",
            "at",
            "comment",
            "satisfaction",
        ]


class DemandSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    # No assignee until the department accepts: null, as the schema says.
    assignee_name = NullableName("assignee.get_full_name")
    is_overdue = serializers.BooleanField(read_only=True)
    is_escalated = serializers.BooleanField(read_only=True)
    overdue_days = serializers.IntegerField(read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Demand
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "source",
            "visit",
            "category",
            "category_name",
            "description",
            "department",
            "department_name",
            "assignee",
            "assignee_name",
            "priority",
            "status",
            "raised_on",
            "deadline",
            "is_overdue",
            "overdue_days",
            "is_escalated",
            "resolution",
            "closed_on",
            "satisfaction",
            "allowed_actions",
        ]

    def get_allowed_actions(self, demand) -> list[str]:
        # Computed once per (state, responsible department) on a page, not per row: the
        # workflow's rules read nothing else of a demand (tests/test_serializer_parity.py pins
        # the rules, so a new rule must revisit this key).
        memo = self.context.setdefault("_allowed_actions", {})
        key = (demand.status, demand.department_id)
        if key not in memo:
            memo[key] = services.demand_allowed_actions(
                user=self.context["request"].user, demand=demand
            )
        return list(memo[key])

    def to_representation(self, demand):
        # The same fields, written out by hand: DRF's field-by-field representation was most
        # of the API list's time at 50 rows (bench/README.md). The declared fields above still
        # describe the schema.
        return {
            "id": demand.pk,
            "enterprise": demand.enterprise_id,
            "enterprise_name": demand.enterprise.name,
            "source": demand.source,
            "visit": demand.visit_id,
            "category": demand.category_id,
            "category_name": demand.category.name,
            "description": demand.description,
            "department": demand.department_id,
            "department_name": demand.department.name,
            "assignee": demand.assignee_id,
            "assignee_name": demand.assignee.get_full_name() if demand.assignee_id else None,
            "priority": demand.priority,
            "status": demand.status,
            "raised_on": _iso(demand.raised_on),
            "deadline": _iso(demand.deadline),
            "is_overdue": demand.is_overdue,
            "overdue_days": demand.overdue_days,
            "is_escalated": demand.is_escalated,
            "resolution": demand.resolution,
            "closed_on": _iso(demand.closed_on),
            "satisfaction": demand.satisfaction,
            "allowed_actions": self.get_allowed_actions(demand),
        }


def _iso(day):
    return day.isoformat() if day is not None else None


class DemandDetailSerializer(DemandSerializer):
    events = DemandEventSerializer(many=True, read_only=True)

    class Meta(DemandSerializer.Meta):
        fields = [*DemandSerializer.Meta.fields, "events"]

    def to_representation(self, demand):
        data = super().to_representation(demand)
        data["events"] = DemandEventSerializer(demand.events.all(), many=True).data
        return data


class DemandCreateSerializer(serializers.Serializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    source = serializers.ChoiceField(
        choices=[c for c in Demand.Source.choices if c[0] != Demand.Source.VISIT]
    )
    category = serializers.PrimaryKeyRelatedField(queryset=DemandCategory.objects.all())
    description = StrictCharField(max_length=4000)
    department = serializers.PrimaryKeyRelatedField(
        queryset=selectors.responsible_departments(), required=False, allow_null=True
    )
    priority = serializers.ChoiceField(
        choices=Demand.Priority.choices, default=Demand.Priority.NORMAL
    )
    raised_on = serializers.DateField(required=False)
    deadline = serializers.DateField(required=False, allow_null=True)


class VisitDemandSerializer(serializers.Serializer):
    category = serializers.PrimaryKeyRelatedField(queryset=DemandCategory.objects.all())
    description = StrictCharField(max_length=4000)
    priority = serializers.ChoiceField(
        choices=Demand.Priority.choices, default=Demand.Priority.NORMAL
    )
    department = serializers.PrimaryKeyRelatedField(
        queryset=selectors.responsible_departments(), required=False, allow_null=True
    )
    deadline = serializers.DateField(required=False, allow_null=True)


class VisitSerializer(StrictModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    staff = StrictPrimaryKeyRelatedField(many=True, queryset=User.objects.filter(is_active=True))
    staff_names = serializers.SerializerMethodField()
    demand_count = serializers.IntegerField(read_only=True)
    demands = VisitDemandSerializer(many=True, write_only=True, required=False)

    class Meta:
        model = Visit
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "visited_on",
            "method",
            "staff",
            "staff_names",
            "purpose",
            "findings",
            "demand_count",
            "demands",
            "created_by",
        ]
        read_only_fields = ["created_by"]

    def get_staff_names(self, visit) -> list[str]:
        return [user.get_full_name() for user in visit.staff.all()]

    def to_representation(self, visit):
        # The same fields, written out by hand: DRF's field-by-field representation was most
        # of the API visit list's time at 50 rows (bench/README.md); checked against DRF's own
        # output in tests/test_serializer_parity.py. A visit without the list's annotation
        # (demand_count) is shown by DRF, which leaves that field out.
        if not hasattr(visit, "demand_count"):
            return super().to_representation(visit)
        staff = list(visit.staff.all())
        return {
            "id": visit.pk,
            "enterprise": visit.enterprise_id,
            "enterprise_name": visit.enterprise.name,
            "visited_on": _iso(visit.visited_on),
            "method": visit.method,
            "staff": [user.pk for user in staff],
            "staff_names": [user.get_full_name() for user in staff],
            "purpose": visit.purpose,
            "findings": visit.findings,
            "demand_count": visit.demand_count,
            "created_by": visit.created_by_id,
        }


class VisitUpdateSerializer(StrictModelSerializer):
    """A correction (PATCH): date, method, officers, purpose, findings. The enterprise and the
    demands cannot be changed here; sending them is refused rather than ignored."""

    staff = StrictPrimaryKeyRelatedField(many=True, queryset=User.objects.filter(is_active=True))

    class Meta:
        model = Visit
        fields = ["visited_on", "method", "staff", "purpose", "findings"]

    def validate(self, attrs):
        fixed = {
            "enterprise": _("走访企业不能修改；走访了别的企业请另行登记"),
            "demands": _("诉求不能在走访中修改，请在诉求页面办理"),
        }
        errors = {name: [message] for name, message in fixed.items() if name in self.initial_data}
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class FinancialInstitutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = FinancialInstitution
        fields = ["id", "name", "short_name", "kind", "contact_person", "contact_phone"]


class MeetingSerializer(StrictModelSerializer):
    class Meta:
        model = MatchmakingMeeting
        fields = [
            "id",
            "title",
            "held_on",
            "organiser",
            "location",
            "institutions",
            "enterprises",
            "notes",
        ]


class FinancingNeedSerializer(StrictModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = FinancingNeed
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "amount",
            "purpose",
            "raised_on",
            "meeting",
        ]


class LoanIntentSerializer(StrictModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)

    class Meta:
        model = LoanIntent
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "institution",
            "institution_name",
            "meeting",
            "amount",
            "signed_on",
            "status",
            "credit_amount",
            "disbursed_amount",
            "failure_reason",
        ]
        read_only_fields = ["status", "credit_amount", "disbursed_amount", "failure_reason"]


class PolicyProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicyProgramme
        fields = ["id", "code", "name", "level", "grants_qualification", "description"]


class PolicyApplicationSerializer(StrictModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    programme_name = serializers.CharField(source="programme.name", read_only=True)

    class Meta:
        model = PolicyApplication
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "programme",
            "programme_name",
            "year",
            "helpers",
            "status",
            "started_on",
            "submitted_on",
            "decided_on",
            "amount_granted",
            "notes",
        ]
        read_only_fields = ["status", "submitted_on", "decided_on", "amount_granted"]
        # As on the page: the column takes any small number; other years are typing slips.
        extra_kwargs = {"year": {"min_value": YEAR_MIN, "max_value": YEAR_MAX}}


class LoanTotalsSerializer(serializers.Serializer):
    institution_id = serializers.IntegerField()
    institution__name = serializers.CharField()
    intents = serializers.IntegerField()
    enterprises = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    credit = serializers.DecimalField(max_digits=14, decimal_places=2)
    disbursed = serializers.DecimalField(max_digits=14, decimal_places=2)
