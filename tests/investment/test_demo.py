"""The demo reproduces the seed's 招商 figures for 2023 and goes on to today, on the pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.investment.models import Activity, Project, ProjectEvent

pytestmark = pytest.mark.django_db


def test_2023_has_over_a_hundred_activities_about_seventy_receptions(demo, client):
    of_2023 = Activity.objects.filter(starts_on__year=2023)
    assert of_2023.count() >= 100
    assert 65 <= of_2023.filter(kind="reception").count() <= 75
    client.force_login(User.objects.get(username="investment"))
    body = client.get(reverse("investment:activity_list") + "?year=2023").content.decode()
    assert f'data-figure="total">{of_2023.count()}<' in body


def test_2023_has_twenty_outbound_trips_to_ten_or_more_provinces(demo):
    trips = Activity.objects.filter(starts_on__year=2023, kind="outbound")
    assert trips.count() >= 20
    provinces = set(trips.values_list("province", flat=True))
    assert {"北京", "上海", "天津", "广东", "江苏", "浙江", "四川", "安徽"} <= provinces
    assert len(provinces) >= 10


def test_a_resident_team_worked_in_2023(demo):
    assert Activity.objects.filter(starts_on__year=2023, kind="resident").exists()


def test_ten_or_more_projects_reached_inspection_in_2023(demo, client):
    inspected = ProjectEvent.objects.filter(to_status="inspecting", at__year=2023)
    assert inspected.values("project").distinct().count() >= 10
    client.force_login(User.objects.get(username="leader"))
    assert client.get(reverse("investment:project_list") + "?status=inspecting").status_code == 200


def test_signed_landed_and_lost_projects(demo):
    signed_2023 = Project.objects.filter(signed_on__year=2023)
    assert signed_2023.count() >= 5
    assert signed_2023.filter(enterprise__isnull=False).count() >= 3
    lost = Project.objects.filter(status="lost")
    assert lost.count() >= 3 and not lost.filter(loss_reason__isnull=True).exists()


def test_activity_continues_to_the_last_month(demo):
    recent = timezone.localdate() - datetime.timedelta(days=40)
    assert Activity.objects.filter(starts_on__gte=recent).exists()


def test_the_indicators_page_shows_2023_signings(demo, client):
    client.force_login(User.objects.get(username="leader"))
    body = client.get(reverse("investment:indicators") + "?year=2023").content.decode()
    count = Project.objects.filter(signed_on__year=2023).count()
    assert f'data-figure="signed_count">{count}<' in body


def test_the_ranking_shows_each_team_against_its_demo_target(demo, client):
    from apps.investment import selectors
    from apps.investment.models import AnnualTarget

    year = timezone.localdate().year
    assert AnnualTarget.objects.filter(year=year).count() == 2
    rows = selectors.team_ranking(year=2023, month=12)
    local = next(row for row in rows if row["team"].name == "招商一组")
    assert (
        local["signings"]
        == Project.objects.filter(signed_on__year=2023, team__name="招商一组").count()
    )
    client.force_login(User.objects.get(username="investment"))
    body = client.get(reverse("investment:ranking") + "?year=2023&month=12").content.decode()
    assert f'data-score="{local["score"]}"' in body


def test_the_team_leader_sees_the_demo_leads_past_their_clocks(demo, client):
    from apps.investment import selectors
    from apps.investment.models import Lead

    overdue = Lead.objects.filter(selectors.clock_overdue_q(), team__name="招商一组")
    assert {"新能源电池回收项目", "精密铸件扩产项目"} <= set(
        overdue.values_list("title", flat=True)
    )
    client.force_login(User.objects.get(username="investment"))
    assert "新能源电池回收项目" in client.get("/").content.decode()


def test_todays_pipeline_is_mostly_within_its_stages_time_limits(demo):
    """The projects of 2023 and after moved on to today: few are red for time in stage, and
    projects were signed in every year since 2023."""
    from apps.investment import selectors

    active = Project.objects.exclude(status__in=["lost", "terminated", "capacity"])
    red = Project.objects.filter(selectors.red_q())
    assert active.count() >= 10
    assert 1 <= red.count() <= active.count() // 5
    # A signing every six months or so: every year up to that of 200 days ago has some.
    last = (timezone.localdate() - datetime.timedelta(days=200)).year
    for year in range(2023, last + 1):
        assert Project.objects.filter(signed_on__year=year).exists(), year
