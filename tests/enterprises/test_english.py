"""In English the economy figures read naturally: translated labels, units in CNY."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from tests.enterprises.factories import (
    MonthlyStatisticFactory,
    QualificationFactory,
    StatisticsMembershipFactory,
    qualification_type,
)

pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parents[2] / "locale/en/LC_MESSAGES/django.po"


@pytest.fixture
def english_leader(client, user_of):
    client.force_login(user_of(Role.LEADER))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def test_the_home_figures_are_labelled_in_english_with_cny_units(english_leader):
    member = StatisticsMembershipFactory(entered_on=date(2020, 1, 1))
    MonthlyStatisticFactory(
        enterprise=member.enterprise, year=2023, month=11, output_value=Decimal("498600")
    )
    QualificationFactory(enterprise=member.enterprise, type=qualification_type("high_tech"))
    html = english_leader.get("/").content.decode()
    for label in ["Resident enterprises", "High-tech enterprises", "Provincial R&amp;D centres"]:
        assert label in html
    assert "CNY 49.86 hundred million" in html
    for chinese in ["高新技术企业", "省级研发中心", "亿元"]:
        assert chinese not in html


def test_no_english_unit_reads_as_a_shorthand():
    catalogue = CATALOGUE.read_text()
    assert "100m yuan" not in catalogue
    assert "10k yuan" not in catalogue
