"""The demo registry reproduces the seed report's figures."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from apps.core.validators import validate_credit_code
from apps.enterprises import selectors
from apps.enterprises.models import Enterprise, MonthlyStatistic


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        call_command("load_reference_data", verbosity=0)
        from apps.accounts.roles import sync_roles

        sync_roles()


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


def test_the_latest_reported_period_is_november_2023():
    assert selectors.latest_reported_period() == (2023, 11)


def test_the_registry_counts_match_the_seed():
    summary = selectors.registry_summary()
    assert summary.enterprises > 600
    assert summary.four_above == 131
    assert summary.by_category["industry"] == 77
    assert summary.strategic_emerging == 10
    assert summary.qualification_count("high_tech") == 15
    assert summary.qualification_count("provincial_rd") == 8


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
    response = client.get("/enterprises/statistics/")
    content = response.content.decode()
    assert "截至2023年11月份，77家规上工业企业工业总产值49.86亿元" in content
    summary = response.context["summary"]
    assert (summary.four_above, summary.by_category["industry"], summary.strategic_emerging) == (
        131,
        77,
        10,
    )
    assert [count for _type, count in summary.qualifications[:2]] == [15, 8]
