from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.accounts.models import Department
from apps.accounts.roles import Role
from apps.staff import services
from apps.staff.models import Appointment, Grade, RoundPosition, SelectionRound
from tests.conftest import FRAME_QUERIES
from tests.staff.factories import (
    PositionFactory,
    SelectionRoundFactory,
    StaffMemberFactory,
    appoint,
)

pytestmark = pytest.mark.django_db

FULL_ID = "11010519491231002X"
MASKED_ID = "1101**********002X"
SEES_FULL_ID = {Role.HR.value, Role.ADMIN.value}


@pytest.fixture
def zhang():
    """An appointed staff member with a known ID number."""
    staff = StaffMemberFactory(name="张晓", id_number=FULL_ID, birth_date=date(1949, 12, 31))
    appoint(staff=staff, start=date(2023, 1, 1))
    return staff


def _texts(client, zhang):
    """Every page and export that may show a staff member, as text."""
    outputs = {}
    for name, kwargs, query in [
        ("staff:member_list", {}, ""),
        ("staff:member_detail", {"pk": zhang.pk}, ""),
        ("staff:member_update", {"pk": zhang.pk}, ""),
        ("staff:org_chart", {}, ""),
        ("staff:appointment_list", {}, ""),
        ("api:staff-member-list", {}, ""),
        ("api:staff-member-detail", {"pk": zhang.pk}, ""),
    ]:
        response = client.get(reverse(name, kwargs=kwargs) + query)
        if response.status_code == 200:
            outputs[name] = response.content.decode()
    response = client.get(reverse("staff:member_list") + "?export=xlsx")
    if response.status_code == 200:
        sheet = load_workbook(BytesIO(response.content)).active
        outputs["export"] = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    return outputs


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_only_hr_sees_full_id_numbers_in_every_page_api_and_export(client, role_users, role, zhang):
    client.force_login(role_users[role])
    outputs = _texts(client, zhang)
    assert "staff:org_chart" in outputs  # every role reads the organisation
    for name, text in outputs.items():
        if role in SEES_FULL_ID:
            assert FULL_ID in text or name == "staff:org_chart" or name == "staff:appointment_list"
        else:
            assert FULL_ID not in text, (role, name)
    readers = {Role.HR.value, Role.ADMIN.value, Role.LEADER.value}
    if role in readers:
        assert {"staff:member_list", "api:staff-member-list", "export"} <= outputs.keys()
    if role == Role.LEADER.value:
        assert MASKED_ID in outputs["staff:member_list"] and MASKED_ID in outputs["export"]
        assert MASKED_ID in outputs["api:staff-member-detail"]


BIRTH_DATE_FORMS = ["1949-12-31", "1949年12月31日", "Dec. 31, 1949", "1949/12/31", "19491231"]


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_only_hr_sees_the_birth_date_beside_a_masked_id_number(client, role_users, role, zhang):
    client.force_login(role_users[role])
    outputs = _texts(client, zhang)
    for name, text in outputs.items():
        if role not in SEES_FULL_ID:
            for form in BIRTH_DATE_FORMS:
                assert form not in text, (role, name, form)
    if role == Role.LEADER.value:
        # The year of birth at most, and no age computed from the date.
        assert "1949" in outputs["staff:member_detail"] and "出生年份" in outputs["export"]
        detail = client.get(reverse("api:staff-member-detail", kwargs={"pk": zhang.pk})).json()
        assert detail["birth_date"] is None and detail["birth_year"] == 1949
    if role in SEES_FULL_ID:
        assert "1949-12-31" in outputs["staff:member_detail"]
        detail = client.get(reverse("api:staff-member-detail", kwargs={"pk": zhang.pk})).json()
        assert detail["birth_date"] == "1949-12-31"


def test_the_api_does_not_order_people_by_birth_date_for_the_leadership(client, user_of):
    older = StaffMemberFactory(name="乙", birth_date=date(1960, 1, 1))
    younger = StaffMemberFactory(name="甲", birth_date=date(1990, 1, 1))
    url = reverse("api:staff-member-list")
    client.force_login(user_of(Role.LEADER, username="wang"))
    for ordering in ("birth_date", "-birth_date"):
        rows = client.get(url, {"ordering": ordering}).json()["results"]
        assert [row["name"] for row in rows] == ["乙", "甲"]  # the default order, by name
    client.force_login(user_of(Role.HR, username="sun"))
    rows = client.get(url, {"ordering": "-birth_date"}).json()["results"]
    assert [row["id"] for row in rows] == [younger.pk, older.pk]


def test_the_audit_view_shows_only_the_year_of_birth_to_anyone_but_hr(user_of, zhang):
    from apps.staff.audit import audit_rows

    records = list(zhang.history.all())
    leader_rows = audit_rows(records=records, user=user_of(Role.LEADER, username="wang"))
    shown = " ".join(new for row in leader_rows for _label, _old, new in row.changes)
    assert "1949" in shown and "1949-12-31" not in shown
    hr_rows = audit_rows(records=records, user=user_of(Role.HR, username="sun"))
    shown = " ".join(new for row in hr_rows for _label, _old, new in row.changes)
    assert "1949-12-31" in shown


def test_the_id_number_cannot_be_searched_for_because_it_would_travel_in_the_url(
    client, user_of, zhang
):
    client.force_login(user_of(Role.HR, username="sun"))
    response = client.get(reverse("staff:member_list"), {"q": FULL_ID})
    assert "没有符合条件的人员" in response.content.decode()
    assert client.get(reverse("staff:member_list"), {"q": "张晓"}).context["object_list"]


def test_position_salary_figures_are_absent_from_the_api_for_other_roles(client, role_users):
    PositionFactory()
    url = reverse("api:staff-position-list")
    client.force_login(role_users[Role.SERVICE])
    row = client.get(url).json()["results"][0]
    assert "base_pay" not in row and "performance_base" not in row
    client.force_login(role_users[Role.LEADER])
    response = client.get(url)
    assert response.json()["results"][0]["base_pay"] == "5000.00"
    assert "no-store" in response["Cache-Control"]


def test_salary_and_id_responses_are_not_stored_by_caches(client, user_of, zhang):
    client.force_login(user_of(Role.HR, username="sun"))
    for url in [
        reverse("staff:member_detail", kwargs={"pk": zhang.pk}),
        reverse("staff:member_list") + "?export=xlsx",
        reverse("api:staff-member-list"),
        reverse("staff:pay_sheet_list"),
        reverse("api:staff-pay-sheet-list"),
    ]:
        assert "no-store" in client.get(url)["Cache-Control"], url


# -- Pages -----------------------------------------------------------------------------------


def test_the_org_chart_shows_holders_and_vacancies(client, user_of):
    position = PositionFactory(title="招商专员", headcount=3)
    appoint(staff=StaffMemberFactory(name="王芳"), position=position, start=timezone.localdate())
    client.force_login(user_of(Role.SERVICE, username="li"))
    html = client.get(reverse("staff:org_chart")).content.decode()
    assert "招商专员" in html and "王芳" in html and "空缺 2" in html


def test_hr_appoints_through_the_page_and_sees_refusals_with_the_input_kept(client, user_of):
    client.force_login(user_of(Role.HR, username="sun"))
    position = PositionFactory(headcount=1)
    appoint(position=position, start=date(2024, 1, 1))
    newcomer = StaffMemberFactory(name="新人")
    data = {"staff": newcomer.pk, "position": position.pk, "start_date": "2024-03-01"}
    response = client.post(reverse("staff:appointment_create"), data)
    html = response.content.decode()
    assert response.status_code == 400 and "已满员" in html and 'value="2024-03-01"' in html
    position.headcount = 2
    position.save()
    response = client.post(reverse("staff:appointment_create"), data)
    assert response.status_code == 302
    assert Appointment.objects.filter(staff=newcomer, end_date=date(2027, 2, 28)).exists()


def test_hr_renews_on_the_page_and_must_give_a_reason_after_an_incompetent_year(client, user_of):
    client.force_login(user_of(Role.HR, username="sun"))
    old = appoint(start=date(2021, 7, 1), end=date(2024, 6, 30))
    services.appraisal_record(
        staff=old.staff, year=2023, quarter=0, score=Decimal(50), grade=Grade.INCOMPETENT, by=None
    )
    page = reverse("staff:appointment_detail", kwargs={"pk": old.pk})
    assert "特批理由" in client.get(page).content.decode()
    url = reverse("staff:appointment_transition", kwargs={"pk": old.pk, "action": "renew"})
    response = client.post(url, {"renew-years": 1, "renew-override_reason": ""})
    assert response.status_code == 400
    assert "特批理由" in response.content.decode()
    response = client.post(url, {"renew-years": 1, "renew-override_reason": "整改到位"})
    assert response.status_code == 302
    assert [event.action for event in old.events.all()] == ["renew"]
    assert old.staff.appointments.get(previous=old).end_date == date(2025, 6, 30)


def test_hr_terminates_on_the_page_with_a_reason(client, user_of):
    client.force_login(user_of(Role.HR, username="sun"))
    appointment = appoint(start=date(2024, 1, 1))
    url = reverse(
        "staff:appointment_transition", kwargs={"pk": appointment.pk, "action": "terminate"}
    )
    response = client.post(
        url, {"terminate-terminated_on": "2023-12-01", "terminate-reason": "辞职"}
    )
    assert response.status_code == 400
    assert "解聘日期必须晚于聘期起始日期" in response.content.decode()
    client.post(url, {"terminate-terminated_on": "2024-05-01", "terminate-reason": "辞职"})
    appointment.refresh_from_db()
    assert appointment.status == "terminated"
    event = appointment.events.get()
    assert (event.from_status, event.to_status, event.comment) == ("active", "terminated", "辞职")


def test_the_hr_home_page_lists_contracts_ending_soon_and_people_flagged(client, user_of):
    today = timezone.localdate()
    ending = appoint(
        staff=StaffMemberFactory(name="即将到期"),
        start=today - timedelta(days=400),
        end=today + timedelta(days=20),
    )
    client.force_login(user_of(Role.HR, username="sun"))
    html = client.get(reverse("accounts:home")).content.decode()
    assert "合同到期提醒" in html and ending.staff.name in html
    client.force_login(user_of(Role.SERVICE, username="li"))
    assert "合同到期提醒" not in client.get(reverse("accounts:home")).content.decode()


def _round_with_results(hr):
    selection = SelectionRoundFactory(name="2024年竞争上岗")
    chief = RoundPosition.objects.create(
        round=selection, position=PositionFactory(title="局长", kind="middle"), vacancies=1
    )
    clerk = RoundPosition.objects.create(
        round=selection, position=PositionFactory(title="科员"), vacancies=2
    )
    people = {}
    for name, score, first, second in [
        ("甲", 90, chief, clerk),
        ("乙", 85, chief, clerk),
        ("丙", 70, clerk, None),
        ("丁", 60, clerk, None),
    ]:
        staff = StaffMemberFactory(name=name, user=hr if name == "乙" else None)
        candidate = services.candidate_apply(
            round=selection, staff=staff, first_choice=first, second_choice=second, by=hr
        )
        services.candidate_score(
            candidate=candidate,
            written=Decimal(score),
            interview=Decimal(score),
            democratic=Decimal(score),
            by=hr,
        )
        people[name] = candidate
    return selection, people


def test_hr_computes_reviews_and_confirms_a_round_on_its_page(client, user_of):
    hr = user_of(Role.HR, username="sun")
    selection, people = _round_with_results(hr)
    client.force_login(hr)
    client.post(reverse("staff:round_compute", kwargs={"pk": selection.pk}))
    html = client.get(reverse("staff:round_detail", kwargs={"pk": selection.pk})).content.decode()
    # 乙 lost the chief post to 甲 and was placed by the second preference; 丁 ranked third.
    assert "排第 2 / 2 名，空缺 1 个" in html and "未录取（录取至第 1 名）" in html
    assert "排第 4 / 4 名，空缺 2 个" in html and "未录取（录取至第 3 名）" in html
    client.post(reverse("staff:round_confirm", kwargs={"pk": selection.pk}))
    selection.refresh_from_db()
    assert selection.status == SelectionRound.Status.CONFIRMED
    appointed = set(selection.appointments.values_list("staff__name", flat=True))
    assert appointed == {"甲", "乙", "丙"}


def test_a_candidate_sees_why_they_got_their_result(client, user_of):
    hr = user_of(Role.HR, username="sun")
    selection, people = _round_with_results(hr)
    services.round_compute(round=selection, by=hr)
    client.force_login(hr)
    html = client.get(reverse("staff:my_selection")).content.decode()
    assert "结果经人事复核确认后公布" in html and "聘任岗位：" not in html
    services.round_confirm(round=selection, by=hr)
    html = client.get(reverse("staff:my_selection")).content.decode()
    assert "聘任岗位：" in html and "第二志愿" in html and "85.000" in html


def test_a_failed_confirmation_creates_no_appointment_at_all(client, user_of):
    hr = user_of(Role.HR, username="sun")
    selection, people = _round_with_results(hr)
    services.round_compute(round=selection, by=hr)
    # 丙 already holds a contract over the start date: the whole confirmation is refused.
    appoint(staff=people["丙"].staff, start=date(2024, 1, 1))
    client.force_login(hr)
    response = client.post(reverse("staff:round_confirm", kwargs={"pk": selection.pk}), follow=True)
    assert "丙：此人在该期间已有聘任" in response.content.decode()
    assert not selection.appointments.exists()


def test_an_appraisal_over_the_quota_is_refused_on_the_page(client, user_of):
    office = Department.objects.get(code="office")
    position = PositionFactory(department=office, headcount=5)
    people = [appoint(position=position, start=date(2023, 1, 1)).staff for _i in range(5)]
    services.appraisal_record(
        staff=people[0], year=2023, quarter=0, score=Decimal(95), grade=Grade.EXCELLENT, by=None
    )
    client.force_login(user_of(Role.HR, username="sun"))
    response = client.post(
        reverse("staff:appraisal_create"),
        {"staff": people[1].pk, "year": 2023, "quarter": 0, "score": "94", "grade": "excellent"},
    )
    assert "最多 1 人" in response.content.decode()


def _pay_sheet(hr):
    service = Department.objects.get(code="service")
    position = PositionFactory(department=service, headcount=6)
    people = [appoint(position=position, start=date(2023, 1, 1)).staff for _i in range(5)]
    for index, staff in enumerate(people):
        services.appraisal_record(
            staff=staff,
            year=2023,
            quarter=0,
            score=Decimal(85),
            grade=Grade.EXCELLENT if index == 0 else Grade.COMPETENT,
            by=hr,
        )
    return services.pay_sheet_generate(department=service, year=2023, quarter=0, by=hr)


def test_the_pay_sheet_exports_to_excel_with_totals(client, user_of):
    hr = user_of(Role.HR, username="sun")
    sheet = _pay_sheet(hr)
    client.force_login(hr)
    url = reverse("staff:pay_sheet_detail", kwargs={"pk": sheet.pk})
    response = client.get(url + "?export=xlsx")
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[0][0] == "姓名" and len(rows) == 7  # header, five people, totals
    # 28800 (优秀) + 4 × 24000 (称职)
    assert rows[-1][0] == "合计" and Decimal(str(rows[-1][7])) == Decimal("124800")
    assert "no-store" in response["Cache-Control"]


def test_hr_reads_the_audit_trail_with_old_and_new_values(client, user_of):
    hr = user_of(Role.HR, username="sun")
    appointment = appoint(start=date(2024, 1, 1))
    services.appointment_terminate(
        appointment=appointment, terminated_on=date(2024, 4, 30), reason="调离", by=hr
    )
    client.force_login(hr)
    html = client.get(reverse("staff:audit") + "?model=appointment").content.decode()
    assert "状态：在聘 → 解聘" in html
    assert "终止日期：2026-12-31 → 2024-04-30" in html
    # Foreign keys show names, not ids (the creation lists its values once, without "— →").
    assert f"岗位：{appointment.position}" in html


# -- Query counts ----------------------------------------------------------------------------


def _several_appointed(count=4):
    for _i in range(count):
        appoint(start=timezone.localdate() - timedelta(days=30))


# Every page: the user's and the groups' permissions (2; the permission check and the menu).
# A department filter's choices are read once (apps.core.filters.ReferenceChoiceFilter): the
# page is pinned on its second request.
@pytest.mark.parametrize(
    ("url_name", "queries"),
    [
        # count, positions with holders annotated
        ("staff:position_list", 2 + 2),
        # departments, positions with holders, current appointments with their staff
        ("staff:org_chart", 2 + 3),
        # count, staff with users, their current appointments, the viewer's roles (ID
        # visibility)
        ("staff:member_list", 2 + 4),
        # count, appointments with staff, position, department, previous and renewal
        ("staff:appointment_list", 2 + 2),
        # count, appraisals, the people flagged for review
        ("staff:appraisal_list", 2 + 3),
        # the viewer's roles (salary visibility), count, sheets with totals
        ("staff:pay_sheet_list", 2 + 3),
        # model permissions, count, positions, the viewer's roles (salary fields)
        ("api:staff-position-list", 2 + 3),
        # model permissions, count, staff, current appointments, the viewer's roles (ID numbers)
        ("api:staff-member-list", 2 + 4),
        # model permissions, count, appointments with everything they show
        ("api:staff-appointment-list", 2 + 2),
        # the viewer's roles (salary visibility), salary grades, grade rules
        ("staff:salary_grades", 2 + 3),
    ],
)
def test_list_pages_take_a_fixed_number_of_queries(
    client, user_of, django_assert_num_queries, url_name, queries
):
    hr = user_of(Role.HR, username="sun")
    _several_appointed()
    _pay_sheet(hr)
    client.force_login(hr)
    url = reverse(url_name)
    client.get(url)
    with django_assert_num_queries(FRAME_QUERIES + queries):
        client.get(url)


def test_the_hr_home_panel_takes_two_queries_however_many_contracts_end(user_of):
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from apps.staff import home

    today = timezone.localdate()
    for days in (3, 15, 40, 50):
        appoint(start=today - timedelta(days=400), end=today + timedelta(days=days))
    request = RequestFactory().get("/")
    request.user = user_of(Role.HR, username="sun")
    assert request.user.role_names  # read once per request by the frame
    with CaptureQueriesContext(connection) as queries:
        for panel in home.panels(request):
            render_to_string(panel.template, {"panel": panel.context})
    # the contracts ending within 60 days (with person and position), the people flagged
    assert len(queries.captured_queries) == 2


@pytest.mark.parametrize(
    ("page", "queries"),
    [
        # the person, contracts (with position, department, previous, renewal, round),
        # appraisals, the viewer's roles (ID and salary visibility), pay lines
        ("member", 2 + 5),
        # the round, offers with filled counts, candidates with their choices, manual
        # rankings, offers and candidates again for the rankings, the viewer's roles
        ("round", 2 + 6),
        # the viewer's roles, the sheet with totals, count, lines with person and grade
        ("sheet", 2 + 4),
        # the viewer's roles, count, a page of versions with users, the versions before the
        # page, the names of staff, positions, rounds, previous contracts and users
        ("audit", 2 + 9),
        # the viewer's candidacies with their rounds; for the confirmed round: offers, candidates,
        # and for the rankings the department rankings, the offers and the applicants
        ("mine", 2 + 6),
    ],
)
def test_detail_pages_take_a_fixed_number_of_queries(
    client, user_of, django_assert_num_queries, page, queries
):
    hr = user_of(Role.HR, username="sun")
    sheet = _pay_sheet(hr)
    selection, _people = _round_with_results(hr)
    services.round_compute(round=selection, by=hr)
    services.round_confirm(round=selection, by=hr)
    member = sheet.lines.first().staff
    services.appointment_renew(appointment=member.appointments.get(), by=hr)
    url = {
        "member": reverse("staff:member_detail", kwargs={"pk": member.pk}),
        "round": reverse("staff:round_detail", kwargs={"pk": selection.pk}),
        "sheet": reverse("staff:pay_sheet_detail", kwargs={"pk": sheet.pk}),
        "audit": reverse("staff:audit") + "?model=appointment",
        "mine": reverse("staff:my_selection"),
    }[page]
    client.force_login(hr)
    client.get(url)
    with django_assert_num_queries(FRAME_QUERIES + queries):
        client.get(url)


def test_the_pay_sheet_form_proposes_the_newest_appraised_year(client, user_of):
    hr = user_of(Role.HR, username="sun")
    client.force_login(hr)
    url = reverse("staff:pay_sheet_generate")
    assert client.get(url).context["form"]["year"].value() == timezone.localdate().year - 1
    _pay_sheet(hr)  # appraisals of 2023
    assert client.get(url).context["form"]["year"].value() == 2023
