"""The home page's 驾驶舱 box reads the dashboard's rows: the same numbers, the same links."""

import re

import pytest
from django.core.cache import cache

from apps.accounts.roles import Role
from tests.dashboard.test_dashboard import _member

pytestmark = pytest.mark.django_db


def _values(html: str) -> dict[str, str]:
    """{figure code: the number shown} of a page's figure links."""
    pattern = r'data-code="([a-z_]+)".*?data-figure-value>([^<]+)<'
    return dict(re.findall(pattern, html, flags=re.S))


def test_the_home_box_shows_the_dashboards_numbers_and_links(client, role_users):
    _member("4986")
    client.force_login(role_users["领导"])
    home = client.get("/").content.decode()
    dashboard = client.get("/dashboard/").content.decode()
    shown = _values(home)
    assert shown["industry_output_ytd"] == _values(dashboard)["industry_output_ytd"]
    assert set(shown) <= set(_values(dashboard))
    assert 'data-testid="dashboard-panel"' in home
    assert 'href="/enterprises/?reporting=2023-11"' in home


def test_who_may_not_open_the_dashboard_gets_no_box(client, user_of):
    client.force_login(user_of(Role.SERVICE, username="li"))
    assert 'data-testid="dashboard-panel"' not in client.get("/").content.decode()


def test_the_box_costs_no_query_once_the_figures_are_cached(
    client, role_users, django_assert_max_num_queries
):
    _member("100")
    client.force_login(role_users["领导"])
    cache.clear()
    client.get("/dashboard/")  # computes and caches the latest month's figures
    from apps.dashboard import home

    class Request:
        user = role_users["领导"]

    # Warm: the user's permissions (2), the latest reported month, the targets of its year.
    with django_assert_max_num_queries(4):
        panels = home.panels(Request())
    assert panels and panels[0].context["sections"]
