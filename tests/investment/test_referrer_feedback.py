"""A lead from a referrer (信息来源 引荐人) owes them feedback within a week of its first report:
a follow-up of kind 向引荐人反馈 records it; until then the lead shows the clock, the owner's and
team leader's home list it once overdue, and the daily task tells them once."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Notification
from apps.investment import selectors, services, tasks
from apps.investment.models import Lead
from tests.investment.factories import LeadFactory

pytestmark = pytest.mark.django_db

EVENT = "investment.referrer_feedback_overdue"


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _referred(team, *, days_ago, **kwargs):
    kwargs.setdefault("owner", team.members.get(username="zs-colleague"))
    return LeadFactory(
        team=team,
        channel=Lead.Channel.REFERRER,
        referrer="王会长",
        reported_at=_at(timezone.localdate() - datetime.timedelta(days=days_ago)),
        **kwargs,
    )


def _feedback(lead, by, on=None, kind="feedback"):
    return services.lead_follow_up(
        by=by, lead=lead, on=on or timezone.localdate(), kind=kind, note="已电话告知引荐人进展"
    )


class TestTheClock:
    def test_the_feedback_is_due_a_week_after_the_first_report(self, team):
        lead = _referred(team, days_ago=0)
        reported = timezone.localdate(lead.reported_at)
        assert selectors.referrer_feedback_due_on(lead) == reported + datetime.timedelta(days=7)
        on_the_day = selectors.clock(lead, today=reported + datetime.timedelta(days=7))
        assert not on_the_day["referrer"]["overdue"]
        late = selectors.clock(lead, today=reported + datetime.timedelta(days=9))["referrer"]
        assert late["overdue"] and late["days_over"] == 2

    def test_the_overdue_filter_agrees_with_the_clock(self, team):
        today = timezone.localdate()
        leads = [_referred(team, days_ago=n) for n in range(12)]
        overdue = set(
            Lead.objects.filter(selectors.referrer_overdue_q(today)).values_list("pk", flat=True)
        )
        for lead in leads:
            assert (lead.pk in overdue) is selectors.clock(lead, today=today)["referrer"]["overdue"]
        assert len(overdue) == 4  # reported 8 to 11 days ago

    def test_a_lead_from_another_channel_has_no_referrer_clock(self, team):
        lead = LeadFactory(team=team, reported_at=_at(timezone.localdate().replace(year=2025)))
        assert "referrer" not in selectors.clock(lead)
        assert not Lead.objects.filter(selectors.referrer_overdue_q()).exists()

    def test_feedback_stops_the_clock_even_when_given_late(self, team, colleague):
        lead = _referred(team, days_ago=10)
        _feedback(lead, colleague)
        lead.refresh_from_db()
        assert lead.referrer_feedback_on == timezone.localdate()
        state = selectors.clock(lead)["referrer"]
        assert state["done_on"] == timezone.localdate() and state["late"]
        assert not state["overdue"]
        assert not Lead.objects.filter(selectors.referrer_overdue_q()).exists()

    def test_the_first_feedback_is_the_one_that_counts(self, team, colleague):
        lead = _referred(team, days_ago=10)
        today = timezone.localdate()
        _feedback(lead, colleague, on=today - datetime.timedelta(days=5))
        _feedback(lead, colleague, on=today)
        _feedback(lead, colleague, on=today - datetime.timedelta(days=6))
        lead.refresh_from_db()
        assert lead.referrer_feedback_on == today - datetime.timedelta(days=6)
        assert not selectors.clock(lead)["referrer"]["late"]

    def test_an_ordinary_follow_up_is_not_feedback(self, team, colleague):
        lead = _referred(team, days_ago=10)
        _feedback(lead, colleague, kind="call")
        lead.refresh_from_db()
        assert lead.referrer_feedback_on is None
        assert Lead.objects.filter(selectors.referrer_overdue_q(), pk=lead.pk).exists()

    def test_feedback_is_refused_on_a_lead_without_a_referrer(self, team, colleague):
        lead = LeadFactory(team=team, owner=colleague)
        with pytest.raises(ValidationError) as refused:
            _feedback(lead, colleague)
        assert "kind" in refused.value.message_dict
        assert not lead.follow_ups.exists()

    def test_a_merged_duplicate_owes_nothing(self, team):
        _referred(team, days_ago=10, merged=True)
        assert not Lead.objects.filter(selectors.referrer_overdue_q()).exists()


class TestWhereItShows:
    def test_the_lead_page_shows_the_clock_and_records_the_feedback(self, client, colleague, team):
        lead = _referred(team, days_ago=10)
        client.force_login(colleague)
        url = reverse("investment:lead_detail", args=[lead.pk])
        assert 'data-testid="referrer-clock" data-overdue="1"' in client.get(url).content.decode()
        response = client.post(
            reverse("investment:lead_follow_up", args=[lead.pk]),
            {"on": timezone.localdate().isoformat(), "kind": "feedback", "note": "已反馈"},
        )
        assert response.status_code == 302
        body = client.get(url).content.decode()
        assert 'data-testid="referrer-clock" data-overdue="0"' in body and "已反馈" in body

    def test_the_follow_up_form_refuses_feedback_without_a_referrer_with_400(
        self, client, colleague, team
    ):
        lead = LeadFactory(team=team, owner=colleague)
        client.force_login(colleague)
        response = client.post(
            reverse("investment:lead_follow_up", args=[lead.pk]),
            {"on": timezone.localdate().isoformat(), "kind": "feedback", "note": "已反馈"},
        )
        assert response.status_code == 400
        assert "只有信息来源为引荐人的线索需要向引荐人反馈" in response.content.decode()

    def test_the_list_and_the_api_filter_overdue_feedback(self, client, colleague, team):
        late = _referred(team, days_ago=10, title="逾期反馈线索")
        _referred(team, days_ago=2, title="新引荐线索")
        client.force_login(colleague)
        body = client.get(reverse("investment:lead_list") + "?clock=referrer_overdue").content
        assert "逾期反馈线索" in body.decode() and "新引荐线索" not in body.decode()
        api = client.get("/api/investment/leads/?clock=referrer_overdue").json()
        assert [row["id"] for row in api["results"]] == [late.pk]
        assert api["results"][0]["referrer_feedback_on"] is None

    def test_the_owners_and_the_leaders_home_list_it_and_nobody_elses(
        self, client, officer, colleague, outsider, team
    ):
        _referred(team, days_ago=10, title="待反馈引荐线索")
        for user in (colleague, officer):  # the owner, the team's leader
            client.force_login(user)
            body = client.get("/").content.decode()
            assert "待反馈引荐线索" in body and 'data-figure="referrer-overdue">1<' in body
        client.force_login(outsider)  # 招商 in another team
        assert "待反馈引荐线索" not in client.get("/").content.decode()


class TestTheNotification:
    def test_the_owner_and_the_leader_are_told_once(self, officer, colleague, team):
        lead = _referred(team, days_ago=10)
        _referred(team, days_ago=3)  # still within its week
        tasks.notify_deadlines()
        tasks.notify_deadlines()
        rows = Notification.objects.filter(event=EVENT)
        assert sorted(row.recipient.username for row in rows) == ["zs-colleague", "zs-officer"]
        assert {row.object_id for row in rows} == {lead.pk}
        assert rows[0].url == reverse("investment:lead_detail", args=[lead.pk])

    def test_nobody_is_told_after_the_feedback(self, colleague, team):
        lead = _referred(team, days_ago=10)
        _feedback(lead, colleague)
        tasks.notify_deadlines()
        assert not Notification.objects.filter(event=EVENT).exists()

    def test_a_confidential_lead_is_announced_only_inside_its_scope(self):
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
            channel=Lead.Channel.REFERRER,
            reported_at=_at(timezone.localdate() - datetime.timedelta(days=10)),
        )
        assert tasks.notify_deadlines() == 0
        assert not Notification.objects.filter(event=EVENT).exists()
