import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from tests.enterprises.factories import MonthlyStatisticFactory, StatisticsMembershipFactory

pytestmark = pytest.mark.django_db


def _reports():
    membership = StatisticsMembershipFactory()
    for year, revenue in ((2022, "1000"), (2023, "1100")):
        MonthlyStatisticFactory(
            enterprise=membership.enterprise, year=year, month=11, revenue=revenue
        )


def test_the_leadership_home_page_quotes_the_latest_headline(client, user_of):
    _reports()
    client.force_login(user_of(Role.LEADER, username="wang"))
    html = client.get(reverse("accounts:home")).content.decode()
    assert "经济运行" in html
    assert "截至2023年11月份，1家规上工业企业" in html
    assert "同比增长10.00%" in html
    assert 'data-testid="registry-counts"' in html


def test_the_home_page_says_so_when_there_are_no_reports_yet(client, user_of):
    client.force_login(user_of(Role.ECONOMY, username="zhang"))
    html = client.get(reverse("accounts:home")).content.decode()
    assert "尚无统计月报" in html


def test_roles_without_the_monthly_figures_get_no_economy_box(client, user_of):
    _reports()
    client.force_login(user_of(Role.INVESTMENT, username="chen"))
    html = client.get(reverse("accounts:home")).content.decode()
    assert "经济运行" not in html
    assert "截至2023年" not in html
