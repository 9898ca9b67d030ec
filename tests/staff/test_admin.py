from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.staff import services
from apps.staff.models import Appointment, Grade
from tests.staff.factories import (
    PositionFactory,
    SelectionRoundFactory,
    StaffMemberFactory,
    appoint,
)

pytestmark = pytest.mark.django_db

FULL_ID = "11010519491231002X"
MASKED_ID = "1101**********002X"


@pytest.fixture
def zhang():
    staff = StaffMemberFactory(name="张晓", id_number=FULL_ID, birth_date=date(1949, 12, 31))
    appoint(staff=staff, start=date(2023, 1, 1))
    return staff


@pytest.fixture
def viewer(user_of):
    """A staff-site user who may view staff members but is not HR (granted by hand)."""
    user = user_of(Role.LEADER, username="wang", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_staffmember"))
    return user


def test_hr_sees_full_id_numbers_in_the_admin_list_change_and_history_views(client, user_of, zhang):
    client.force_login(user_of(Role.HR, username="sun"))
    for url in [
        reverse("admin:staff_staffmember_changelist"),
        reverse("admin:staff_staffmember_change", args=[zhang.pk]),
    ]:
        assert FULL_ID in client.get(url).content.decode(), url
    history = client.get(reverse("admin:staff_staffmember_history", args=[zhang.pk]))
    assert history.status_code == 200


def test_other_admin_users_see_masked_id_numbers_everywhere_in_the_admin(client, viewer, zhang):
    client.force_login(viewer)
    version = zhang.history.get()
    for url in [
        reverse("admin:staff_staffmember_changelist"),
        reverse("admin:staff_staffmember_change", args=[zhang.pk]),
        reverse("admin:staff_staffmember_history", args=[zhang.pk]),
        reverse("admin:staff_staffmember_simple_history", args=[zhang.pk, version.history_id]),
    ]:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert FULL_ID not in html, url
        assert "1949-12-31" not in html, url  # the birth date is the number's middle
    changelist = client.get(reverse("admin:staff_staffmember_changelist")).content.decode()
    assert MASKED_ID in changelist


def test_salary_admin_pages_are_closed_to_admin_users_who_may_not_see_pay(client, viewer):
    viewer.user_permissions.add(Permission.objects.get(codename="view_paysheet"))
    viewer.groups.clear()  # no longer leadership
    client.force_login(viewer)
    assert client.get(reverse("admin:staff_paysheet_changelist")).status_code == 403


def test_hr_renews_a_contract_with_the_admin_action(client, user_of):
    hr = user_of(Role.HR, username="sun")
    today = timezone.localdate()
    old = appoint(start=today - timedelta(days=700), end=today + timedelta(days=30))
    client.force_login(hr)
    response = client.post(
        reverse("admin:staff_appointment_changelist"),
        {"action": "renew", "_selected_action": [old.pk]},
        follow=True,
    )
    assert "已续聘 1 份合同" in response.content.decode()
    renewal = Appointment.objects.get(previous=old)
    assert renewal.start_date == old.end_date + timedelta(days=1)
    assert renewal.history.get().history_user == hr


def test_the_admin_renew_action_reports_a_blocked_renewal(client, user_of):
    old = appoint(start=date(2022, 1, 1), end=date(2023, 12, 31))
    services.appraisal_record(
        staff=old.staff, year=2023, quarter=0, score=Decimal(50), grade=Grade.INCOMPETENT, by=None
    )
    client.force_login(user_of(Role.HR, username="sun"))
    response = client.post(
        reverse("admin:staff_appointment_changelist"),
        {"action": "renew", "_selected_action": [old.pk]},
        follow=True,
    )
    assert "续聘须填写特批理由" in response.content.decode()
    assert not Appointment.objects.filter(previous=old).exists()


def test_hr_terminates_a_contract_with_the_admin_action_after_giving_a_reason(client, user_of):
    appointment = appoint(start=date(2024, 1, 1))
    client.force_login(user_of(Role.HR, username="sun"))
    url = reverse("admin:staff_appointment_changelist")
    form = client.post(url, {"action": "terminate", "_selected_action": [appointment.pk]})
    assert "解聘原因" in form.content.decode()
    client.post(
        url,
        {
            "action": "terminate",
            "_selected_action": [appointment.pk],
            "apply": "1",
            "terminated_on": "2024-06-30",
            "reason": "考核不合格",
        },
    )
    appointment.refresh_from_db()
    assert appointment.status == "terminated" and appointment.termination_reason == "考核不合格"


def test_adding_a_contract_in_the_admin_goes_through_the_headcount_check(client, user_of):
    position = PositionFactory(headcount=1)
    appoint(position=position, start=date(2024, 1, 1))
    newcomer = StaffMemberFactory()
    client.force_login(user_of(Role.HR, username="sun"))
    data = {"staff": newcomer.pk, "position": position.pk, "start_date": "2024-02-01"}
    response = client.post(reverse("admin:staff_appointment_add"), data)
    assert "已满员" in response.content.decode()
    position.headcount = 2
    position.save()
    response = client.post(reverse("admin:staff_appointment_add"), data)
    assert response.status_code == 302
    created = Appointment.objects.get(staff=newcomer)
    assert created.end_date == date(2027, 1, 31) and created.kind == "contract"


def test_an_appraisal_over_the_quota_is_refused_in_the_admin(client, user_of):
    position = PositionFactory(headcount=5)
    people = [appoint(position=position, start=date(2023, 1, 1)).staff for _i in range(5)]
    services.appraisal_record(
        staff=people[0], year=2023, quarter=0, score=Decimal(95), grade=Grade.EXCELLENT, by=None
    )
    client.force_login(user_of(Role.HR, username="sun"))
    response = client.post(
        reverse("admin:staff_appraisal_add"),
        {"staff": people[1].pk, "year": 2023, "quarter": 0, "score": "94", "grade": "excellent"},
    )
    assert "最多 1 人" in response.content.decode()
    response = client.post(
        reverse("admin:staff_appraisal_add"),
        {"staff": people[1].pk, "year": 2023, "quarter": 0, "score": "88", "grade": "competent"},
    )
    assert response.status_code == 302
    assert people[1].appraisals.get().department == position.department


@pytest.mark.parametrize(
    "model",
    [
        "salarygrade",
        "graderule",
        "position",
        "staffmember",
        "appointment",
        "appraisal",
        "selectionround",
        "roundposition",
        "candidate",
        "departmentranking",
        "paysheet",
        "payline",
    ],
)
def test_every_staff_model_has_a_working_admin_list_for_hr(client, user_of, model, zhang):
    client.force_login(user_of(Role.HR, username="sun"))
    response = client.get(reverse(f"admin:staff_{model}_changelist") + "?q=张")
    assert response.status_code == 200


def test_scoring_a_candidate_in_the_admin_computes_the_weighted_score(client, user_of):
    from apps.staff.models import Candidate, RoundPosition

    selection = SelectionRoundFactory(
        name="后台评分",
        weight_written=Decimal("0.5"),
        weight_interview=Decimal("0.3"),
        weight_democratic=Decimal("0.2"),
    )
    offer = RoundPosition.objects.create(round=selection, position=PositionFactory(), vacancies=1)
    other_round_offer = RoundPosition.objects.create(
        round=SelectionRoundFactory(
            name="另一轮",
            weight_written=Decimal("1"),
            weight_interview=Decimal("0"),
            weight_democratic=Decimal("0"),
        ),
        position=PositionFactory(),
        vacancies=1,
    )
    staff = StaffMemberFactory()
    client.force_login(user_of(Role.HR, username="sun"))
    data = {"round": selection.pk, "staff": staff.pk, "first_choice": other_round_offer.pk}
    response = client.post(reverse("admin:staff_candidate_add"), data)
    assert "志愿岗位必须是本轮选聘的岗位" in response.content.decode()
    data.update(first_choice=offer.pk, written_score="90", interview_score="80")
    data["democratic_score"] = "70"
    assert client.post(reverse("admin:staff_candidate_add"), data).status_code == 302
    candidate = Candidate.objects.get(staff=staff)
    assert candidate.total_score == Decimal("83.000")  # 45 + 24 + 14
    response = client.post(
        reverse("admin:staff_candidate_change", args=[candidate.pk]),
        {"written_score": "100", "interview_score": "80", "democratic_score": "70"},
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.total_score == Decimal("88.000")


def test_a_department_ranking_set_in_the_admin_makes_a_computed_result_stale(client, user_of):
    from apps.staff.models import RoundPosition, SelectionRound

    hr = user_of(Role.HR, username="sun")
    selection = SelectionRoundFactory(
        name="排序",
        weight_written=Decimal("1"),
        weight_interview=Decimal("0"),
        weight_democratic=Decimal("0"),
    )
    offer = RoundPosition.objects.create(round=selection, position=PositionFactory(), vacancies=1)
    candidate = services.candidate_apply(
        round=selection, staff=StaffMemberFactory(), first_choice=offer, by=hr
    )
    services.candidate_score(
        candidate=candidate, written=Decimal(80), interview=Decimal(0), democratic=Decimal(0), by=hr
    )
    services.round_compute(round=selection, by=hr)
    client.force_login(hr)
    response = client.post(
        reverse("admin:staff_departmentranking_add"),
        {"offer": offer.pk, "candidate": candidate.pk, "rank": 1},
    )
    assert response.status_code == 302
    selection.refresh_from_db()
    assert selection.status == SelectionRound.Status.OPEN
