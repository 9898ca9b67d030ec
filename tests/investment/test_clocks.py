"""The judgement clocks (an owner within 1 working day, a judgement within 3), the pool
warning, and the daily notifications: who is told, once, and never outside the lead's scope."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Notification
from apps.core.dates import add_working_days
from apps.investment import selectors, services, tasks
from apps.investment.models import Activity, Lead, Project
from tests.investment.factories import ActivityFactory, LeadFactory, ProjectFactory

pytestmark = pytest.mark.django_db

FRIDAY = datetime.date(2026, 11, 27)
MONDAY = datetime.date(2026, 11, 30)


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


class TestWorkingDays:
    def test_a_working_day_after_friday_is_monday(self):
        assert add_working_days(FRIDAY, 1) == MONDAY
        assert add_working_days(FRIDAY, 3) == MONDAY + datetime.timedelta(days=2)

    def test_a_lead_reported_on_saturday_is_due_on_monday(self):
        assert add_working_days(FRIDAY + datetime.timedelta(days=1), 1) == MONDAY

    def test_a_lead_reported_before_the_national_day_break_is_due_on_the_worked_saturday(
        self, team
    ):
        # 2023: off 29 September to 6 October; Saturday 7 and Sunday 8 October worked.
        lead = LeadFactory(team=team, owner=None, reported_at=_at(datetime.date(2023, 9, 28)))
        assert selectors.owner_due_on(lead) == datetime.date(2023, 10, 7)
        assert selectors.judgement_due_on(lead) == datetime.date(2023, 10, 9)
        during_the_break = selectors.clock(lead, today=datetime.date(2023, 10, 6))
        assert not during_the_break["owner"]["overdue"]
        assert selectors.clock(lead, today=datetime.date(2023, 10, 8))["owner"]["overdue"]
        owner_overdue = Lead.objects.filter(selectors.owner_overdue_q(datetime.date(2023, 10, 7)))
        assert not owner_overdue.exists()
        owner_overdue = Lead.objects.filter(selectors.owner_overdue_q(datetime.date(2023, 10, 8)))
        assert list(owner_overdue) == [lead]

    @pytest.mark.parametrize(
        "today", [MONDAY + datetime.timedelta(days=9), datetime.date(2023, 10, 10)]
    )
    def test_the_overdue_filter_agrees_with_the_due_dates(self, team, today):
        # Reported on each of 14 days (in an ordinary fortnight, and across the 2023 national
        # day break): overdue exactly when the due date is before today.
        leads = [
            LeadFactory(team=team, owner=None, reported_at=_at(today - datetime.timedelta(days=n)))
            for n in range(14)
        ]
        owner = set(Lead.objects.filter(selectors.owner_overdue_q(today)).values_list("pk", flat=1))
        judge = set(
            Lead.objects.filter(selectors.judgement_overdue_q(today)).values_list("pk", flat=1)
        )
        for lead in leads:
            reported = timezone.localdate(lead.reported_at)
            assert (lead.pk in owner) is (add_working_days(reported, 1) < today)
            assert (lead.pk in judge) is (add_working_days(reported, 3) < today)
        assert owner and judge and owner != judge


class TestClocks:
    def test_an_unassigned_lead_is_late_for_an_owner_after_one_working_day(self, team):
        lead = LeadFactory(team=team, owner=None, reported_at=_at(FRIDAY))
        assert not selectors.clock(lead, today=MONDAY)["owner"]["overdue"]
        tuesday = MONDAY + datetime.timedelta(days=1)
        state = selectors.clock(lead, today=tuesday)
        assert state["owner"]["overdue"] and state["owner"]["days_over"] == 1
        assert not state["judgement"]["overdue"]

    def test_a_judged_lead_stops_its_clock(self, team, officer):
        lead = LeadFactory(team=team, owner=officer, reported_at=_at(FRIDAY))
        services.lead_judge(by=officer, lead=lead, judgement="follow")
        assert not Lead.objects.filter(
            selectors.judgement_overdue_q(MONDAY + datetime.timedelta(days=30)), pk=lead.pk
        ).exists()
        assert selectors.clock(lead)["judgement"]["done_on"] == timezone.localdate()

    def test_a_lead_left_for_the_leader_has_no_owner_and_the_reporter_is_first(self, officer, team):
        lead = services.lead_create(
            by=officer,
            investor=LeadFactory(team=team).investor,
            title="新材料基地",
            channel="own",
            to_pool=True,
        )
        assert lead.owner is None and lead.reported_by == officer and lead.in_pool

    def test_the_lead_page_shows_both_clocks(self, client, officer, team):
        lead = LeadFactory(
            team=team, owner=None, reported_at=_at(MONDAY - datetime.timedelta(days=14))
        )
        client.force_login(officer)
        body = client.get(reverse("investment:lead_detail", args=[lead.pk])).content.decode()
        assert 'data-testid="owner-clock" data-overdue="1"' in body
        assert 'data-testid="judgement-clock" data-overdue="1"' in body

    def test_the_list_filters_overdue_leads(self, client, officer, team):
        late = LeadFactory(
            team=team, title="超时线索", reported_at=_at(MONDAY - datetime.timedelta(days=14))
        )
        LeadFactory(team=team, title="新线索")
        client.force_login(officer)
        body = client.get(reverse("investment:lead_list") + "?clock=judgement_overdue").content
        assert "超时线索" in body.decode() and "新线索" not in body.decode()
        api = client.get("/api/investment/leads/?clock=overdue").json()
        assert [row["id"] for row in api["results"]] == [late.pk]

    def test_the_team_leaders_home_lists_overdue_leads(self, client, officer, colleague, team):
        LeadFactory(
            team=team,
            owner=None,
            title="待分派线索",
            reported_at=_at(MONDAY - datetime.timedelta(days=14)),
        )
        client.force_login(officer)  # the leader of the team
        body = client.get("/").content.decode()
        assert "待分派线索" in body and 'data-figure="clock-overdue">1<' in body
        client.force_login(colleague)  # a member, not the leader
        assert "待分派线索" not in client.get("/").content.decode()


class TestAssign:
    def test_the_leader_assigns_and_the_owner_is_told_once(
        self, officer, colleague, team, django_capture_on_commit_callbacks
    ):
        lead = LeadFactory(team=team, owner=None)
        with django_capture_on_commit_callbacks(execute=True):
            services.lead_assign(by=officer, lead=lead, owner=colleague)
        rows = Notification.objects.filter(event="investment.lead_assigned")
        assert [row.recipient for row in rows] == [colleague]
        assert rows[0].url == reverse("investment:lead_detail", args=[lead.pk])

    def test_a_member_may_not_assign(self, colleague, officer, team):
        from apps.core.errors import NotAllowed

        lead = LeadFactory(team=team, owner=None)
        with pytest.raises(NotAllowed):
            services.lead_assign(by=colleague, lead=lead, owner=officer)

    def test_a_confidential_lead_is_not_assigned_outside_its_team(self, officer, outsider, team):
        from apps.core.errors import Refused

        lead = LeadFactory(team=team, owner=None, confidential=True)
        with pytest.raises(Refused):
            services.lead_assign(by=officer, lead=lead, owner=outsider)

    def test_the_assign_page_refuses_with_400_and_assigns(self, client, officer, colleague, team):
        lead = LeadFactory(team=team, owner=None)
        client.force_login(officer)
        url = reverse("investment:lead_assign", args=[lead.pk])
        assert client.post(url, {"owner": ""}).status_code == 400
        assert client.post(url, {"owner": colleague.pk}).status_code == 302
        lead.refresh_from_db()
        assert lead.owner == colleague


class TestDailyNotifications:
    def test_the_daily_task_tells_each_person_once(self, officer, colleague, outsider, team):
        today = timezone.localdate()
        LeadFactory(team=team, owner=None, reported_at=_at(today - datetime.timedelta(days=14)))
        warned = LeadFactory(
            team=team, owner=colleague, last_follow_up_on=today - datetime.timedelta(days=26)
        )
        services.lead_judge(by=colleague, lead=warned, judgement="follow")
        red = ProjectFactory(
            team=team,
            owner=colleague,
            status=Project.Status.REVIEWING,
            stage_entered_at=timezone.now() - datetime.timedelta(days=40),
        )
        ActivityFactory(
            created_by=colleague,
            starts_on=today - datetime.timedelta(days=40),
            ends_on=today - datetime.timedelta(days=38),
        )
        first = tasks.notify_deadlines()
        assert tasks.notify_deadlines() == 0
        events = {
            (row.event, row.recipient.username)
            for row in Notification.objects.select_related("recipient")
        }
        assert events == {
            ("investment.lead_clock_overdue", officer.username),
            ("investment.pool_warning", colleague.username),
            ("investment.stage_red", colleague.username),
            ("investment.stage_red", officer.username),
            ("investment.trip_report_overdue", colleague.username),
        }
        assert first == 5
        assert (
            Notification.objects.get(event="investment.stage_red", recipient=officer).object_id
            == red.pk
        )

    def test_a_confidential_lead_is_announced_only_inside_its_scope(self, outsider, team):
        # The lead's team is led by someone who has since lost the 招商 role: nobody may be told.
        from apps.accounts.roles import Role
        from tests.conftest import make_role_user
        from tests.investment.factories import TeamFactory

        economy = make_role_user(Role.ECONOMY)
        lonely = TeamFactory(leader=economy, members=[economy])
        LeadFactory(
            team=lonely,
            owner=None,
            confidential=True,
            reported_at=_at(timezone.localdate() - datetime.timedelta(days=14)),
        )
        assert tasks.notify_deadlines() == 0
        assert not Notification.objects.exists()

    def test_a_reported_trip_is_not_overdue(self, colleague):
        today = timezone.localdate()
        ActivityFactory(
            created_by=colleague,
            kind=Activity.Kind.OUTBOUND,
            starts_on=today - datetime.timedelta(days=40),
            ends_on=today - datetime.timedelta(days=38),
            report="已报告",
            reported_on=today - datetime.timedelta(days=30),
        )
        assert tasks.notify_deadlines() == 0
