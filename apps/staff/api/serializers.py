from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.staff.models import (
    Appointment,
    Appraisal,
    PayLine,
    PaySheet,
    Position,
    SalaryGrade,
    StaffMember,
)
from apps.staff.permissions import can_see_birth_date, can_see_salary, shown_id_number


class SalaryFieldsMixin:
    """Salary figures are absent (not null) for those who may not see them."""

    salary_fields: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is None or not can_see_salary(request.user):
            for name in self.salary_fields:
                fields.pop(name, None)
        return fields


class SalaryGradeSerializer(serializers.ModelSerializer):
    class Meta:
        model = SalaryGrade
        fields = ["id", "code", "name", "base_pay", "performance_base"]


class PositionSerializer(SalaryFieldsMixin, serializers.ModelSerializer):
    salary_fields = ("base_pay", "performance_base")
    department_name = serializers.CharField(source="department.name", read_only=True)
    salary_grade_code = serializers.CharField(source="salary_grade.code", read_only=True)
    holders = serializers.IntegerField(read_only=True)
    vacancies = serializers.SerializerMethodField()
    base_pay = serializers.DecimalField(
        source="salary_grade.base_pay", max_digits=10, decimal_places=2, read_only=True
    )
    performance_base = serializers.DecimalField(
        source="salary_grade.performance_base", max_digits=10, decimal_places=2, read_only=True
    )

    class Meta:
        model = Position
        fields = [
            "id",
            "department",
            "department_name",
            "title",
            "kind",
            "headcount",
            "holders",
            "vacancies",
            "salary_grade",
            "salary_grade_code",
            "base_pay",
            "performance_base",
            "duties",
        ]

    def get_vacancies(self, obj) -> int:
        return max(0, obj.headcount - obj.holders)


class StaffMemberSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField(
        help_text="Masked (4101**********123X) except for HR administrators."
    )
    current_position = serializers.SerializerMethodField()
    birth_date = serializers.SerializerMethodField(
        help_text="For HR administrators only; null for everyone else (see birth_year)."
    )
    birth_year = serializers.IntegerField(source="birth_date.year", read_only=True)

    class Meta:
        model = StaffMember
        fields = [
            "id",
            "name",
            "gender",
            "birth_date",
            "birth_year",
            "id_number",
            "phone",
            "education",
            "former_status",
            "status",
            "user",
            "current_position",
        ]

    @extend_schema_field({"type": "string", "format": "date", "nullable": True})
    def get_birth_date(self, obj):
        if can_see_birth_date(self.context["request"].user):
            return obj.birth_date.isoformat()
        return None

    def get_id_number(self, obj) -> str:
        return shown_id_number(self.context["request"].user, obj.id_number)

    def get_current_position(self, obj) -> str | None:
        current = getattr(obj, "current_appointments", [])
        return str(current[0].position) if current else None


class AppointmentSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.name", read_only=True)
    position_name = serializers.CharField(source="position.__str__", read_only=True)
    renewal = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Appointment
        fields = [
            "id",
            "staff",
            "staff_name",
            "position",
            "position_name",
            "kind",
            "start_date",
            "end_date",
            "probation_end",
            "status",
            "previous",
            "renewal",
            "selection_round",
            "terminated_on",
            "termination_reason",
        ]


class AppraisalSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.name", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = Appraisal
        fields = [
            "id",
            "staff",
            "staff_name",
            "department",
            "department_name",
            "year",
            "quarter",
            "score",
            "grade",
            "comments",
        ]


class PaySheetSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    people = serializers.IntegerField(read_only=True)
    base_total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    performance_total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    pay_total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = PaySheet
        fields = [
            "id",
            "department",
            "department_name",
            "year",
            "quarter",
            "people",
            "base_total",
            "performance_total",
            "pay_total",
        ]


class PayLineSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.name", read_only=True)
    salary_grade_code = serializers.CharField(source="salary_grade.code", read_only=True)
    total_pay = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = PayLine
        fields = [
            "id",
            "sheet",
            "staff",
            "staff_name",
            "position_title",
            "salary_grade",
            "salary_grade_code",
            "grade",
            "coefficient",
            "base_pay",
            "performance_base",
            "performance_pay",
            "total_pay",
        ]
