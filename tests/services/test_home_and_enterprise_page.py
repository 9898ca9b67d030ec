import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.enterprises import hooks
from tests.enterprises.factories import EnterpriseFactory
from tests.services.factories import (
    ApplicationFactory,
    DemandFactory,
    LoanIntentFactory,
    VisitFactory,
    category,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_the_home_panel_shows_my_departments_new_and_overdue_demands(client, actors):
    DemandFactory(category=category("procedure"))
    DemandFactory(
        category=category("procedure"),
        raised_on=TODAY - datetime.timedelta(days=30),
        deadline=TODAY - datetime.timedelta(days=1),
    )
    client.force_login(actors["approval"])
    html = client.get(reverse("accounts:home")).content.decode()
    assert 'data-figure="new">2<' in html
    assert 'data-figure="overdue">1<' in html
    assert "升级督办" not in html


def test_the_leader_sees_escalated_demands_on_the_home_page(client, actors):
    DemandFactory(
        raised_on=TODAY - datetime.timedelta(days=40),
        deadline=TODAY - datetime.timedelta(days=20),
    )
    client.force_login(actors["leader"])
    html = client.get(reverse("accounts:home")).content.decode()
    assert "升级督办诉求 1 件" in html


def test_a_service_officer_sees_this_weeks_visits_against_the_target(client, actors):
    VisitFactory(created_by=actors["service"], visited_on=TODAY)
    client.force_login(actors["service"])
    html = client.get(reverse("accounts:home")).content.decode()
    assert "本周我已走访 1 次，目标 2 次" in html


def test_the_home_panel_takes_two_queries(actors, rf, django_assert_num_queries):
    from apps.services.home import panels

    DemandFactory()
    VisitFactory(created_by=actors["service"], visited_on=TODAY)
    request = rf.get("/")
    request.user = actors["service"]
    panels(request)  # the user's permissions and roles are read once per request
    # the demand figures (one aggregate), this week's visits, the enterprises I am the
    # 包联干部 of (one aggregate; none here, so no decline list)
    with django_assert_num_queries(3):
        panels(request)


def test_the_home_panel_lists_my_declining_enterprises_not_visited(client, actors):
    from tests.enterprises.factories import MonthlyStatisticFactory, StatisticsMembershipFactory

    officer = actors["service"]
    falling = EnterpriseFactory(name="下滑企业", responsible_staff=officer)
    visited = EnterpriseFactory(name="近期走访企业", responsible_staff=officer)
    EnterpriseFactory(name="别人包联的企业")
    StatisticsMembershipFactory(enterprise=falling)
    MonthlyStatisticFactory(enterprise=falling, year=2022, month=10, output_value=1000)
    MonthlyStatisticFactory(enterprise=falling, year=2023, month=10, output_value=500)
    VisitFactory(enterprise=visited, created_by=officer, visited_on=TODAY)
    client.force_login(officer)
    html = client.get(reverse("accounts:home")).content.decode()
    assert "我包联 2 家企业，其中 1 家超过 90 天未走访" in html
    assert f"?enterprise={falling.pk}" in html and "下滑企业" in html
    coverage = client.get(reverse("services:coverage"), {"mine": "1"}).content.decode()
    assert "下滑企业" in coverage and "别人包联的企业" not in coverage


def test_the_enterprise_timeline_shows_visits_and_demands(actors, rf):
    enterprise = EnterpriseFactory()
    visit = VisitFactory(enterprise=enterprise, purpose="宣讲政策", created_by=actors["service"])
    DemandFactory(enterprise=enterprise, description="用电增容", category=category("utilities"))
    entries = hooks.timeline_for(enterprise, actors["leader"])
    assert {entry.kind for entry in entries} == {"走访", "诉求"}
    assert any("宣讲政策" in entry.title for entry in entries)
    assert any(entry.url == reverse("services:visit_detail", args=[visit.pk]) for entry in entries)
    # Someone without access to service records sees none of them.
    assert hooks.timeline_for(enterprise, actors["investment"]) == []


def test_the_enterprise_timeline_takes_two_queries_whatever_the_history(
    actors, django_assert_num_queries
):
    enterprise = EnterpriseFactory()
    for _ in range(5):
        VisitFactory(enterprise=enterprise, created_by=actors["service"])
        DemandFactory(enterprise=enterprise)
    user = actors["admin"]
    from apps.services.enterprise_page import timeline

    timeline(enterprise, user)
    # visits, their staff, demands
    with django_assert_num_queries(3):
        timeline(enterprise, user)


def test_the_enterprise_page_section_lists_loans_and_applications(actors, rf):
    enterprise = EnterpriseFactory()
    LoanIntentFactory(enterprise=enterprise, amount=1500)
    ApplicationFactory(enterprise=enterprise)
    request = rf.get("/")
    request.user = actors["economy"]
    (panel,) = [
        p for p in hooks.sections_for(enterprise, request.user) if p.title == "融资与政策申报"
    ]
    assert panel.context["loan_amount"] == 1500
    assert len(panel.context["applications"]) == 1
    request.user = actors["approval"]
    assert [
        p for p in hooks.sections_for(enterprise, request.user) if p.title == "融资与政策申报"
    ] == []
