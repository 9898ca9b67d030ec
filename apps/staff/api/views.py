from rest_framework import viewsets
from rest_framework.permissions import BasePermission

from apps.core.api import WorkflowActionsMixin
from apps.staff import selectors, services
from apps.staff.api.serializers import (
    AppointmentSerializer,
    AppraisalSerializer,
    PayLineSerializer,
    PaySheetSerializer,
    PositionSerializer,
    SalaryGradeSerializer,
    StaffMemberSerializer,
)
from apps.staff.filters import (
    AppointmentFilter,
    AppraisalFilter,
    PayLineFilter,
    PaySheetFilter,
    PositionFilter,
    StaffMemberFilter,
)
from apps.staff.models import SalaryGrade
from apps.staff.permissions import can_see_birth_date, can_see_salary


class CanSeeSalary(BasePermission):
    """On top of the model permission: salary endpoints are for HR and the leadership only."""

    def has_permission(self, request, view):
        return can_see_salary(request.user)


class SalaryViewSet(viewsets.ReadOnlyModelViewSet):
    def get_permissions(self):
        return [*super().get_permissions(), CanSeeSalary()]


class PositionViewSet(viewsets.ReadOnlyModelViewSet):
    """Positions with current holders and vacancies; pay figures only for HR and leadership."""

    serializer_class = PositionSerializer
    filterset_class = PositionFilter
    ordering_fields = ["title", "headcount"]

    def get_queryset(self):
        return selectors.position_list()


class StaffMemberViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff members; ID numbers masked except for HR administrators."""

    serializer_class = StaffMemberSerializer
    filterset_class = StaffMemberFilter

    @property
    def ordering_fields(self):
        # Ordering by birth date would rank people by the digits their masked number hides.
        request = getattr(self, "request", None)
        if request is None or can_see_birth_date(request.user):
            return ["name", "birth_date"]
        return ["name"]

    def get_queryset(self):
        return selectors.staff_list()


class AppointmentViewSet(WorkflowActionsMixin, viewsets.ReadOnlyModelViewSet):
    """Appointments (terms and contracts); renewals link to the contract they follow.
    续聘 / 解聘: POST {id}/renew/ and {id}/terminate/ (services.APPOINTMENT_WORKFLOW)."""

    serializer_class = AppointmentSerializer
    filterset_class = AppointmentFilter
    ordering_fields = ["start_date", "end_date"]
    workflow = services.APPOINTMENT_WORKFLOW
    workflow_serializer_class = AppointmentSerializer

    def get_queryset(self):
        return selectors.appointment_list()


class AppraisalViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AppraisalSerializer
    filterset_class = AppraisalFilter
    ordering_fields = ["year", "score"]

    def get_queryset(self):
        return selectors.appraisal_list()


class SalaryGradeViewSet(SalaryViewSet):
    serializer_class = SalaryGradeSerializer
    queryset = SalaryGrade.objects.all()
    pagination_class = None


class PaySheetViewSet(SalaryViewSet):
    """Pay sheets per department and period, with totals (HR and leadership only)."""

    serializer_class = PaySheetSerializer
    filterset_class = PaySheetFilter
    ordering_fields = ["year", "quarter"]

    def get_queryset(self):
        return selectors.pay_sheet_list()


class PayLineViewSet(SalaryViewSet):
    serializer_class = PayLineSerializer
    filterset_class = PayLineFilter
    ordering_fields = ["performance_pay", "base_pay"]

    def get_queryset(self):
        return selectors.pay_lines()
