from datetime import date
from decimal import Decimal

from tests.access import EVERYONE, Access, roles

HR = roles("人事管理员")
HR_AND_LEADERSHIP = roles("人事管理员", "领导")


def _appointment(users):
    from tests.staff.factories import appoint

    return appoint(start=date(2024, 1, 1))


def _staff(users):
    return {"pk": _appointment(users).staff_id}


def _round(users):
    from tests.staff.factories import SelectionRoundFactory

    return SelectionRoundFactory(name="测试轮次")


def _candidate(users):
    from apps.staff.models import RoundPosition
    from apps.staff.services import candidate_apply
    from tests.staff.factories import PositionFactory, StaffMemberFactory

    selection = _round(users)
    offer = RoundPosition.objects.create(round=selection, position=PositionFactory(), vacancies=1)
    candidate = candidate_apply(
        round=selection, staff=StaffMemberFactory(), first_choice=offer, by=None
    )
    return {"pk": candidate.pk}


def _pay_sheet(users):
    from apps.accounts.models import Department
    from apps.staff.models import PaySheet

    sheet = PaySheet.objects.create(
        department=Department.objects.get(code="office"), year=2023, quarter=0
    )
    return {"pk": sheet.pk}


def _position(users):
    from tests.staff.factories import PositionFactory

    return {"pk": PositionFactory().pk}


def _appraisal(users):
    from apps.staff.services import appraisal_record

    appointment = _appointment(users)
    appraisal = appraisal_record(
        staff=appointment.staff, year=2024, quarter=1, score=Decimal(80), grade="competent", by=None
    )
    return {"pk": appraisal.pk}


def _salary_grade(users):
    from tests.staff.factories import SalaryGradeFactory

    return {"pk": SalaryGradeFactory().pk}


def _pay_line(users):
    from apps.staff.models import PayLine
    from tests.staff.factories import SalaryGradeFactory, StaffMemberFactory

    sheet = _pay_sheet(users)
    line = PayLine.objects.create(
        sheet_id=sheet["pk"],
        staff=StaffMemberFactory(),
        position_title="岗位",
        salary_grade=SalaryGradeFactory(),
        grade="competent",
        coefficient=Decimal("1.00"),
        base_pay=Decimal("60000"),
        performance_base=Decimal("24000"),
        performance_pay=Decimal("24000"),
    )
    return {"pk": line.pk}


ACCESS = {
    "staff:org_chart": Access(ok=EVERYONE),
    "staff:position_list": Access(ok=EVERYONE),
    "staff:member_list": Access(ok=HR_AND_LEADERSHIP),
    "staff:member_detail": Access(ok=HR_AND_LEADERSHIP, kwargs=_staff),
    "staff:member_create": Access(ok=HR),
    "staff:member_update": Access(ok=HR, kwargs=_staff),
    "staff:appointment_list": Access(ok=HR_AND_LEADERSHIP),
    "staff:appointment_create": Access(ok=HR),
    "staff:appointment_detail": Access(
        ok=HR_AND_LEADERSHIP, kwargs=lambda u: {"pk": _appointment(u).pk}
    ),
    # POST only (tests/test_refusal_parity.py walks who may take each action).
    "staff:appointment_transition": Access(
        ok=EVERYONE, kwargs=lambda u: {"pk": _appointment(u).pk, "action": "renew"}, ok_status=405
    ),
    "staff:appraisal_list": Access(ok=HR_AND_LEADERSHIP),
    "staff:appraisal_create": Access(ok=HR),
    "staff:round_list": Access(ok=HR_AND_LEADERSHIP),
    "staff:round_detail": Access(ok=HR_AND_LEADERSHIP, kwargs=lambda u: {"pk": _round(u).pk}),
    # POST only: a GET is refused before anything else (no state changes on a GET).
    "staff:round_compute": Access(
        ok=EVERYONE, kwargs=lambda u: {"pk": 1}, ok_status=405, anonymous_status=405
    ),
    "staff:round_confirm": Access(
        ok=EVERYONE, kwargs=lambda u: {"pk": 1}, ok_status=405, anonymous_status=405
    ),
    "staff:candidate_scores": Access(ok=HR, kwargs=_candidate),
    "staff:my_selection": Access(ok=EVERYONE),
    "staff:pay_sheet_list": Access(ok=HR_AND_LEADERSHIP),
    "staff:pay_sheet_detail": Access(ok=HR_AND_LEADERSHIP, kwargs=_pay_sheet),
    "staff:pay_sheet_generate": Access(ok=HR),
    "staff:salary_grades": Access(ok=HR_AND_LEADERSHIP),
    "staff:audit": Access(ok=HR),
    "api:staff-position-list": Access(ok=EVERYONE),
    "api:staff-position-detail": Access(ok=EVERYONE, kwargs=_position),
    "api:staff-member-list": Access(ok=HR_AND_LEADERSHIP),
    "api:staff-member-detail": Access(ok=HR_AND_LEADERSHIP, kwargs=_staff),
    "api:staff-appointment-list": Access(ok=HR_AND_LEADERSHIP),
    "api:staff-appointment-detail": Access(
        ok=HR_AND_LEADERSHIP, kwargs=lambda u: {"pk": _appointment(u).pk}
    ),
    **{
        f"api:staff-appointment-{action}": Access(
            ok=HR_AND_LEADERSHIP, kwargs=lambda u: {"pk": _appointment(u).pk}, ok_status=405
        )
        for action in ("renew", "terminate")
    },
    "api:staff-appraisal-list": Access(ok=HR_AND_LEADERSHIP),
    "api:staff-appraisal-detail": Access(ok=HR_AND_LEADERSHIP, kwargs=_appraisal),
    "api:staff-salary-grade-list": Access(ok=HR_AND_LEADERSHIP),
    "api:staff-salary-grade-detail": Access(ok=HR_AND_LEADERSHIP, kwargs=_salary_grade),
    "api:staff-pay-sheet-list": Access(ok=HR_AND_LEADERSHIP),
    "api:staff-pay-sheet-detail": Access(ok=HR_AND_LEADERSHIP, kwargs=_pay_sheet),
    "api:staff-pay-line-list": Access(ok=HR_AND_LEADERSHIP),
    "api:staff-pay-line-detail": Access(ok=HR_AND_LEADERSHIP, kwargs=_pay_line),
}

# Every page and endpoint that shows a salary figure: non-HR, non-leadership roles get 403.
SALARY_URLS = [name for name in ACCESS if any(part in name for part in ("pay", "salary"))]
