import pytest

from apps.accounts.roles import Role
from tests.accounts.factories import PASSWORD
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_service_user_logs_in_and_sees_the_home_page_with_their_navigation(
    live_server, page, user_of
):
    user_of(Role.SERVICE, username="li", full_name="李敏")
    login(page, live_server, "li", PASSWORD)
    assert page.locator("h1").inner_text() == "李敏，您好"
    assert page.locator("[data-testid=roles]").inner_text().strip() == "企业服务"
    screenshot(page, "home-desktop")


def test_the_login_page_works_on_a_phone(live_server, phone_page, user_of):
    user_of(Role.LEADER, username="wang", full_name="王建国")
    phone_page.goto(f"{live_server.url}/accounts/login/")
    assert phone_page.locator("h1").inner_text() == "登录"
    # The form fits a 360 px screen without sideways scrolling.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone_page, "login-phone")
    login(phone_page, live_server, "wang", PASSWORD)
    phone_page.click(".navbar-toggler")
    assert phone_page.locator("[data-testid=user-menu]").is_visible()
