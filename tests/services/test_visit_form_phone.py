"""The visit form on a phone, as the server renders it: a demand row is removed by a 删除
button (no 删除 checkbox), the offline message is on the form, the login page can say that a
draft is kept, and the coverage page reads as paginated cards."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.services.models import Demand, Visit
from apps.services.views import COVERAGE_PAGE_SIZE
from tests.enterprises.factories import EnterpriseFactory
from tests.services.factories import VisitFactory, category
from tests.services.test_views import visit_post

pytestmark = pytest.mark.django_db


def test_a_demand_row_has_a_remove_button_and_no_delete_checkbox(client, actors):
    client.force_login(actors["service"])
    data = visit_post("不存在的企业", actors["service"], [{"category": "", "description": "x"}])
    html = client.post(reverse("services:visit_create"), data).content.decode()
    assert "data-remove-demand" in html
    assert "DELETE" not in html


def test_the_rows_left_after_a_removal_are_saved_and_a_stale_delete_flag_is_ignored(client, actors):
    """The page renumbers the rows after one is taken out: what it sends is rows 0..n-1, each
    of them wanted (a 删除 flag from an old page no longer hides a row)."""
    enterprise = EnterpriseFactory()
    client.force_login(actors["service"])
    data = visit_post(
        enterprise,
        actors["service"],
        [
            {"category": category("procedure").pk, "description": "第一条", "priority": "normal"},
            {"category": category("labour").pk, "description": "第三条", "priority": "normal"},
        ],
        **{"demands-1-DELETE": "on"},
    )
    response = client.post(reverse("services:visit_create"), data)
    assert response.status_code == 302
    assert sorted(Demand.objects.values_list("description", flat=True)) == ["第一条", "第三条"]


def test_the_visit_form_carries_the_offline_message_and_the_login_address(client, actors):
    client.force_login(actors["service"])
    html = client.get(reverse("services:visit_create")).content.decode()
    assert "网络不可用，内容已保存在本机，恢复网络后再提交" in html
    assert f'data-login-url="{reverse("accounts:login")}"' in html


def test_a_visit_posted_after_the_session_expired_leads_to_the_login_page_and_back(client):
    """What static/js/services.js relies on: the expired POST is redirected to the login page
    with the form as `next`, and nothing is written."""
    url = reverse("services:visit_create")
    response = client.post(url, {"enterprise": "x"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"
    html = client.get(response["Location"]).content.decode()
    assert "登录已过期，填写的内容已保存在本机" in html and "data-draft-pending" in html
    assert not Visit.objects.exists()


def test_the_coverage_page_shows_cards_a_page_at_a_time(client, actors):
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    for index in range(COVERAGE_PAGE_SIZE + 3):
        VisitFactory(
            enterprise=EnterpriseFactory(name=f"久未走访企业{index:02d}"),
            created_by=actors["service"],
            visited_on=long_ago,
        )
    client.force_login(actors["service"])
    url = reverse("services:coverage")
    first = client.get(url).content.decode()
    cards = first.split('data-testid="not-visited"')[1].split('data-testid="coverage-table"')[0]
    assert cards.count("data-id=") == COVERAGE_PAGE_SIZE
    assert f"（{COVERAGE_PAGE_SIZE + 3} 家）" in first
    assert "page=2" in first
    second = client.get(url, {"page": 2}).content.decode()
    cards = second.split('data-testid="not-visited"')[1].split('data-testid="coverage-table"')[0]
    assert cards.count("data-id=") == 3
    # A page beyond the last shows the last, never an error.
    assert client.get(url, {"page": 99}).status_code == 200
