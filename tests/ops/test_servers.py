"""Serving as production does, on several app servers: two gunicorn servers on two ports
against one database share one user's session, and neither lists the URL configuration."""

import http.cookiejar
import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import global_settings
from django.db import connection
from django.utils import timezone

from apps.accounts.roles import Role
from apps.services.models import Visit
from tests.accounts.factories import PASSWORD
from tests.enterprises.factories import EnterpriseFactory
from tests.services.factories import category
from tests.subprocess_env import clean_environ

BASE_DIR = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _production_env(**extra) -> dict:
    from django.conf import settings as portal_settings

    db = connection.settings_dict
    return {
        **clean_environ(),
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "DEBUG": "0",
        "SECRET_KEY": "x7#kP2!vQ9@mZ4$wL8^nR3&tY6*bH1(cJ5)dF0_gS2+eA9-uI4=oK7",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        # No collectstatic in a test: plain static names (production uses hashed ones).
        "STATIC_MANIFEST": "0",
        "REDIS_URL": portal_settings.REDIS_URL,
        "REDIS_KEY_PREFIX": f"zp-test-{uuid.uuid4().hex[:8]}",
        "WEB_CONCURRENCY": "2",
        **extra,
    }


@contextmanager
def gunicorn(env: dict, log: Path):
    port = _free_port()
    with log.open("w") as errors:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "zone_portal.wsgi"],
            cwd=BASE_DIR,
            env={**env, "HOST": "127.0.0.1", "PORT": str(port)},
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=5)
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(log.read_text()) from None
                    time.sleep(0.3)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)


class Browser:
    """One user's browser: one cookie jar for every server (cookies ignore the port)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def cookie(self, name: str) -> str:
        return next(cookie.value for cookie in self.jar if cookie.name == name)

    def call(self, method, url, *, form=None, body=None, headers=None):
        data = None
        headers = dict(headers or {})
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.django_db(transaction=True)
def test_one_session_works_across_two_app_servers_on_one_database(tmp_path, user_of, settings):
    officer = user_of(Role.SERVICE, username="li", full_name="李敏")
    # The servers know the production hashers only, not the tests' fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    officer.set_password(PASSWORD)
    officer.save(update_fields=["password"])
    enterprise = EnterpriseFactory()
    env = _production_env()
    browser = Browser()
    with gunicorn(env, tmp_path / "a.log") as first, gunicorn(env, tmp_path / "b.log") as second:
        # Log in on the first server.
        status, _headers, page = browser.call("GET", f"{first}/accounts/login/")
        assert status == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, headers, _ = browser.call(
            "POST",
            f"{first}/accounts/login/",
            form={"username": "li", "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        assert status == 302, _
        # Log a visit with a demand on the second, in the same session.
        status, headers, answer = browser.call(
            "POST",
            f"{second}/api/visits/",
            body={
                "enterprise": enterprise.pk,
                "visited_on": timezone.localdate().isoformat(),
                "method": "on_site",
                "staff": [officer.pk],
                "purpose": "两台服务器之间的走访",
                "findings": "生产正常",
                "demands": [{"category": category("procedure").pk, "description": "手续咨询"}],
            },
            headers={"X-CSRFToken": browser.cookie("csrftoken"), "Referer": f"{second}/"},
        )
        assert status == 201, answer
        visit_id = json.loads(answer)["id"]
        # Read it back on the first.
        status, headers, answer = browser.call("GET", f"{first}/api/visits/{visit_id}/")
        assert status == 200
        assert json.loads(answer)["purpose"] == "两台服务器之间的走访"
        assert headers["X-Request-ID"]
        status, _headers, page = browser.call("GET", f"{first}/")
        assert status == 200 and "李敏" in page
        # Production never lists the URL configuration on a 404.
        for server in (first, second):
            status, _headers, page = browser.call("GET", f"{server}/no-such-page/")
            assert status == 404
            assert "URLconf" not in page and "urlpatterns" not in page
            assert "页面不存在" in page or "404" in page
    visit = Visit.objects.get(pk=visit_id)
    assert visit.created_by == officer
    assert visit.demands.count() == 1


def test_uploaded_files_go_to_an_s3_store_when_configured():
    script = (
        "import django; django.setup();"
        "from django.core.files.storage import storages; s = storages['default'];"
        "print(type(s).__name__); print(s.url('visits/photo.jpg'))"
    )
    env = {
        **clean_environ(),
        "DJANGO_SETTINGS_MODULE": "zone_portal.settings",
        "S3_BUCKET": "zone-portal",
        "S3_ENDPOINT_URL": "http://127.0.0.1:8149",
        "S3_ACCESS_KEY": "portal",
        "S3_SECRET_KEY": "portal-secret",
        "S3_REGION": "us-east-1",
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
    backend, url = result.stdout.split()[-2:]
    assert backend == "S3Storage"
    assert url.startswith("http://127.0.0.1:8149/zone-portal/media/visits/photo.jpg?")
    assert "Signature" in url
