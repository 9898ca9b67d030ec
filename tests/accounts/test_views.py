import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from tests.conftest import FRAME_QUERIES
from tests.enterprises.factories import MonthlyStatisticFactory, StatisticsMembershipFactory

pytestmark = pytest.mark.django_db


def test_the_home_page_greets_the_user_and_shows_their_role(client, user_of):
    client.force_login(user_of(Role.HR, username="sun", full_name="孙丽"))
    html = client.get(reverse("accounts:home")).content.decode()
    assert "孙丽，您好" in html
    assert "人事管理员" in html


def test_pages_for_a_signed_in_user_are_not_stored_by_caches(client, user_of):
    client.force_login(user_of(Role.HR, username="sun"))
    response = client.get(reverse("accounts:home"))
    assert "no-store" in response["Cache-Control"]


def test_unknown_pages_answer_a_chinese_404_without_internals(client, user_of, settings):
    settings.DEBUG = False
    client.force_login(user_of(Role.SERVICE, username="li"))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html
    assert "Traceback" not in html and "urlpatterns" not in html


def test_english_is_available_through_the_language_switch(client, user_of):
    client.force_login(user_of(Role.SERVICE, username="li"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("accounts:home")).content.decode()
    assert "Sign out" in html


def test_the_home_page_takes_a_fixed_number_of_queries(client, user_of, django_assert_num_queries):
    for year in (2022, 2023):
        membership = StatisticsMembershipFactory()
        MonthlyStatisticFactory(enterprise=membership.enterprise, year=year, month=11)
    client.force_login(user_of(Role.SERVICE, username="li"))
    client.get(reverse("accounts:home"))
    # the frame, then the account panel: the user's roles and department; the economy panel:
    # the user's permissions (2), the latest reported month, the certificates falling due (1)
    # — the period's figures and the registry counts come from the cache the first request
    # filled (apps.core.figures.cached; cold they cost 3 + 3); the services panel: the demand
    # figures, this week's visits, the enterprises the user is the 包联干部 of
    with django_assert_num_queries(FRAME_QUERIES + 2 + 2 + 1 + 1 + 3):
        client.get(reverse("accounts:home"))
    from apps.core import figures

    figures.invalidate("enterprises")  # a write to the registry's data: cold again
    with django_assert_num_queries(FRAME_QUERIES + 2 + 2 + 1 + 3 + 3 + 1 + 3):
        client.get(reverse("accounts:home"))
