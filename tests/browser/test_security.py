"""The Content-Security-Policy forbids inline script: the pages still work under it."""

import pytest

from apps.accounts.roles import Role
from tests.accounts.factories import PASSWORD
from tests.browser.conftest import login
from tests.enterprises.factories import EnterpriseFactory, MonthlyStatisticFactory

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/",
    "/enterprises/",
    "/enterprises/statistics/",
    "/enterprises/chains/",
    "/services/visits/",
    "/services/demands/",
    "/staff/members/",
    "/staff/",
    "/staff/positions/",
    "/services/",
    "/staff/members/new/",
    "/accounts/tokens/",
    "/accounts/password/",
    "/api/enterprises/",
    "/admin/",
    "/admin/enterprises/enterprise/",
]


def _violations(page) -> list[str]:
    """Collects every CSP violation the page reports (console and the DOM event)."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI);"
        "});"
    )
    return found


def test_no_page_breaks_the_content_security_policy(live_server, page, user_of):
    enterprise = EnterpriseFactory()
    MonthlyStatisticFactory(enterprise=enterprise, year=2023, month=1)
    user_of(Role.ADMIN, username="zhou")
    violations = _violations(page)
    login(page, live_server, "zhou", PASSWORD)
    for path in [*PAGES, enterprise.get_absolute_url()]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
    assert violations == []


def test_the_language_switch_works_without_inline_script(live_server, page, user_of):
    user_of(Role.SERVICE, username="li", full_name="李敏")
    violations = _violations(page)
    login(page, live_server, "li", PASSWORD)
    with page.expect_navigation():
        page.select_option("#language-switch", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert violations == []


AT_END = "(e => e.scrollTop + e.clientHeight >= e.scrollHeight - 2)({})"


def _scroll_through(page, scroller: str, collect: str) -> set[str]:
    """Scrolls `scroller` (a JavaScript expression for the scrolling element) from top to bottom,
    half a screen at a time, and returns the union of what `collect` (an expression giving an
    array of strings) finds on the way. Swagger UI renders a long list only where it is on
    screen: what is in the DOM at any one moment is a window of the list."""
    seen: set[str] = set()
    page.evaluate(f"{scroller}.scrollTo(0, 0)")
    for _ in range(400):
        page.wait_for_timeout(100)
        seen.update(page.evaluate(collect))
        if page.evaluate(AT_END.format(scroller)):
            page.wait_for_timeout(300)  # the last items are measured and drawn; read once more
            seen.update(page.evaluate(collect))
            if page.evaluate(AT_END.format(scroller)):
                return seen
        page.evaluate(f"{scroller}.scrollBy(0, {scroller}.clientHeight / 2)")
    raise AssertionError(f"{scroller} never reached its end")


# Swagger UI draws a component that throws as "😱 Could not render …" (class "fallback").
FALLBACKS = "[...document.querySelectorAll('.fallback')].map(e => 'fallback:' + e.textContent)"


def test_swagger_ui_renders_under_the_policy(live_server, page, user_of):
    """Swagger UI draws every tag, every operation and every schema of the API's schema.

    Since Swagger UI 5.33 (drf-spectacular-sidecar 2026.10.1) a list of 150 or more tags plus
    operations, and a list of 100 or more schemas, is virtualised: only what is on screen is in
    the DOM. The projects API took our list to exactly 150, and the page seemed to stop after the
    first demands operation at this window's height; the schema was never at fault. So the test
    scrolls through both lists and collects what is drawn on the way."""
    user_of(Role.SERVICE, username="li")
    violations = _violations(page)
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    login(page, live_server, "li", PASSWORD)
    schema = page.request.get(f"{live_server.url}/api/schema/?format=json").json()
    operations = [
        operation
        for item in schema["paths"].values()
        for method, operation in item.items()
        if method in {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    ]
    # Swagger UI's id of an operation's block; our tags are path segments (a-z and "-").
    expected = {
        f"operations-{tag}-{operation['operationId']}"
        for operation in operations
        for tag in operation["tags"]
    } | {f"tag:{tag}" for operation in operations for tag in operation["tags"]}

    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock", timeout=30000)
    page.wait_for_selector(".models .model-container")
    drawn = _scroll_through(
        page,
        "document.scrollingElement",
        "[...document.querySelectorAll('.opblock')].map(e => e.id)"
        ".concat([...document.querySelectorAll('.opblock-tag')].map(e => 'tag:' + e.dataset.tag))"
        f".concat({FALLBACKS})",
    )
    # A virtualised schemas list scrolls in a box of its own; a short one with the page.
    models = _scroll_through(
        page,
        "(document.querySelector('.models-scroll') || document.scrollingElement)",
        "[...document.querySelectorAll('.models .model-container')].map(e => e.dataset.name)"
        f".concat({FALLBACKS})",
    )

    assert expected - drawn == set()
    assert set(schema["components"]["schemas"]) - models == set()
    assert [found for found in drawn | models if found.startswith("fallback:")] == []
    assert page_errors == []
    assert violations == []

    # The filter box finds an operation without scrolling (the browser's find cannot).
    page.evaluate("window.scrollTo(0, 0)")
    page.fill(".operation-filter-input", "tokens")
    page.wait_for_selector("#operations-tokens-tokens_list")
    assert page.locator(".opblock-tag").count() == 1
