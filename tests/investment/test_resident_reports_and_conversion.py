"""Resident teams' monthly reports through their workflow (report, return with a reason,
resubmit, accept; each refused to the wrong person), and per-activity conversion."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.errors import NotAllowed, Refused
from apps.investment import selectors, services
from apps.investment.models import FundsArrival, Project, ResidentReport, Team
from tests.investment.factories import ActivityFactory, LeadFactory, ProjectFactory, TeamFactory

pytestmark = pytest.mark.django_db
JANUARY = datetime.date(2026, 1, 1)


@pytest.fixture
def resident(outsider):
    return TeamFactory(name="驻深圳小分队", kind=Team.Kind.RESIDENT, city="深圳", leader=outsider)


def _report(by, team, **fields):
    values = {"people": 2, "days_on_site": 20, "visits": 15, "destinations": "南山、宝安"}
    values.update(fields)
    return services.resident_report_create(by=by, team=team, month=JANUARY, **values)


def test_a_member_reports_and_a_group_leader_returns_then_accepts(
    outsider, officer, team, resident
):
    report = _report(outsider, resident)
    assert report.status == ResidentReport.Status.SUBMITTED
    flow = services.RESIDENT_REPORT_WORKFLOW
    # The team's own leader does not review its report; the 招商组 leader does.
    with pytest.raises(NotAllowed):
        flow.perform(report, "accept", by=outsider, comment="")
    with pytest.raises(Refused):
        flow.perform(report, "return", by=officer, reason=" ")
    report = flow.perform(report, "return", by=officer, reason="走访去向不全")
    with pytest.raises(NotAllowed):
        flow.perform(report, "resubmit", by=officer, people=2, days_on_site=20, visits=15)
    with pytest.raises(Refused):
        flow.perform(report, "resubmit", by=outsider, people=2, days_on_site=32, visits=15)
    report = flow.perform(
        report, "resubmit", by=outsider, people=3, days_on_site=22, visits=18, destinations="南山"
    )
    report = flow.perform(report, "accept", by=officer, comment="")
    report.refresh_from_db()
    assert (report.status, report.people, report.visits) == ("accepted", 3, 18)
    assert [e.action for e in flow.events(report)] == [
        "submit",
        "return",
        "resubmit",
        "accept",
    ]


def test_reports_are_refused_for_wrong_teams_months_and_days(officer, outsider, resident, team):
    with pytest.raises(NotAllowed):
        _report(officer, resident)
    with pytest.raises(Refused):
        _report(officer, team)  # not a resident team
    with pytest.raises(Refused):
        services.resident_report_create(
            by=outsider,
            team=resident,
            month=datetime.date(2026, 2, 1),
            people=1,
            days_on_site=29,
            visits=0,
        )
    _report(outsider, resident)
    with pytest.raises(ValidationError, match="本月月报已报送"):
        _report(outsider, resident)


def test_the_pages_and_api_walk_the_workflow(client, officer, outsider, team, resident):
    client.force_login(outsider)
    created = client.post(
        reverse("investment:resident_report_create"),
        {"team": resident.pk, "month": "2026-01-01", "people": 2, "days_on_site": 20, "visits": 9},
    )
    assert created.status_code == 302
    report = ResidentReport.objects.get()
    client.force_login(officer)
    url = reverse("investment:resident_report_transition", args=[report.pk, "return"])
    assert client.post(url, {"return-reason": ""}).status_code == 400
    assert client.post(url, {"return-reason": "请补充"}).status_code == 302
    api = client.get("/api/investment/resident-reports/?status=returned").json()
    assert [row["id"] for row in api["results"]] == [report.pk]
    page = client.get(reverse("investment:resident_report_list") + "?status=returned")
    assert "驻深圳小分队" in page.content.decode()


def test_each_activity_converts_to_leads_signings_and_funds(client, officer, team):
    trip = ActivityFactory(created_by=officer, title="深圳招商")
    signed_lead = LeadFactory(team=team, activity=trip)
    LeadFactory(team=team, activity=trip)
    project = ProjectFactory(
        team=team,
        lead=signed_lead,
        status=Project.Status.SIGNED,
        signed_on=datetime.date(2026, 3, 1),
        contract_investment=Decimal(10000),
    )
    FundsArrival.objects.create(
        project=project,
        month=datetime.date(2026, 4, 1),
        fixed_assets=Decimal(300),
        working_capital=Decimal(200),
        origin="province",
        by=officer,
    )
    row = selectors.activity_list(officer).get(pk=trip.pk)
    assert (row.lead_count, row.project_count, row.signed_count, row.started_count) == (2, 1, 1, 0)
    assert row.funds_total == Decimal(500)
    year = trip.starts_on.year
    conversion = {r["kind"]: r for r in selectors.activity_conversion(year=year)}
    assert conversion["outbound"]["signed"] == 1 and conversion["outbound"]["funds"] == 500
    client.force_login(officer)
    body = client.get(reverse("investment:activity_list") + f"?year={year}").content.decode()
    assert 'data-kind="outbound"' in body and 'data-signed="1"' in body
