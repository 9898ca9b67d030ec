"""Serving as production does, on several app servers: two gunicorn servers on two ports
against one database and one shared MEDIA_ROOT share one user's session (a photo uploaded on
one is served by the other), and neither lists the URL configuration."""

import html
import http.cookiejar
import io
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
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from PIL import Image

from apps.accounts.roles import Role
from apps.projects.models import ProjectPhoto
from apps.services.models import Visit
from tests.accounts.factories import PASSWORD
from tests.enterprises.factories import EnterpriseFactory
from tests.projects.factories import ProjectFactory, ReportFactory
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

    def call(self, method, url, *, form=None, files=None, body=None, headers=None, raw=False):
        """One request; `files` ({name: (filename, bytes, type)}) posts `form` as multipart.
        The answer's body is text, or bytes with raw=True."""
        data = None
        headers = dict(headers or {})
        if files is not None:
            data, headers["Content-Type"] = _multipart(form or {}, files)
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                status, answer, content = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, answer, content = error.code, error.headers, error.read()
        return status, dict(answer), content if raw else content.decode()


def _multipart(form: dict, files: dict) -> tuple[bytes, str]:
    boundary = f"----zone-portal-{uuid.uuid4().hex}"
    parts = []
    for name, value in form.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + str(value).encode()
            + b"\r\n"
        )
    for name, (filename, content, content_type) in files.items():
        parts.append(
            (
                f"--{boundary}\r\n"
                f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _hidden_inputs(page: str) -> dict:
    """The form's hidden inputs (the CSRF token, the one-time submission key)."""
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    }


def _png(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.django_db(transaction=True)
def test_one_session_works_across_two_app_servers_on_one_database(tmp_path, user_of, settings):
    officer = user_of(Role.SERVICE, username="li", full_name="李敏")
    # Also the liaison of a project, who writes its monthly reports with their photos.
    officer.groups.add(Group.objects.get(name=Role.LIAISON))
    # The servers know the production hashers only, not the tests' fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    officer.set_password(PASSWORD)
    officer.save(update_fields=["password"])
    enterprise = EnterpriseFactory()
    report = ReportFactory(project=ProjectFactory(liaison=officer), progress="主体施工")
    # One MEDIA_ROOT for both servers (a shared mount in production) and for this process.
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    env = _production_env(MEDIA_ROOT=str(media), S3_BUCKET="")
    browser = Browser()
    png = _png()
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
        # Upload a photo to the report on the second, through the report's form.
        status, _headers, page = browser.call("GET", f"{second}/projects/reports/{report.pk}/edit/")
        assert status == 200, page[:2000]
        status, headers, page = browser.call(
            "POST",
            f"{second}/projects/reports/{report.pk}/edit/",
            form={
                **_hidden_inputs(page),
                "year": report.year,
                "month": report.month,
                "invested": report.invested,
                "progress": report.progress,
                "photo_caption": "两台服务器之间的照片",
            },
            files={"photo": ("site.png", png, "image/png")},
        )
        assert status == 302, page[:2000]
        assert headers["Location"].endswith(f"/projects/reports/{report.pk}/")
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
        # The photo is on the report's page on the first, and the first serves its bytes (the
        # permission-checked view: media files have no public URL) from the shared storage.
        photo = ProjectPhoto.objects.get(report=report)
        status, _headers, page = browser.call("GET", f"{first}/projects/reports/{report.pk}/")
        assert status == 200
        assert f'href="/projects/photos/{photo.pk}/"' in page
        assert 'alt="两台服务器之间的照片"' in page
        status, headers, served = browser.call(
            "GET", f"{first}/projects/photos/{photo.pk}/", raw=True
        )
        assert status == 200 and headers["Content-Type"] == "image/jpeg"
        with default_storage.open(photo.image.name, "rb") as stored:
            assert served == stored.read()
        assert (media / photo.image.name).is_file()
        # Stored re-encoded as JPEG (nothing but pixels reaches the storage), same picture.
        with Image.open(io.BytesIO(served)) as image:
            assert (image.format, image.size) == ("JPEG", (64, 48))
        status, _headers, thumbnail = browser.call(
            "GET", f"{first}/projects/photos/{photo.pk}/thumbnail/", raw=True
        )
        assert status == 200
        with default_storage.open(photo.thumbnail.name, "rb") as stored:
            assert thumbnail == stored.read()
        # Production never lists the URL configuration on a 404.
        for server in (first, second):
            status, _headers, page = browser.call("GET", f"{server}/no-such-page/")
            assert status == 404
            assert "URLconf" not in page and "urlpatterns" not in page
            assert "页面不存在" in page or "404" in page
    visit = Visit.objects.get(pk=visit_id)
    assert visit.created_by == officer
    assert visit.demands.count() == 1
    assert photo.uploaded_by == officer and photo.caption == "两台服务器之间的照片"


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
