"""Browser tests: Playwright (Python) driving Debian's chromium, headless, against live_server."""

import os
import shutil
import time
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself (creating users) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, live_server, username: str, password: str, attempts: int = 3) -> None:
    """Logs in through the login form, as `username` for certain. The fields are filled and
    the form submitted in one JavaScript task: Chromium fills a credential it saw earlier in the
    same context into the login form when the page has loaded, at a moment of its choosing, and
    once overwrote the second user's name with the first's between two Playwright steps (CI
    logged in as the wrong user). Even in one task it once did (CI, 2026-12-03: the form posted
    "liu" for "li", a name the context had seen): so the page's user menu is read after the
    login, and a login as anyone else is undone and tried again."""
    from apps.accounts.models import User

    expected = User.objects.get(username=username).get_full_name()
    for _attempt in range(attempts):
        page.goto(f"{live_server.url}/accounts/login/")
        page.wait_for_load_state("load")
        with page.expect_navigation():
            page.evaluate(
                """([username, password]) => {
                    const form = document.getElementById("id_username").form;
                    form.elements.username.value = username;
                    form.elements.password.value = password;
                    form.requestSubmit();
                }""",
                [username, password],
            )
        page.wait_for_url(f"{live_server.url}/")
        if page.inner_text("[data-testid=user-menu]").strip() == expected:
            return
        page.context.clear_cookies()
    raise AssertionError(f"the login form did not sign in {username} in {attempts} attempts")


def wait_until(page, expression: str, timeout: float = 15) -> None:
    """Polls a JavaScript expression until it is true. Playwright's wait_for_function builds its
    predicate with eval inside the page, which the Content-Security-Policy forbids;
    page.evaluate goes through the debugging protocol and is not subject to it."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(100)
