"""HR keeps staff records on the staff pages (新增人员 / 编辑人员) through the services; the ID
number is checked, agrees with the birth date, never travels in a URL, and is shown in full
only to HR; the history keeps every change with its author."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.accounts.roles import Role
from apps.staff import services
from apps.staff.models import StaffMember
from tests.staff.factories import StaffMemberFactory, appoint, make_id_number

pytestmark = pytest.mark.django_db

BIRTH = date(1990, 3, 7)
ID_NUMBER = make_id_number(BIRTH, 123)
CREATE = reverse("staff:member_create")


def _values(**overrides):
    values = {
        "name": "刘晓燕",
        "gender": StaffMember.Gender.FEMALE,
        "birth_date": BIRTH,
        "id_number": ID_NUMBER,
        "phone": "+86 138 0013 8000",
        "education": StaffMember.Education.MASTER,
        "former_status": StaffMember.FormerStatus.RECRUITED,
        "user": None,
        "status": StaffMember.Status.ACTIVE,
    }
    return {**values, **overrides}


def _post(**overrides):
    data = _values(**overrides)
    data["birth_date"] = data["birth_date"].isoformat() if data["birth_date"] else ""
    data["user"] = data["user"].pk if data["user"] else ""
    return data


@pytest.fixture
def hr(user_of):
    return user_of(Role.HR, username="sun", full_name="孙丽")


class TestTheServices:
    def test_hr_registers_a_staff_member_with_normalised_id_and_phone(self, hr):
        member = services.staff_member_create(by=hr, **_values(id_number=f" {ID_NUMBER.lower()} "))
        assert member.id_number == ID_NUMBER
        assert member.phone == "13800138000"
        assert member.history.latest().history_user == hr

    def test_a_birth_date_that_disagrees_with_the_id_number_is_refused(self, hr):
        with pytest.raises(ValidationError) as refused:
            services.staff_member_create(by=hr, **_values(birth_date=date(1990, 3, 8)))
        assert "出生日期与身份证号中的出生日期" in str(refused.value.message_dict["birth_date"])
        assert not StaffMember.objects.exists()

    def test_a_wrong_check_character_and_a_duplicate_id_number_are_refused(self, hr):
        wrong = ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")
        with pytest.raises(ValidationError, match="校验码不正确"):
            services.staff_member_create(by=hr, **_values(id_number=wrong))
        services.staff_member_create(by=hr, **_values())
        with pytest.raises(ValidationError) as refused:
            services.staff_member_create(by=hr, **_values(name="另一人"))
        assert "id_number" in refused.value.message_dict
        assert StaffMember.objects.count() == 1

    def test_an_update_keeps_what_is_not_passed_and_records_the_old_values(self, hr):
        member = services.staff_member_create(by=hr, **_values())
        services.staff_member_update(member=member, by=hr, phone="0371-12345678")
        member.refresh_from_db()
        assert (member.phone, member.id_number) == ("0371-12345678", ID_NUMBER)
        old, new = member.history.order_by("history_date")
        assert old.phone == "13800138000" and new.phone == "0371-12345678"
        assert new.history_user == hr

    def test_someone_still_under_contract_cannot_be_marked_as_left(self, hr):
        member = StaffMemberFactory()
        appoint(staff=member, start=date.today())
        with pytest.raises(ValidationError, match="请先解聘"):
            services.staff_member_update(member=member, by=hr, status=StaffMember.Status.LEFT)
        assert StaffMember.objects.get(pk=member.pk).status == StaffMember.Status.ACTIVE

    def test_an_account_belongs_to_one_staff_record_only(self, hr, user_of):
        account = user_of(Role.SERVICE, username="li")
        services.staff_member_create(by=hr, **_values(user=account))
        other = make_id_number(date(1985, 1, 1), 7)
        with pytest.raises(ValidationError) as refused:
            services.staff_member_create(
                by=hr, **_values(id_number=other, birth_date=date(1985, 1, 1), user=account)
            )
        assert "user" in refused.value.message_dict


class TestThePages:
    def test_hr_registers_a_member_on_the_page_and_the_id_never_reaches_a_url(self, client, hr):
        client.force_login(hr)
        assert "新增人员" in client.get(reverse("staff:member_list")).content.decode()
        response = client.post(CREATE, _post())
        member = StaffMember.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("staff:member_detail", args=[member.pk])
        assert ID_NUMBER not in response.url

    def test_an_id_number_in_the_address_is_never_taken(self, client, hr):
        client.force_login(hr)
        html = client.get(CREATE, {"id_number": ID_NUMBER, "name": "x"}).content.decode()
        # (the language switch echoes the address; the form itself takes nothing from it)
        assert f'value="{ID_NUMBER}"' not in html
        assert 'method="post"' in html

    def test_an_empty_birth_date_is_taken_from_the_id_number(self, client, hr):
        client.force_login(hr)
        client.post(CREATE, _post(birth_date=None))
        assert StaffMember.objects.get().birth_date == BIRTH

    def test_bad_input_is_explained_in_chinese_and_nothing_typed_is_lost(self, client, hr):
        client.force_login(hr)
        response = client.post(
            CREATE, _post(birth_date=date(1991, 1, 1), phone="12345", name="王 小明")
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "出生日期与身份证号中的出生日期（1990-03-07）不一致" in html
        assert "1991-01-01" in html and ID_NUMBER in html and "王 小明" in html
        assert "12345" in html
        assert not StaffMember.objects.exists()

    def test_hr_edits_a_record_and_sees_the_full_id_number_in_the_form(self, client, hr):
        member = services.staff_member_create(by=hr, **_values())
        url = reverse("staff:member_update", args=[member.pk])
        client.force_login(hr)
        detail = client.get(reverse("staff:member_detail", args=[member.pk])).content.decode()
        assert url in detail
        assert f'value="{ID_NUMBER}"' in client.get(url).content.decode()
        response = client.post(url, _post(name="刘晓岩", education="bachelor"))
        assert response.status_code == 302
        member.refresh_from_db()
        assert (member.name, member.education) == ("刘晓岩", "bachelor")

    def test_the_leadership_reads_the_record_but_may_not_edit_it(self, client, hr, user_of):
        member = services.staff_member_create(by=hr, **_values())
        client.force_login(user_of(Role.LEADER, username="wang"))
        detail = client.get(reverse("staff:member_detail", args=[member.pk])).content.decode()
        assert reverse("staff:member_update", args=[member.pk]) not in detail
        assert client.get(reverse("staff:member_update", args=[member.pk])).status_code == 403
        assert client.post(CREATE, _post(id_number="x")).status_code == 403

    def test_the_audit_page_lists_the_change(self, client, hr):
        member = services.staff_member_create(by=hr, **_values())
        client.force_login(hr)
        client.post(reverse("staff:member_update", args=[member.pk]), _post(name="刘晓岩"))
        html = client.get(reverse("staff:audit")).content.decode()
        assert "刘晓岩" in html
