"""The funds-arrived list (到位资金明细): the rows behind the 到位资金 figures, scoped like the
project list in every channel (page, export, API), its filters, its old dashboard address and
pinned query counts. Who may open it is the role x URL matrix's (tests/investment/access.py)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.investment.models import FundsArrival, Project
from tests.conftest import FRAME_QUERIES, make_role_user
from tests.investment.factories import ProjectFactory, api_as, export_text

pytestmark = pytest.mark.django_db

URL = "/investment/funds/"
API = "/api/investment/funds-arrivals/"


def _funds(project, month=datetime.date(2023, 11, 1), origin="province", **amounts):
    return FundsArrival.objects.create(
        project=project,
        month=month,
        origin=origin,
        fixed_assets=amounts.get("fixed_assets", Decimal("100")),
        working_capital=amounts.get("working_capital", Decimal("20")),
        by=project.owner,
    )


def test_the_page_lives_under_investment():
    assert reverse("investment:funds_arrival_list") == URL
    assert reverse("api:investment-fundsarrival-list") == API


class TestScope:
    def test_confidential_funds_are_seen_only_by_the_team_and_the_leadership(
        self, client, officer, outsider, team, other_team
    ):
        secret = ProjectFactory(
            team=team, owner=officer, status=Project.Status.SIGNED, confidential=True, name="保密甲"
        )
        secret_row = _funds(secret)
        _funds(
            ProjectFactory(team=team, owner=officer, status=Project.Status.SIGNED, name="公开乙")
        )
        leader = make_role_user(Role.LEADER)
        economy = make_role_user(Role.ECONOMY)
        for user, sees in ((officer, True), (leader, True), (outsider, False), (economy, False)):
            client.force_login(user)
            page = client.get(URL).content.decode()
            search = client.get(URL, {"q": "保密"}).content.decode()
            export = export_text(client.get(URL, {"export": "xlsx"}))
            api = api_as(user).get(API, {"q": "保密"}).json()
            detail = api_as(user).get(f"{API}{secret_row.pk}/")
            assert ("保密甲" in page) is sees, user
            assert ("保密甲" in search) is sees, user
            assert ("保密甲" in export) is sees, user
            assert any(row["project_name"] == "保密甲" for row in api["results"]) is sees, user
            assert detail.status_code == (200 if sees else 404), user

    def test_economy_reads_the_funds_of_signed_projects_only(self, client, officer, team):
        _funds(
            ProjectFactory(team=team, owner=officer, status=Project.Status.SIGNED, name="签约丙")
        )
        _funds(ProjectFactory(team=team, owner=officer, name="洽谈丁"))
        client.force_login(make_role_user(Role.ECONOMY))
        body = client.get(URL).content.decode()
        assert "签约丙" in body and "洽谈丁" not in body

    def test_an_officer_sees_the_funds_of_the_team_not_of_another(
        self, client, officer, outsider, team, other_team
    ):
        _funds(ProjectFactory(team=team, owner=officer, status=Project.Status.SIGNED, name="一组"))
        _funds(
            ProjectFactory(
                team=other_team, owner=outsider, status=Project.Status.SIGNED, name="二组项目"
            )
        )
        client.force_login(officer)
        body = client.get(URL).content.decode()
        assert "一组" in body and "二组项目" not in body
        names = [row["project_name"] for row in api_as(officer).get(API).json()["results"]]
        assert "二组项目" not in names


class TestFilters:
    def test_the_page_and_the_api_filter_the_same_rows(self, client, officer, team, other_team):
        project = ProjectFactory(
            team=team,
            owner=officer,
            status=Project.Status.SIGNED,
            signed_on=datetime.date(2023, 3, 1),
            name="滤甲",
        )
        _funds(project, month=datetime.date(2023, 1, 1), origin="province")
        _funds(project, month=datetime.date(2023, 6, 1), origin="abroad")
        _funds(project, month=datetime.date(2022, 12, 1), origin="city")
        client.force_login(make_role_user(Role.LEADER))
        leader_api = api_as(make_role_user(Role.LEADER, username="leader-2"))
        for query, expected in (
            ({}, 3),
            ({"month_from": "2023-01-01", "month_to": "2023-11-30"}, 2),
            ({"origin": "abroad"}, 1),
            ({"team": team.pk}, 3),
            ({"team": other_team.pk}, 0),
            ({"signed_from": "2023-04-01"}, 0),
            ({"signed_to": "2023-03-01"}, 3),
            ({"q": "滤甲"}, 3),
            ({"q": "无此项目"}, 0),
        ):
            page = client.get(URL, query)
            assert page.context["paginator"].count == expected, query
            assert leader_api.get(API, query).json()["count"] == expected, query

    def test_each_rows_total_is_its_fixed_assets_and_working_capital(self, officer, team):
        project = ProjectFactory(team=team, owner=officer, status=Project.Status.SIGNED)
        _funds(project, fixed_assets=Decimal("1234.50"), working_capital=Decimal("65.50"))
        (row,) = api_as(officer).get(API).json()["results"]
        assert Decimal(row["total"]) == Decimal("1300.00")
        assert row["team"] == team.pk and row["project"] == project.pk

    def test_a_malformed_filter_is_refused_not_a_server_error(self, client, officer, team):
        client.force_login(officer)
        assert client.get(URL, {"month_from": "2023-02-30"}).status_code == 200
        assert api_as(officer).get(API, {"month_from": "2023-02-30"}).status_code == 400


class TestTheOldAddresses:
    def test_the_old_dashboard_page_redirects_permanently_keeping_the_query(self, client):
        response = client.get("/dashboard/funds/?month_from=2023-01-01&month_to=2023-11-30&team=3")
        assert response.status_code == 301
        assert response["Location"] == (f"{URL}?month_from=2023-01-01&month_to=2023-11-30&team=3")

    def test_the_old_dashboard_page_without_a_query_redirects_to_the_page(self, client):
        response = client.get("/dashboard/funds/")
        assert response.status_code == 301 and response["Location"] == URL

    def test_the_old_api_path_is_gone(self, officer):
        assert api_as(officer).get("/api/dashboard/funds-arrivals/").status_code == 404


def test_the_menu_lists_the_page_under_investment_for_those_who_may_read_it(client, officer):
    def links(user):
        client.force_login(user)
        nav = client.get("/").context["portal_nav"]
        return {item["url"]: str(section["label"]) for section in nav for item in section["items"]}

    assert links(officer).get(URL) == "招商引资"
    assert links(make_role_user(Role.ECONOMY)).get(URL) == "招商引资"
    assert URL not in links(make_role_user(Role.SERVICE))


class TestQueryCounts:
    def test_the_page_does_not_grow_with_its_rows(
        self, client, officer, team, django_assert_num_queries
    ):
        for month in range(1, 6):
            _funds(
                ProjectFactory(team=team, owner=officer, status=Project.Status.SIGNED),
                month=datetime.date(2023, month, 1),
            )
        client.force_login(officer)
        # the roles, the team ids, count, rows (with project and team), the team choices,
        # the session's savepoint/update/release
        with django_assert_num_queries(FRAME_QUERIES + 7):
            assert client.get(URL).status_code == 200

    def test_the_api_list_does_not_grow_with_its_rows(
        self, officer, team, django_assert_num_queries
    ):
        for month in range(1, 6):
            _funds(
                ProjectFactory(team=team, owner=officer, status=Project.Status.SIGNED),
                month=datetime.date(2023, month, 1),
            )
        client = api_as(officer)
        # the user's and groups' permissions, the roles, the team ids, count, rows
        with django_assert_num_queries(6):
            assert client.get(API).status_code == 200
