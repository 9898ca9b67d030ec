"""Failure and recovery: a lost database answers 503, Redis down leaves the portal working,
every request is one log line with a request id that the 500 page shows."""

import json
import logging
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

from apps.core.cache import ResilientRedisCache
from tests.subprocess_env import clean_environ

BASE_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet_client():
    return Client(raise_request_exception=False)


@override_settings(ROOT_URLCONF="tests.ops.urls")
def test_a_lost_database_answers_503_with_retry_after_in_chinese(quiet_client):
    response = quiet_client.get("/lost-database/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = response.content.decode()
    assert "数据库正在重启或维护" in page
    assert response["X-Request-ID"] in page


@override_settings(ROOT_URLCONF="tests.ops.urls")
def test_the_api_answers_503_in_json_when_the_database_is_lost(quiet_client):
    response = quiet_client.get("/api/lost-database/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response.json()["request_id"] == response["X-Request-ID"]


@override_settings(ROOT_URLCONF="tests.ops.urls")
def test_the_500_page_shows_the_request_id_that_the_log_line_carries(quiet_client, caplog):
    with caplog.at_level(logging.INFO, logger="zone_portal.request"):
        response = quiet_client.get("/bug/", HTTP_X_REQUEST_ID="proxy-given-id-1234")
    assert response.status_code == 500
    assert "proxy-given-id-1234" in response.content.decode()
    [line] = [r for r in caplog.records if r.name == "zone_portal.request"]
    assert line.request_id == "proxy-given-id-1234"
    assert line.status_code == 500


def test_each_request_is_one_log_line_with_user_status_duration_and_id(client, caplog, user_of):
    user = user_of("领导", username="wang")
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="zone_portal.request"):
        response = client.get("/", HTTP_X_REQUEST_ID="<script>")
    [line] = [r for r in caplog.records if r.name == "zone_portal.request"]
    # An unusable id offered by a client is replaced.
    assert line.request_id == response["X-Request-ID"] != "<script>"
    assert "method=GET path=/ status=200" in line.getMessage()
    assert "user=wang" in line.getMessage()
    assert line.duration_ms >= 0


def _dead_redis_cache():
    return ResilientRedisCache(
        "redis://127.0.0.1:1/0",
        {"KEY_PREFIX": "zp-test", "OPTIONS": {"socket_connect_timeout": 0.2}},
    )


def test_with_redis_down_the_cache_misses_instead_of_failing():
    cache = _dead_redis_cache()
    cache.set("key", "value")
    assert cache.get("key", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("key", 1) is False
    with pytest.raises(ValueError):
        cache.incr("counter")
    assert cache.ping() is False


def test_healthz_reports_redis_down_while_the_portal_answers(client, monkeypatch):
    monkeypatch.setattr("apps.core.health.cache", _dead_redis_cache())
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "unavailable"}


def test_the_redis_cache_shares_values_and_clears_only_the_portals_own_keys():
    prefix = f"zp-test-{uuid.uuid4().hex[:8]}"
    config = {"KEY_PREFIX": prefix, "OPTIONS": {"socket_connect_timeout": 1}}
    one = ResilientRedisCache(settings.REDIS_URL, config)
    other_server = ResilientRedisCache(settings.REDIS_URL, config)
    if not one.ping():
        pytest.fail(f"no Redis answers at {settings.REDIS_URL}")
    client = one._cache.get_client(write=True)
    neighbour = f"{prefix}:celery:queue"  # a Celery key under the same prefix
    client.set(neighbour, "x")
    try:
        one.set("greeting", "你好")
        assert other_server.get("greeting") == "你好"
        one.clear()
        assert other_server.get("greeting") is None
        assert client.get(neighbour) == b"x"
    finally:
        client.delete(neighbour)


def test_the_redis_cache_builds_one_client_per_connection_pool():
    config = {"KEY_PREFIX": f"zp-test-{uuid.uuid4().hex[:8]}"}
    cache = ResilientRedisCache(settings.REDIS_URL, config)
    first = cache._cache.get_client()
    assert cache._cache.get_client() is first
    assert cache._cache.get_client(write=True) is first  # one server: one pool
    cache.set("greeting", "你好")
    assert cache.get("greeting") == "你好"
    assert cache.get_many(["greeting", "other"]) == {"greeting": "你好"}
    cache.delete("greeting")


def test_pages_and_the_api_answer_503_when_no_database_answers_at_all():
    # A production process whose DATABASE_URL points at a port nothing listens on.
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "c = Client(SERVER_NAME='localhost', raise_request_exception=False);"
        # Signing in needs the database (a bare GET of the login page no longer does: requests
        # are not wrapped in a transaction).
        "p = c.post('/accounts/login/', {'username': 'li', 'password': 'x'});"
        "a = c.get('/api/users/', HTTP_AUTHORIZATION='Token ' + 'a' * 40);"
        "print(json.dumps({'page': [p.status_code, p['Retry-After'], p.content.decode()],"
        " 'api': [a.status_code, a.json()]}))"
    )
    env = {
        **clean_environ(),
        "DJANGO_SETTINGS_MODULE": "zone_portal.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/zone_portal",
        "DEBUG": "0",
        "SECRET_KEY": "x7#kP2!vQ9@mZ4$wL8^nR3&tY6*bH1(cJ5)dF0_gS2+eA9-uI4=oK7",
        "SECURE_SSL_REDIRECT": "0",
        # No collectstatic in a test (a clean clone has none): plain static names.
        "STATIC_MANIFEST": "0",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    status, retry_after, page = answer["page"]
    assert (status, retry_after) == (503, "10")
    assert "数据库正在重启或维护" in page
    assert answer["api"][0] == 503
