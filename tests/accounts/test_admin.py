import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from apps.accounts.models import Department, User
from apps.accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:accounts_user_changelist",
        "admin:accounts_user_add",
        "admin:accounts_department_changelist",
        "admin:auth_group_changelist",
    ],
)
def test_the_system_administrator_manages_accounts_in_the_admin(client, user_of, url_name):
    client.force_login(user_of(Role.ADMIN, username="zhou"))
    assert client.get(reverse(url_name)).status_code == 200


def test_an_administrator_creates_a_user_with_a_role_in_the_admin(client, user_of):
    client.force_login(user_of(Role.ADMIN, username="zhou"))
    service = Department.objects.get(code=Department.Code.SERVICE)
    group = Group.objects.get(name=Role.SERVICE)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newcomer",
            "full_name": "新同事",
            "department": service.pk,
            "phone": "13812345678",
            "groups": [group.pk],
            "password1": "A-Long-Password-2023",
            "password2": "A-Long-Password-2023",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="newcomer")
    assert user.full_name == "新同事"
    assert user.has_role(Role.SERVICE)


def test_a_bad_phone_number_is_refused_in_the_admin(client, user_of):
    admin_user = user_of(Role.ADMIN, username="zhou")
    client.force_login(admin_user)
    colleague = user_of(Role.SERVICE, username="li")
    url = reverse("admin:accounts_user_change", args=[colleague.pk])
    response = client.post(
        url,
        {
            "username": "li",
            "full_name": "李敏",
            "phone": "12345",
            "is_active": "on",
            "date_joined_0": "2023-01-01",
            "date_joined_1": "08:00:00",
        },
    )
    assert response.status_code == 200
    assert "请输入有效的手机号" in response.content.decode()


def test_user_changes_are_recorded_with_who_made_them(client, user_of):
    admin_user = user_of(Role.ADMIN, username="zhou")
    client.force_login(admin_user)
    colleague = user_of(Role.SERVICE, username="li", full_name="李敏")
    response = client.post(
        reverse("admin:accounts_user_change", args=[colleague.pk]),
        {
            "username": "li",
            "full_name": "李敏敏",
            "phone": "13812345678",
            "is_active": "on",
            "date_joined_0": "2023-01-01",
            "date_joined_1": "08:00:00",
        },
    )
    assert response.status_code == 302
    latest = colleague.history.first()
    assert (latest.full_name, latest.history_user) == ("李敏敏", admin_user)
    assert latest.prev_record.full_name == "李敏"
    history_url = reverse("admin:accounts_user_history", args=[colleague.pk])
    assert client.get(history_url).status_code == 200
