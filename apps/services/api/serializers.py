from django.utils.translation import gettext as _
from rest_framework import serializers

from apps.accounts.models import Department, User
from apps.core.api import (
    NullableName,
    RowSerializer,
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


def _assignee_name(serializer, row) -> str | None:
    if row["assignee"] is None:
        return None
    return User.name_of(row["assignee__full_name"], row["assignee__username"])


def _row_allowed_actions(serializer, row) -> list[str]:
    # The rules read the state and the responsible department (its name for a refusal's
    # message): a demand standing for the row, with nothing else, is what they need, made once
    # per (state, department) on the page.
    def stand_in():
        department = Department(pk=row["department"], name=row["department__name"])
        return Demand(status=row["status"], department=department)

    return serializer.allowed_actions_of((row["status"], row["department"]), stand_in)


class DemandSerializer(RowSerializer):
    """A demand as the list shows it, read as a .values() row (apps.core.api.RowSerializer);
    the detail adds its events."""

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

    row_extra_paths = ("assignee__full_name", "assignee__username")
    row_computed = {"assignee_name": _assignee_name, "allowed_actions": _row_allowed_actions}

    def get_allowed_actions(self, demand) -> list[str]:
        return self.allowed_actions_of((demand.status, demand.department_id), lambda: demand)

    def allowed_actions_of(self, key: tuple, demand) -> list[str]:
        # Computed once per (state, responsible department) on a page, not per row: the
        # workflow's rules read nothing else of a demand (tests/test_serializer_parity.py pins
        # the rules, so a new rule must revisit this key). `demand` makes the one to ask.
        memo = self.context.setdefault("_allowed_actions", {})
        if key not in memo:
            memo[key] = services.demand_allowed_actions(
                user=self.context["request"].user, demand=demand()
            )
        return list(memo[key])


class DemandDetailSerializer(DemandSerializer):
    events = DemandEventSerializer(many=True, read_only=True)

    class Meta(DemandSerializer.Meta):
        fields = [*DemandSerializer.Meta.fields, "events"]


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


class VisitSerializer(RowSerializer, StrictModelSerializer):
    """A visit as the list shows it (read as a .values() row, its officers as arrays in the
    officers' order: apps.core.api.RowSerializer), and as created."""

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

    row_paths = {"staff": "staff_ids", "staff_names": "staff_names"}
    row_added = ("staff_ids", "staff_names")

    @classmethod
    def add_to_rows(cls, rows: list[dict]) -> None:
        # The page's officers in one query, in the order visit.staff.all() gives them (User's
        # Meta.ordering), as the prefetch read them for model rows.
        officers = selectors.visit_officers().filter(visit_id__in=[row["id"] for row in rows])
        by_visit = {row["id"]: row for row in rows}
        for row in rows:
            row["staff_ids"], row["staff_names"] = [], []
        for visit_id, user_id, name in officers:
            by_visit[visit_id]["staff_ids"].append(user_id)
            by_visit[visit_id]["staff_names"].append(name)


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
