import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.core import sessions
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def _login(client, username, password, ip="10.1.2.3"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_page_is_in_chinese(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "登录" in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


def test_a_user_logs_in_and_lands_on_the_home_page(client, user_of):
    user_of(Role.SERVICE, username="li")
    response = _login(client, "li", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")


def test_a_wrong_password_is_refused_with_a_chinese_message(client, user_of):
    user_of(Role.SERVICE, username="li")
    response = _login(client, "li", "wrong")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_the_sixth_attempt_is_locked_even_with_the_right_password(client, user_of):
    user_of(Role.SERVICE, username="li")
    for _ in range(5):
        _login(client, "li", "wrong")
    response = _login(client, "li", PASSWORD)
    assert response.status_code == 429
    assert "账号已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_stop_a_colleague_behind_the_same_address(client, user_of):
    user_of(Role.SERVICE, username="li")
    user_of(Role.ECONOMY, username="zhang")
    for _ in range(6):
        _login(client, "li", "wrong")
    response = _login(client, "zhang", PASSWORD)
    assert response.status_code == 302


def test_a_lockout_is_per_address_too(client, user_of):
    user_of(Role.SERVICE, username="li")
    for _ in range(6):
        _login(client, "li", "wrong", ip="10.1.2.3")
    assert _login(client, "li", PASSWORD, ip="10.9.9.9").status_code == 302


def test_sessions_expire_after_thirty_idle_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_TOUCH_SECONDS == 60
    # Refreshed often enough to keep an active user in, whatever the idle time is set to.
    assert settings.SESSION_TOUCH_SECONDS * 10 <= settings.SESSION_COOKIE_AGE


def _session_row(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_a_request_refreshes_the_idle_expiry_once_a_minute_not_each_time(
    client, user_of, monkeypatch, settings
):
    now = [time.time()]
    monkeypatch.setattr(sessions, "_now", lambda: now[0])
    client.force_login(user_of(Role.SERVICE, username="li"))
    home = reverse("accounts:home")
    written = _session_row(client).expire_date

    now[0] += settings.SESSION_TOUCH_SECONDS - 1
    # No write within the minute after the last one.
    with CaptureQueriesContext(connection) as captured:
        assert client.get(home).status_code == 200
    assert not [
        q for q in captured.captured_queries if q["sql"].startswith('UPDATE "django_session"')
    ]
    assert _session_row(client).expire_date == written

    now[0] += 1
    with CaptureQueriesContext(connection) as captured:
        assert client.get(home).status_code == 200
    assert [q for q in captured.captured_queries if q["sql"].startswith('UPDATE "django_session"')]
    row = _session_row(client)
    assert row.expire_date > written
    assert row.get_decoded()[sessions.TOUCHED] == int(now[0])


def test_an_idle_session_ends_and_a_login_through_the_form_counts_as_a_write(client, user_of):
    user_of(Role.SERVICE, username="li")
    assert _login(client, "li", PASSWORD).status_code == 302
    assert sessions.TOUCHED in _session_row(client).get_decoded()
    assert client.get(reverse("accounts:home")).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_logout_is_a_post_and_ends_the_session(client, user_of):
    client.force_login(user_of(Role.SERVICE, username="li"))
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 302


def test_password_change_rejects_a_short_password_in_chinese(client, user_of):
    client.force_login(user_of(Role.SERVICE, username="li"))
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "abc", "new_password2": "abc"},
    )
    assert response.status_code == 200
    assert "密码" in response.content.decode()
    assert "太短" in response.content.decode()


# --- behind the documented proxy (nginx: X-Forwarded-For $proxy_add_x_forwarded_for) ---------

PROXY = "10.0.0.1"  # the nginx server, the only peer gunicorn sees


def _login_through_proxy(client, username, password, *, client_ip, sent_header=None):
    """nginx appends the address it saw to whatever X-Forwarded-For the client sent."""
    forwarded = f"{sent_header}, {client_ip}" if sent_header else client_ip
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_a_forged_forwarded_address_does_not_escape_the_lockout(client, user_of, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user_of(Role.SERVICE, username="li")
    for attempt in range(5):
        _login_through_proxy(
            client, "li", "wrong", client_ip="203.0.113.7", sent_header=f"198.51.100.{attempt}"
        )
    response = _login_through_proxy(
        client, "li", PASSWORD, client_ip="203.0.113.7", sent_header="198.51.100.99"
    )
    assert response.status_code == 429
    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_behind_the_proxy_each_client_keeps_its_own_address(client, user_of, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user_of(Role.SERVICE, username="li")
    for _ in range(6):
        _login_through_proxy(client, "li", "wrong", client_ip="203.0.113.7")
    assert _login_through_proxy(client, "li", PASSWORD, client_ip="203.0.113.7").status_code == 429
    # The same username from another client of the proxy is not locked out.
    assert _login_through_proxy(client, "li", PASSWORD, client_ip="203.0.113.8").status_code == 302


def test_a_garbled_forwarded_header_falls_back_to_the_peer_address(client, user_of, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user_of(Role.SERVICE, username="li")
    response = client.post(
        LOGIN,
        {"username": "li", "password": "wrong"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="not-an-address",
    )
    assert response.status_code == 200
    from axes.models import AccessAttempt

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [PROXY]


# --- bounded login fields ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value",
    [
        ("username", "a" * 256),
        ("username", "a" * 5000),
        ("password", "p" * 5000),
    ],
)
def test_an_overlong_login_field_is_refused_in_chinese_not_a_server_error(
    client, user_of, field, value
):
    user_of(Role.SERVICE, username="li")
    data = {"username": "li", "password": "wrong", field: value}
    response = client.post(LOGIN, data, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert "不能超过" in response.content.decode()


# --- password rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["zoneportal", "1111111111a", "Zone-Portal-2023", "ZonePortal2024!", "aaaaabbbbb12"],
)
def test_guessable_passwords_are_refused(user_of, password):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = user_of(Role.SERVICE, username="li")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_sound_password_passes_every_validator(user_of):
    from django.contrib.auth.password_validation import validate_password

    validate_password("Tea-Garden-Lamp-47", user_of(Role.SERVICE, username="li"))


def test_the_demo_password_is_refused_when_a_user_changes_theirs(client, user_of):
    client.force_login(user_of(Role.SERVICE, username="li"))
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Zone-Portal-2023",
            "new_password2": "Zone-Portal-2023",
        },
    )
    assert response.status_code == 200
    assert "本平台的名称" in response.content.decode()


def test_demo_accounts_still_log_in_with_the_documented_password(client, db):
    from apps.accounts import demo

    demo.ensure_user(
        username="leader", full_name="王建国", roles=["领导"], department_code="leadership"
    )
    assert _login(client, "leader", demo.DEMO_PASSWORD).status_code == 302


def test_an_overlong_username_on_the_admin_login_is_refused_not_a_server_error(client):
    response = client.post(
        reverse("admin:login"), {"username": "a" * 300, "password": "x"}, REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 200
    assert "不能超过" in response.content.decode()
