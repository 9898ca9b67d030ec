from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.staff.models import Appointment, SelectionRound, StaffMember
from tests.staff.factories import PositionFactory, StaffMemberFactory, appoint

pytestmark = pytest.mark.django_db


def _raw_appointment(staff, start, end, **kwargs):
    return Appointment(
        staff=staff,
        position=kwargs.pop("position", None) or PositionFactory(),
        kind=Appointment.Kind.CONTRACT,
        start_date=start,
        end_date=end,
        status=Appointment.Status.ACTIVE,
        **kwargs,
    )


def test_the_database_refuses_two_overlapping_appointments_of_one_person():
    staff = StaffMemberFactory()
    _raw_appointment(staff, date(2024, 1, 1), date(2025, 12, 31)).save()
    with pytest.raises(IntegrityError, match="staff_appointment_no_overlap"), transaction.atomic():
        _raw_appointment(staff, date(2025, 12, 31), date(2026, 12, 31)).save()


def test_back_to_back_appointments_do_not_overlap():
    staff = StaffMemberFactory()
    _raw_appointment(staff, date(2024, 1, 1), date(2025, 12, 31)).save()
    _raw_appointment(staff, date(2026, 1, 1), date(2026, 12, 31)).save()
    assert staff.appointments.count() == 2


def test_an_overlap_is_reported_in_chinese_by_model_validation():
    staff = StaffMemberFactory()
    _raw_appointment(staff, date(2024, 1, 1), date(2025, 12, 31)).save()
    with pytest.raises(ValidationError) as error:
        _raw_appointment(staff, date(2025, 6, 1), date(2026, 5, 31)).validate_constraints()
    assert "聘期不能重叠" in str(error.value)


def test_the_database_refuses_an_appointment_that_ends_before_it_starts():
    with pytest.raises(IntegrityError, match="end_after_start"), transaction.atomic():
        _raw_appointment(StaffMemberFactory(), date(2024, 1, 1), date(2023, 1, 1)).save()


def test_a_round_whose_weights_do_not_sum_to_one_is_refused():
    with pytest.raises(IntegrityError, match="weights_sum_to_one"), transaction.atomic():
        SelectionRound.objects.create(
            name="权重错误",
            start_date=date(2024, 1, 1),
            end_date=date(2024, 2, 1),
            appointment_start=date(2024, 3, 1),
            weight_written="0.50",
            weight_interview="0.40",
            weight_democratic="0.20",
        )


def test_the_birth_date_must_agree_with_the_id_number():
    staff = StaffMemberFactory.build(id_number="11010519491231002X", birth_date=date(1950, 1, 1))
    with pytest.raises(ValidationError) as error:
        staff.full_clean()
    assert "出生日期与身份证号" in str(error.value)


def test_a_staff_member_shows_a_masked_id_number():
    staff = StaffMemberFactory.build(id_number="11010519491231002X")
    assert staff.masked_id_number == "1101**********002X"


def test_an_appointment_made_through_the_service_holds_its_kind_from_the_position():
    leader_post = PositionFactory(kind="leadership", headcount=1)
    term = appoint(position=leader_post, start=date(2024, 1, 1), today=date(2024, 6, 1))
    assert term.kind == Appointment.Kind.TERM
    assert term.end_date == date(2026, 12, 31)  # three years by default
    assert term.status == Appointment.Status.ACTIVE
    assert StaffMember.objects.count() == 1
