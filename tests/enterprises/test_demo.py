"""The demo registry reproduces the seed report's figures."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.core.validators import validate_credit_code
from apps.enterprises import selectors
from apps.enterprises.demo import SEED_DAY, last_complete_month
from apps.enterprises.models import Enterprise, MonthlyStatistic

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_november_2023_gives_the_seed_headline_sentence():
    statistics = selectors.period_statistics(year=2023, month=11)
    assert statistics.total.reporting == 77
    assert statistics.total.output == Decimal("498600")
    assert statistics.total.revenue == Decimal("504000")
    assert statistics.total.revenue_growth == Decimal("12.04")
    assert statistics.headline == (
        "截至2023年11月份，77家规上工业企业工业总产值49.86亿元；工业营业收入累计实现50.4亿元，同比增长12.04%"
    )


def test_the_latest_reported_period_is_the_last_complete_month_before_today():
    assert selectors.latest_reported_period() == last_complete_month(timezone.localdate())


def test_every_month_from_2022_to_the_last_complete_one_has_its_reports():
    last = last_complete_month(timezone.localdate())
    months = set(MonthlyStatistic.objects.values_list("year", "month").distinct())
    expected = {(y, m) for y in range(2022, last[0] + 1) for m in range(1, 13) if (y, m) <= last}
    assert months == expected


def test_the_registry_as_of_the_seeds_day_counts_the_seeds_figures():
    summary = selectors.registry_summary(on=SEED_DAY)
    assert summary.enterprises > 600
    assert summary.four_above == 131
    assert summary.by_category["industry"] == 77
    assert summary.strategic_emerging == 10
    assert summary.qualification_count("high_tech") == 15
    assert summary.qualification_count("provincial_rd") == 8


def test_todays_registry_has_grown_since_the_seeds_day():
    then = selectors.registry_summary(on=SEED_DAY)
    now = selectors.registry_summary()
    assert now.enterprises > then.enterprises
    assert now.four_above > then.four_above
    assert now.by_category["industry"] > then.by_category["industry"]
    assert now.qualification_count("high_tech") > then.qualification_count("high_tech")


def test_certificates_are_renewed_so_the_high_tech_count_never_collapses():
    day, today = SEED_DAY, timezone.localdate()
    while day <= today:
        count = selectors.registry_summary(on=day).qualification_count("high_tech")
        # 15 on the seed's day; two lapse, two more are certified each November.
        assert 13 <= count <= 15 + 2 * (day.year - SEED_DAY.year), day
        day += datetime.timedelta(days=30)
    # …and a couple of them fall due within 90 days of today (即将到期).
    assert selectors.expiring_qualification_count() >= 2


def test_every_year_since_the_seed_grows_plausibly_with_a_few_decliners():
    last = last_complete_month(timezone.localdate())
    for year in range(2024, last[0] + 1):
        month = 12 if year < last[0] else last[1]
        total = selectors.period_statistics(year=year, month=month).total
        assert Decimal("-5") < total.revenue_growth < Decimal("20"), year
        assert 3 <= len(selectors.decline_warning_enterprises(year=year, month=month)) <= 10


def test_a_handful_of_enterprises_show_a_decline_warning():
    declining = list(selectors.decline_warning_enterprises(year=2023, month=11))
    assert 5 <= len(declining) <= 8
    assert all(enterprise.output_growth < Decimal("-10") for enterprise in declining)


def test_the_named_enterprises_carry_their_facts():
    huaxi = Enterprise.objects.get(name__contains="花溪科技")
    assert huaxi.get_listing_exchange_display() == "北交所"
    assert (huaxi.listed_on.year, huaxi.listed_on.month) == (2023, 4)
    tianxin = Enterprise.objects.get(name__contains="天鑫新能源")
    assert tianxin.qualifications.filter(type__code="smart_workshop").exists()
    for name in ["猎金科技", "瀚之源", "航宏航空"]:
        enterprise = Enterprise.objects.get(name__contains=name)
        assert enterprise.qualifications.filter(type__code="city_engineering").exists()
    assert Enterprise.objects.filter(name__contains="澳美电气").exists()


def test_every_demo_credit_code_passes_the_validator():
    for code in Enterprise.objects.values_list("credit_code", flat=True):
        validate_credit_code(code)


def test_loading_the_demo_again_adds_nothing():
    before = (Enterprise.objects.count(), MonthlyStatistic.objects.count())
    call_command("load_demo", verbosity=0)
    assert (Enterprise.objects.count(), MonthlyStatistic.objects.count()) == before


def test_the_statistics_page_shows_the_seed_figures_to_the_leadership(client):
    from apps.accounts.models import User

    client.force_login(User.objects.get(username="leader"))
    response = client.get("/enterprises/statistics/?year=2023&month=11&on=2023-11-30")
    content = response.content.decode()
    assert "截至2023年11月份，77家规上工业企业工业总产值49.86亿元" in content
    summary = response.context["summary"]
    assert (summary.four_above, summary.by_category["industry"], summary.strategic_emerging) == (
        131,
        77,
        10,
    )
    assert [count for _type, count in summary.qualifications[:2]] == [15, 8]


def test_the_statistics_page_opens_on_the_last_complete_month_with_todays_registry(client):
    from apps.accounts.models import User

    client.force_login(User.objects.get(username="leader"))
    response = client.get("/enterprises/statistics/")
    year, month = last_complete_month(timezone.localdate())
    statistics = response.context["statistics"]
    assert (statistics.year, statistics.month) == (year, month)
    assert f"截至{year}年{month}月份" in response.content.decode()
    assert response.context["summary"].on == timezone.localdate()


@pytest.mark.parametrize(
    "url",
    ["/", "/enterprises/statistics/", "/enterprises/statistics/?year=2023&month=11"],
)
def test_every_figure_equals_the_list_it_links_to(client, url):
    from apps.accounts.models import User
    from tests.enterprises.figure_links import assert_figures_equal_their_lists

    client.force_login(User.objects.get(username="leader"))
    content = client.get(url).content.decode()
    assert "尚未更新" not in content
    assert_figures_equal_their_lists(client, content, at_least=7)


def test_the_seeds_figures_link_to_the_seeds_enterprises(client):
    from apps.accounts.models import User
    from tests.enterprises.figure_links import figure_links

    client.force_login(User.objects.get(username="leader"))
    content = client.get("/enterprises/statistics/?year=2023&month=11").content.decode()
    figures = dict(figure_links(content))
    assert figures["/enterprises/?reporting=2023-11"] == 77
    assert figures["/enterprises/?four_above=any&on=2023-11-30"] == 131
    assert figures["/enterprises/?four_above=industry&on=2023-11-30"] == 77
    assert figures["/enterprises/?in_zone=true&strategic=true&on=2023-11-30"] == 10


@pytest.mark.parametrize("username", ["service", "approval", "economy", "leader"])
def test_every_figure_on_the_home_page_of_each_role_equals_its_list(client, username):
    from apps.accounts.models import User
    from tests.enterprises.figure_links import assert_figures_equal_their_lists

    client.force_login(User.objects.get(username=username))
    content = client.get("/").content.decode()
    assert_figures_equal_their_lists(client, content, at_least=3)
