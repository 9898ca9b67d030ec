"""Pages and API: scoping by role and team, confidentiality and phone masking in every channel,
pinned query counts."""

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.investment.models import Project
from tests.conftest import FRAME_QUERIES, make_role_user
from tests.investment.factories import (
    ActivityFactory,
    InvestorFactory,
    LeadFactory,
    ProjectFactory,
    api_as,
    export_text,
)

pytestmark = pytest.mark.django_db


class TestConfidentiality:
    def test_a_confidential_lead_is_seen_only_by_its_team_and_the_leadership(
        self, client, officer, outsider, team, other_team
    ):
        secret = LeadFactory(team=team, confidential=True, title="保密项目甲")
        LeadFactory(team=team, owner=None, confidential=True, title="保密池线索")
        leader = make_role_user(Role.LEADER)
        for user, sees in ((officer, True), (leader, True), (outsider, False)):
            client.force_login(user)
            page = client.get(reverse("investment:lead_list"))
            export = client.get(reverse("investment:lead_list") + "?export=xlsx")
            search = client.get(reverse("investment:lead_list") + "?q=保密")
            detail = client.get(reverse("investment:lead_detail", args=[secret.pk]))
            api = api_as(user).get("/api/investment/leads/?q=保密").json()
            assert ("保密项目甲" in page.content.decode()) is sees
            assert ("保密项目甲" in export_text(export)) is sees
            assert ("保密项目甲" in search.content.decode()) is sees
            assert detail.status_code == (200 if sees else 404)
            assert any(row["title"] == "保密项目甲" for row in api["results"]) is sees
            assert ("保密池线索" in page.content.decode()) is sees

    def test_economy_reads_projects_only_from_signing_on(self, client, team):
        economy = make_role_user(Role.ECONOMY)
        talking = ProjectFactory(team=team, name="洽谈中项目")
        signed = ProjectFactory(team=team, name="已签约项目", status=Project.Status.SIGNED)
        client.force_login(economy)
        body = client.get(reverse("investment:project_list")).content.decode()
        assert "已签约项目" in body and "洽谈中项目" not in body
        assert (
            client.get(reverse("investment:project_detail", args=[talking.pk])).status_code == 404
        )
        assert client.get(reverse("investment:project_detail", args=[signed.pk])).status_code == 200
        assert client.get(reverse("investment:lead_list")).status_code == 403


class TestMasking:
    def test_the_contact_phone_is_masked_outside_investment_and_leadership(self, client, team):
        project = ProjectFactory(
            team=team,
            status=Project.Status.SIGNED,
            investor=InvestorFactory(contact_phone="13812345678"),
        )
        economy = make_role_user(Role.ECONOMY)
        leader = make_role_user(Role.LEADER)
        for user, full in ((team.leader, True), (leader, True), (economy, False)):
            client.force_login(user)
            detail = client.get(reverse("investment:investor_detail", args=[project.investor_id]))
            project_page = client.get(reverse("investment:project_detail", args=[project.pk]))
            export = client.get(reverse("investment:investor_list") + "?export=xlsx")
            api = api_as(user).get(f"/api/investment/investors/{project.investor_id}/").json()
            for text in (
                detail.content.decode(),
                project_page.content.decode(),
                export_text(export),
                api["contact_phone"],
            ):
                assert ("13812345678" in text) is full
                if not full:
                    assert "138****5678" in text


class TestPages:
    def test_the_pool_shows_only_unowned_leads(self, client, officer, team):
        LeadFactory(team=team, title="有主线索")
        LeadFactory(team=None, owner=None, title="公海线索")
        client.force_login(officer)
        body = client.get(reverse("investment:pool")).content.decode()
        assert "公海线索" in body and "有主线索" not in body

    def test_claiming_from_the_page_sets_the_owner(self, client, officer, team):
        lead = LeadFactory(team=None, owner=None)
        client.force_login(officer)
        response = client.post(reverse("investment:lead_claim", args=[lead.pk]))
        assert response.status_code == 302
        lead.refresh_from_db()
        assert lead.owner == officer

    def test_claiming_an_owned_lead_answers_400_with_the_reason(self, client, officer, team):
        lead = LeadFactory(team=team)
        client.force_login(officer)
        response = client.post(reverse("investment:lead_claim", args=[lead.pk]))
        assert response.status_code == 400
        assert "不在公海池" in response.content.decode()

    def test_a_bad_follow_up_answers_400_and_writes_nothing(self, client, officer, team):
        lead = LeadFactory(team=team)
        client.force_login(officer)
        response = client.post(
            reverse("investment:lead_follow_up", args=[lead.pk]),
            {"on": "2999-01-01", "kind": "call", "note": "x"},
        )
        assert response.status_code == 400 and lead.follow_ups.count() == 0

    def test_creating_a_lead_from_the_page(self, client, officer, team):
        investor = InvestorFactory()
        client.force_login(officer)
        response = client.post(
            reverse("investment:lead_create"),
            {"investor": investor.pk, "title": "装备制造项目", "channel": "own"},
        )
        assert response.status_code == 302
        assert investor.leads.get().reported_by == officer

    def test_the_project_detail_shows_the_time_in_stage(self, client, officer, team):
        project = ProjectFactory(team=team)
        client.force_login(officer)
        body = client.get(reverse("investment:project_detail", args=[project.pk])).content
        assert 'data-light="green"' in body.decode()

    def test_a_signed_project_registers_an_enterprise_typed_by_name(self, client, officer, team):
        # The registration form names the enterprise (suggestions from the registry's search):
        # the page holds no option per enterprise in the zone.
        from tests.enterprises.factories import EnterpriseFactory

        others = [EnterpriseFactory() for _ in range(3)]
        landing = EnterpriseFactory(name="落地装备有限公司")
        project = ProjectFactory(team=team, status=Project.Status.SIGNED)
        client.force_login(officer)
        page = client.get(reverse("investment:project_detail", args=[project.pk])).content
        assert b'data-enterprise-search="' in page
        assert not any(other.name.encode() in page for other in others)
        url = reverse("investment:project_transition", args=[project.pk, "register"])
        unknown = client.post(url, {"register-enterprise": "不存在的企业"})
        assert unknown.status_code == 400
        body = unknown.content.decode()
        # The field's own message, and what was typed is kept; not the "choose one" catch-all.
        assert "没有名为“不存在的企业”的企业" in body and 'value="不存在的企业"' in body
        assert "请选择已登记企业" not in body
        assert client.post(url, {"register-enterprise": landing.name}).status_code == 302
        project.refresh_from_db()
        assert (project.status, project.enterprise) == (Project.Status.REGISTERED, landing)

    def test_an_activity_past_its_report_date_is_flagged(self, client, officer):
        import datetime

        from django.utils import timezone

        ActivityFactory(
            created_by=officer,
            starts_on=timezone.localdate() - datetime.timedelta(days=40),
            ends_on=timezone.localdate() - datetime.timedelta(days=20),
        )
        client.force_login(officer)
        assert (
            'data-overdue="1"' in client.get(reverse("investment:activity_list")).content.decode()
        )


class TestQueryCounts:
    def test_the_lead_list_does_not_grow_with_its_rows(
        self, client, officer, team, django_assert_num_queries
    ):
        for _ in range(5):
            LeadFactory(team=team)
        client.force_login(officer)
        # the roles, the team ids, count, rows (with investor, chain node, owner, team,
        # reporter), the holiday calendar (the judgement due dates), the team and chain-node
        # choices, the session's savepoint/update/release
        with django_assert_num_queries(FRAME_QUERIES + 9):
            assert client.get(reverse("investment:lead_list")).status_code == 200

    def test_the_project_list_does_not_grow_with_its_rows(
        self, client, officer, team, django_assert_num_queries
    ):
        for _ in range(5):
            ProjectFactory(team=team)
        client.force_login(officer)
        # the roles, the team ids, count, rows (with their relations and funds), the stage
        # counts, the team, owner and chain-node choices, the session's savepoint/update/release
        with django_assert_num_queries(FRAME_QUERIES + 10):
            assert client.get(reverse("investment:project_list")).status_code == 200

    def test_the_project_api_list_does_not_grow_with_its_rows(
        self, officer, team, django_assert_num_queries
    ):
        for _ in range(5):
            ProjectFactory(team=team)
        client = api_as(officer)
        # the user's and groups' permissions, the roles, the team ids, count, rows
        with django_assert_num_queries(6):
            assert client.get("/api/investment/projects/").status_code == 200
