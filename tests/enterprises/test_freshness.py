"""The statistics page and the home box open on the latest month with reports, say when that
month is out of date, and round the headline and the table the same way."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.enterprises import selectors
from tests.enterprises.factories import (
    EnterpriseFactory,
    MonthlyStatisticFactory,
    StatisticsMembershipFactory,
)

pytestmark = pytest.mark.django_db

STATISTICS = reverse("enterprises:statistics")


def _months_ago(months: int) -> tuple[int, int]:
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - months
    return index // 12, index % 12 + 1


def _report(year, month, output=Decimal("1000")):
    member = StatisticsMembershipFactory(entered_on=date(2000, 1, 1))
    return MonthlyStatisticFactory(
        enterprise=member.enterprise, year=year, month=month, output_value=output
    )


def test_statistics_that_stop_months_ago_say_so_on_the_page_and_the_home_box(client, user_of):
    _report(2023, 11)
    client.force_login(user_of(Role.ECONOMY))
    page = client.get(STATISTICS).content.decode()
    assert "数据截至2023年11月，尚未更新" in page
    assert "截至2023年11月份" in page  # …and it opens on that month
    assert "数据截至2023年11月，尚未更新" in client.get("/").content.decode()


def test_last_months_statistics_are_up_to_date(client, user_of):
    year, month = _months_ago(1)
    _report(year, month)
    client.force_login(user_of(Role.ECONOMY))
    response = client.get(STATISTICS)
    assert (response.context["statistics"].year, response.context["statistics"].month) == (
        year,
        month,
    )
    assert "尚未更新" not in response.content.decode()
    assert "尚未更新" not in client.get("/").content.decode()


def test_an_earlier_month_shows_the_registry_of_its_last_day_and_the_latest_today(client, user_of):
    _report(*_months_ago(1))
    # A member from 2020 to mid-2023: counted at the end of May 2023, not today.
    StatisticsMembershipFactory(entered_on=date(2020, 1, 1), exited_on=date(2023, 6, 1))
    client.force_login(user_of(Role.ECONOMY))
    earlier = client.get(STATISTICS, {"year": 2023, "month": 5})
    assert earlier.context["summary"].on == date(2023, 5, 31)
    assert earlier.context["summary"].four_above == 2
    latest = client.get(STATISTICS)
    assert latest.context["summary"].on == timezone.localdate()
    assert latest.context["summary"].four_above == 1
    chosen = client.get(STATISTICS, {"year": 2023, "month": 5, "on": "2023-06-01"})
    assert chosen.context["summary"].four_above == 1


def test_the_headline_and_the_chain_table_total_round_the_same_sum_once(client, user_of):
    # Two chains of 24.74495 亿元 each: rounding each row then adding gives 49.48, rounding
    # the sum gives 49.49; the total row and the headline both show 49.49.
    for _chain in range(2):
        _report(2023, 11, output=Decimal("247449.5"))
    statistics = selectors.period_statistics(year=2023, month=11)
    assert "工业总产值49.49亿元" in statistics.headline
    client.force_login(user_of(Role.ECONOMY))
    page = client.get(STATISTICS, {"year": 2023, "month": 11}).content.decode()
    footer = page[page.index("<tfoot") : page.index("</tfoot>")]
    assert "49.49" in footer
    assert "49.48" not in page


def test_the_home_box_of_an_empty_registry_has_no_stale_notice(client, user_of):
    EnterpriseFactory()
    client.force_login(user_of(Role.ECONOMY))
    assert "尚未更新" not in client.get("/").content.decode()


def test_the_in_zone_figure_leaves_out_moved_out_firms_and_its_list_does_too(client, user_of):
    from apps.enterprises.models import Enterprise
    from tests.enterprises.figure_links import assert_figures_equal_their_lists, figure_links

    EnterpriseFactory.create_batch(3)
    EnterpriseFactory(status=Enterprise.Status.MOVED_OUT)
    EnterpriseFactory(settled_on=timezone.localdate() + timedelta(days=30))  # not yet here
    _report(*_months_ago(1))
    client.force_login(user_of(Role.LEADER))
    home = client.get("/").content.decode()
    in_zone_url, in_zone = figure_links(home)[1]  # after the headline's reporting list
    assert in_zone == 4
    assert "in_zone=true" in in_zone_url
    assert client.get(reverse("enterprises:enterprise_list")).context["paginator"].count == 6
    assert_figures_equal_their_lists(client, home, at_least=8)
    page = client.get(STATISTICS).content.decode()
    assert_figures_equal_their_lists(client, page, at_least=9)


@pytest.mark.parametrize("month", ["0000-01", "2023-13", "2023-1", "abc", "9999-12"])
def test_a_malformed_reporting_month_is_refused_not_a_500(client, user_of, month):
    client.force_login(user_of(Role.ECONOMY))
    assert (
        client.get(reverse("enterprises:enterprise_list"), {"reporting": month}).status_code == 200
    )
    assert client.get("/api/enterprises/", {"reporting": month}).status_code == 400


def test_the_statistics_api_takes_the_registry_on_the_same_day_as_the_page(client, user_of):
    _report(*_months_ago(1))
    StatisticsMembershipFactory(entered_on=date(2020, 1, 1), exited_on=date(2023, 6, 1))
    client.force_login(user_of(Role.ECONOMY))
    url = reverse("api:enterprise-statistics")
    assert client.get(url, {"year": 2023, "month": 5}).json()["registry"]["four_above"] == 2
    assert client.get(url).json()["registry"]["four_above"] == 1
