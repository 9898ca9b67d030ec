"""The contract workflow (apps.staff.services.APPOINTMENT_WORKFLOW: 续聘 / 解聘) for the
cross-cutting workflow tests: see tests/workflow_cases.py."""

from datetime import date

from apps.staff import services
from apps.staff.models import Appointment
from tests.staff.factories import appoint
from tests.workflow_cases import WorkflowCase

# A contract of 2024–2026 seen on a day that puts it in each state.
_SEEN_ON = {
    Appointment.Status.PROPOSED: date(2023, 6, 1),
    Appointment.Status.ACTIVE: date(2024, 6, 1),
    Appointment.Status.EXPIRED: date(2027, 6, 1),
}


def _appointment(status):
    if status == Appointment.Status.TERMINATED:
        appointment = appoint(start=date(2024, 1, 1), end=date(2026, 12, 31))
        return services.appointment_terminate(
            appointment=appointment, terminated_on=date(2024, 6, 1), reason="个人原因", by=None
        )
    return appoint(start=date(2024, 1, 1), end=date(2026, 12, 31), today=_SEEN_ON[status])


CASES = [
    WorkflowCase(
        workflow=services.APPOINTMENT_WORKFLOW,
        page="staff:appointment_transition",
        api="/api/staff/appointments/",
        make=_appointment,
        inputs={
            "renew": lambda obj: {"years": "3"},
            "terminate": lambda obj: {"terminated_on": "2024-07-01", "reason": "个人原因"},
        },
    ),
]
