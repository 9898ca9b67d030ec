"""At phone size: a liaison writes the month's report with a photo and submits it, 经济发展局
approves it, and the ledger shows the new figures."""

import io

import pytest
from PIL import Image

from apps.accounts.roles import Role
from apps.projects import selectors
from tests.accounts.factories import PASSWORD
from tests.browser.conftest import PHONE, screenshot
from tests.browser.conftest import login as sign_in
from tests.projects.factories import PlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_liaison_reports_on_a_phone_economy_approves_and_the_ledger_shows_it(
    live_server, browser, user_of, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    period = selectors.default_period()
    liaison = user_of(Role.LIAISON, username="zhao", full_name="赵磊")
    user_of(Role.ECONOMY, username="zhang", full_name="张伟")
    project = ProjectFactory(name="化工园区碳综合利用项目", liaison=liaison)
    PlanFactory(project=project, year=period.year, planned=1200)
    photo = tmp_path / "site.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (120, 160, 200)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())

    phone = browser.new_context(
        locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = phone.new_page()
    page.set_default_timeout(15000)
    sign_in(page, live_server, "zhao", PASSWORD)
    page.goto(f"{live_server.url}{project.get_absolute_url()}")
    page.locator("[data-testid=write-report]").click()
    page.wait_for_selector("[data-testid=report-form]")
    assert page.locator("#id_year").input_value() == str(period.year)
    page.fill("#id_month", str(period.month))
    page.fill("#id_invested", "150.5")
    page.fill("#id_progress", "主体结构施工，完成约60%")
    page.set_input_files("#id_photo", str(photo))
    screenshot(page, "projects-report-form-phone-360")
    page.locator("[data-testid=report-form] button[type=submit]").click()
    page.wait_for_url("**/projects/reports/*/")
    assert page.locator("[data-testid=photos] img").count() == 1
    page.locator("[data-action=submit]").click()
    page.locator("#action-submit button[type=submit]").click()
    page.wait_for_selector("[data-status=submitted]")
    report_url = page.url
    phone.close()

    desk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    page.set_default_timeout(15000)
    sign_in(page, live_server, "zhang", PASSWORD)
    page.goto(report_url)
    page.locator("[data-action=approve]").click()
    page.locator("#action-approve button[type=submit]").click()
    page.wait_for_selector("[data-status=approved]")
    page.goto(f"{live_server.url}/projects/?month={period.code}")
    row = page.locator("tr", has_text="化工园区碳综合利用项目")
    assert "150.50" in row.inner_text()
    screenshot(page, "projects-ledger-desktop")
    desk.close()
