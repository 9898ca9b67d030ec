import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from apps.accounts.models import Department
from apps.staff import selectors, services
from apps.staff.models import Appointment, Appraisal, Grade, GradeRule, PayLine, Position
from tests.staff.factories import (
    PositionFactory,
    SalaryGradeFactory,
    SelectionRoundFactory,
    StaffMemberFactory,
    appoint,
)

pytestmark = pytest.mark.django_db

TODAY = date(2024, 6, 1)


# -- Appointments ---------------------------------------------------------------------------


def test_a_second_overlapping_appointment_of_one_person_is_refused_clearly():
    staff = StaffMemberFactory()
    appoint(staff=staff, start=date(2024, 1, 1), today=TODAY)
    with pytest.raises(ValidationError) as error:
        appoint(staff=staff, start=date(2025, 1, 1), today=TODAY)
    assert "聘期不能重叠" in str(error.value)


def test_a_full_position_refuses_another_holder():
    position = PositionFactory(headcount=1, title="财务岗")
    appoint(position=position, today=TODAY)
    with pytest.raises(ValidationError) as error:
        appoint(position=position, today=TODAY)
    assert "核定职数 1 人" in str(error.value)


def test_a_position_frees_up_after_its_holder_is_terminated():
    position = PositionFactory(headcount=1)
    first = appoint(position=position, start=date(2024, 1, 1), today=TODAY)
    services.appointment_terminate(
        appointment=first, terminated_on=date(2024, 5, 31), reason="调离", by=None
    )
    successor = appoint(position=position, start=date(2024, 6, 1), today=TODAY)
    assert successor.status == Appointment.Status.ACTIVE


def test_contracts_run_one_to_three_years():
    with pytest.raises(ValidationError, match="至少一年"):
        appoint(start=date(2024, 1, 1), end=date(2024, 6, 30), today=TODAY)
    with pytest.raises(ValidationError, match="最长三年"):
        appoint(start=date(2024, 1, 1), end=date(2027, 6, 30), today=TODAY)


@pytest.mark.django_db(transaction=True)
def test_two_hr_users_appointing_to_the_last_vacancy_at_once_leaves_exactly_one_holder():
    position = PositionFactory(headcount=1)
    people = [StaffMemberFactory(), StaffMemberFactory()]
    barrier = threading.Barrier(2)
    outcomes = []

    def appoint_one(staff):
        try:
            barrier.wait()
            services.appointment_create(
                staff=staff, position=position, start_date=date(2024, 1, 1), by=None
            )
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=appoint_one, args=(staff,)) for staff in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1
    refusal = next(outcome for outcome in outcomes if outcome != "ok")
    assert "已满员" in refusal
    assert Appointment.objects.filter(position=position).count() == 1


def test_renewal_starts_the_day_after_the_old_contract_ends_and_links_to_it():
    old = appoint(start=date(2021, 7, 1), end=date(2024, 6, 30), today=TODAY)
    new = services.appointment_renew(appointment=old, years=2, by=None, today=TODAY)
    assert new.start_date == date(2024, 7, 1)
    assert new.end_date == date(2026, 6, 30)
    assert new.previous == old and old.renewal == new
    assert new.position == old.position and new.status == Appointment.Status.PROPOSED


def test_a_contract_is_renewed_only_once():
    old = appoint(start=date(2021, 7, 1), end=date(2024, 6, 30), today=TODAY)
    services.appointment_renew(appointment=old, by=None, today=TODAY)
    with pytest.raises(ValidationError, match="已经续聘"):
        services.appointment_renew(appointment=old, by=None, today=TODAY)


def test_an_incompetent_grade_blocks_renewal_until_hr_records_a_reason():
    old = appoint(start=date(2021, 7, 1), end=date(2024, 6, 30), today=TODAY)
    services.appraisal_record(
        staff=old.staff, year=2023, quarter=0, score=Decimal(55), grade=Grade.INCOMPETENT, by=None
    )
    with pytest.raises(ValidationError) as error:
        services.appointment_renew(appointment=old, by=None, today=TODAY)
    assert "不称职" in str(error.value) and "特批理由" in str(error.value)
    renewal = services.appointment_renew(
        appointment=old, override_reason="经联席会议研究同意", by=None, today=TODAY
    )
    assert renewal.override_reason == "经联席会议研究同意"


def test_termination_needs_a_reason_and_ends_the_appointment_that_day():
    appointment = appoint(start=date(2024, 1, 1), today=TODAY)
    with pytest.raises(ValidationError, match="解聘原因"):
        services.appointment_terminate(
            appointment=appointment, terminated_on=date(2024, 5, 1), reason=" ", by=None
        )
    services.appointment_terminate(
        appointment=appointment, terminated_on=date(2024, 5, 1), reason="本人辞职", by=None
    )
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.TERMINATED
    assert appointment.end_date == appointment.terminated_on == date(2024, 5, 1)
    with pytest.raises(ValidationError, match="只有拟聘或在聘"):
        services.appointment_terminate(
            appointment=appointment, terminated_on=date(2024, 5, 2), reason="再次", by=None
        )


def test_statuses_follow_the_calendar():
    started = appoint(start=date(2024, 7, 1), today=TODAY)
    ended = appoint(start=date(2021, 1, 1), end=date(2023, 12, 31), today=date(2023, 6, 1))
    assert (started.status, ended.status) == ("proposed", "active")
    counts = services.appointments_refresh_statuses(today=date(2024, 7, 1))
    assert counts == {"started": 1, "ended": 1}
    started.refresh_from_db()
    ended.refresh_from_db()
    assert (started.status, ended.status) == ("active", "expired")


def test_reminders_sort_contracts_into_7_30_and_60_day_buckets():
    today = date(2024, 6, 1)
    for days in (3, 7, 20, 45, 90):
        end = today + timedelta(days=days)
        appoint(start=end - timedelta(days=700), end=end, today=today)
    buckets = selectors.ending_reminders(today=today)
    assert {days: len(items) for days, items in buckets.items()} == {7: 2, 30: 1, 60: 1}


# -- Appraisals ------------------------------------------------------------------------------


def _department_of_five():
    office = Department.objects.get(code=Department.Code.OFFICE)
    position = PositionFactory(department=office, headcount=5)
    return [appoint(position=position, start=date(2023, 1, 1), today=TODAY) for _i in range(5)]


def test_at_most_a_fifth_of_a_department_is_graded_excellent():
    people = [a.staff for a in _department_of_five()]
    services.appraisal_record(
        staff=people[0], year=2023, quarter=0, score=Decimal(95), grade=Grade.EXCELLENT, by=None
    )
    with pytest.raises(ValidationError) as error:
        services.appraisal_record(
            staff=people[1], year=2023, quarter=0, score=Decimal(94), grade=Grade.EXCELLENT, by=None
        )
    assert "最多 1 人" in str(error.value) and "20%" in str(error.value)
    # Quarters are separate periods with their own quota.
    services.appraisal_record(
        staff=people[1], year=2023, quarter=1, score=Decimal(94), grade=Grade.EXCELLENT, by=None
    )


def test_the_excellent_share_is_configurable():
    GradeRule.objects.filter(grade=Grade.EXCELLENT).update(max_share=Decimal("0.40"))
    people = [a.staff for a in _department_of_five()]
    for staff in people[:2]:
        services.appraisal_record(
            staff=staff, year=2023, quarter=0, score=Decimal(95), grade=Grade.EXCELLENT, by=None
        )
    assert Appraisal.objects.filter(grade=Grade.EXCELLENT).count() == 2


def test_correcting_an_excellent_appraisal_does_not_count_it_twice():
    people = [a.staff for a in _department_of_five()]
    appraisal = services.appraisal_record(
        staff=people[0], year=2023, quarter=0, score=Decimal(95), grade=Grade.EXCELLENT, by=None
    )
    services.appraisal_record(
        staff=people[0],
        year=2023,
        quarter=0,
        score=Decimal(96),
        grade=Grade.EXCELLENT,
        by=None,
        appraisal=appraisal,
    )
    appraisal.refresh_from_db()
    assert appraisal.score == Decimal(96)


def test_a_person_without_an_appointment_in_the_period_cannot_be_appraised():
    with pytest.raises(ValidationError, match="没有聘任记录"):
        services.appraisal_record(
            staff=StaffMemberFactory(),
            year=2023,
            quarter=0,
            score=Decimal(80),
            grade=Grade.COMPETENT,
            by=None,
        )


def test_two_consecutive_years_below_competent_flag_the_person_for_review():
    slipping, steady = (a.staff for a in _department_of_five()[:2])
    for staff in (slipping, steady):
        staff.appointments.update(start_date=date(2022, 1, 1))
        last = Grade.INCOMPETENT if staff == slipping else Grade.COMPETENT
        for year, grade in [(2022, Grade.BASIC), (2023, last)]:
            services.appraisal_record(
                staff=staff, year=year, quarter=0, score=Decimal(70), grade=grade, by=None
            )
    assert [a.staff for a in selectors.flagged_for_review()] == [slipping]


# -- Pay -------------------------------------------------------------------------------------


def test_performance_pay_is_the_base_times_the_grade_coefficient():
    grade = SalaryGradeFactory(base_pay=Decimal("5000"), performance_base=Decimal("2000"))
    service = Department.objects.get(code=Department.Code.SERVICE)
    position = PositionFactory(department=service, salary_grade=grade, headcount=5)
    holders = [
        appoint(position=position, start=date(2023, 1, 1), today=TODAY).staff for _i in range(5)
    ]
    grades = [Grade.EXCELLENT, Grade.COMPETENT, Grade.BASIC, Grade.INCOMPETENT, Grade.COMPETENT]
    for staff, appraisal_grade in zip(holders, grades, strict=True):
        services.appraisal_record(
            staff=staff, year=2023, quarter=0, score=Decimal(80), grade=appraisal_grade, by=None
        )
    sheet = services.pay_sheet_generate(department=service, year=2023, quarter=0, by=None)
    pay = {line.staff_id: line.performance_pay for line in sheet.lines.all()}
    assert [pay[s.pk] for s in holders] == [
        Decimal("28800.00"),  # 2000 × 12 × 1.2
        Decimal("24000.00"),
        Decimal("19200.00"),
        Decimal("0.00"),
        Decimal("24000.00"),
    ]
    totals = selectors.pay_sheet_list().get(pk=sheet.pk)
    assert totals.base_total == Decimal("300000.00")
    assert totals.performance_total == Decimal("96000.00")
    assert totals.pay_total == Decimal("396000.00")


def test_a_quarter_sheet_covers_three_months():
    grade = SalaryGradeFactory(base_pay=Decimal("4000"), performance_base=Decimal("1000"))
    position = PositionFactory(salary_grade=grade)
    staff = appoint(position=position, start=date(2023, 1, 1), today=TODAY).staff
    services.appraisal_record(
        staff=staff, year=2023, quarter=2, score=Decimal(80), grade=Grade.COMPETENT, by=None
    )
    sheet = services.pay_sheet_generate(
        department=position.department, year=2023, quarter=2, by=None
    )
    line = sheet.lines.get()
    assert (line.base_pay, line.performance_pay) == (Decimal("12000.00"), Decimal("3000.00"))


def test_a_sheet_is_refused_while_someone_lacks_an_appraisal():
    position = PositionFactory()
    staff = appoint(position=position, start=date(2023, 1, 1), today=TODAY).staff
    with pytest.raises(ValidationError) as error:
        services.pay_sheet_generate(department=position.department, year=2023, quarter=0, by=None)
    assert staff.name in str(error.value)


def test_changing_a_coefficient_and_regenerating_records_old_and_new_pay():
    position = PositionFactory(salary_grade=SalaryGradeFactory(performance_base=Decimal("1000")))
    staff = appoint(position=position, start=date(2023, 1, 1), today=TODAY).staff
    services.appraisal_record(
        staff=staff, year=2023, quarter=0, score=Decimal(80), grade=Grade.BASIC, by=None
    )
    services.pay_sheet_generate(department=position.department, year=2023, quarter=0, by=None)
    rule = GradeRule.objects.get(grade=Grade.BASIC)
    rule.coefficient = Decimal("0.90")
    rule.save()
    services.pay_sheet_generate(department=position.department, year=2023, quarter=0, by=None)
    line = PayLine.objects.get(staff=staff)
    versions = list(line.history.order_by("history_date").values_list("performance_pay", flat=True))
    assert versions == [Decimal("9600.00"), Decimal("10800.00")]
    assert list(rule.history.values_list("coefficient", flat=True)) == [
        Decimal("0.90"),
        Decimal("0.80"),
    ]


# -- Audit -----------------------------------------------------------------------------------


def test_contract_and_appraisal_changes_are_recorded_with_the_user(user_of):
    hr = user_of("人事管理员", username="sun")
    appointment = services.appointment_create(
        staff=StaffMemberFactory(),
        position=PositionFactory(),
        start_date=date(2024, 1, 1),
        by=hr,
        today=TODAY,
    )
    services.appointment_terminate(
        appointment=appointment, terminated_on=date(2024, 3, 1), reason="调离", by=hr
    )
    appraisal = services.appraisal_record(
        staff=appointment.staff, year=2024, quarter=1, score=Decimal(85), grade="competent", by=hr
    )
    history = list(Appointment.history.filter(id=appointment.pk).order_by("history_date"))
    assert [(h.history_type, h.status, h.history_user) for h in history] == [
        ("+", "active", hr),
        ("~", "terminated", hr),
    ]
    assert history[1].history_change_reason == "调离"
    assert appraisal.history.get().history_user == hr


def test_positions_keep_their_history_too():
    position = PositionFactory(headcount=2)
    position.headcount = 3
    position.save()
    assert list(Position.history.filter(id=position.pk).values_list("headcount", flat=True)) == [
        3,
        2,
    ]


def test_the_daily_command_moves_statuses_along():
    from io import StringIO

    from django.core.management import call_command

    appointment = appoint(start=date(2021, 1, 1), end=date(2023, 12, 31), today=date(2023, 6, 1))
    out = StringIO()
    call_command("staff_refresh_statuses", stdout=out)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.EXPIRED
    assert "ended: 1" in out.getvalue()


def test_a_department_ranking_overrides_the_weighted_score():
    from apps.staff.models import DepartmentRanking, RoundPosition, SelectionRound

    selection = SelectionRoundFactory(
        name="排序测试",
        weight_written=Decimal("0.5"),
        weight_interview=Decimal("0.5"),
        weight_democratic=Decimal("0"),
    )
    offer = RoundPosition.objects.create(round=selection, position=PositionFactory(), vacancies=1)
    strong, chosen = (
        services.candidate_apply(
            round=selection, staff=StaffMemberFactory(), first_choice=offer, by=None
        )
        for _i in range(2)
    )
    for candidate, score in ((strong, 95), (chosen, 80)):
        services.candidate_score(
            candidate=candidate,
            written=Decimal(score),
            interview=Decimal(score),
            democratic=Decimal(0),
            by=None,
        )
    assert selectors.offer_rankings(round=selection)[offer.pk] == [strong.pk, chosen.pk]
    DepartmentRanking.objects.create(offer=offer, candidate=chosen, rank=1)
    services.round_compute(round=selection, by=None)
    chosen.refresh_from_db()
    assert chosen.assigned == offer and chosen.assigned_preference == 1
    # New scores make the computed result stale: HR computes again before confirming.
    services.candidate_score(
        candidate=strong, written=Decimal(96), interview=Decimal(96), democratic=Decimal(0), by=None
    )
    selection.refresh_from_db()
    assert selection.status == SelectionRound.Status.OPEN
    with pytest.raises(ValidationError, match="请先计算匹配结果"):
        services.round_confirm(round=selection, by=None)
