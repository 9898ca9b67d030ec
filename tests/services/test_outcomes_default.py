"""The outcomes page opens on the year of the newest demand, and says when that is old."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from tests.services.factories import DemandFactory

pytestmark = pytest.mark.django_db

OUTCOMES = reverse("services:outcomes")


def test_outcomes_open_on_the_year_of_the_newest_demand_and_say_it_is_old(client, user_of):
    DemandFactory(raised_on=datetime.date(2023, 6, 1))
    DemandFactory(raised_on=datetime.date(2023, 9, 1))
    client.force_login(user_of(Role.LEADER))
    response = client.get(OUTCOMES)
    figures = response.context["figures"]
    assert (figures.start, figures.end) == (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    assert figures.raised == 2
    assert "数据截至2023年9月1日，尚未更新" in response.content.decode()


def test_outcomes_open_on_this_year_once_a_demand_is_raised_this_year(client, user_of):
    today = timezone.localdate()
    DemandFactory(raised_on=today)
    client.force_login(user_of(Role.LEADER))
    response = client.get(OUTCOMES)
    figures = response.context["figures"]
    assert (figures.start, figures.end) == (today.replace(month=1, day=1), today)
    assert "尚未更新" not in response.content.decode()


def test_a_chosen_period_is_kept(client, user_of):
    DemandFactory(raised_on=datetime.date(2023, 6, 1))
    client.force_login(user_of(Role.LEADER))
    figures = client.get(OUTCOMES, {"start": "2022-01-01", "end": "2022-12-31"}).context["figures"]
    assert (figures.start, figures.raised) == (datetime.date(2022, 1, 1), 0)
