"""The read replica's router: reports read the replica, writes and the writer's next reads the
primary (read-your-writes), sessions and accounts always the primary."""

import pytest
from django.test import override_settings

from apps.accounts.models import User
from apps.core import replica
from apps.core.replica import WROTE_COOKIE, ReplicaRouter
from apps.enterprises.models import Enterprise

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("replica_configured"),
]


@pytest.fixture
def replica_configured(monkeypatch, settings):
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    settings.REPLICA_READ_PATHS = ["/report/"]
    settings.ROOT_URLCONF = "tests.ops.urls"


def test_a_report_reads_enterprises_from_the_replica_and_accounts_from_the_primary(client):
    answer = client.get("/report/which-database/").json()
    assert answer == {"enterprise": "replica", "user": "default"}


def test_other_pages_read_the_primary(client):
    assert client.get("/form/which-database/").json()["enterprise"] == "default"


def test_after_a_write_the_writer_reads_reports_from_the_primary(client, settings):
    response = client.post("/form/which-database/")
    assert response.cookies[WROTE_COOKIE]["max-age"] == settings.REPLICA_LAG_SECONDS
    assert client.get("/report/which-database/").json()["enterprise"] == "default"
    # Another browser (no cookie) still reads the replica.
    client.cookies.clear()
    assert client.get("/report/which-database/").json()["enterprise"] == "replica"


def test_an_old_write_mark_no_longer_keeps_reports_on_the_primary(client):
    client.cookies[WROTE_COOKIE] = "1000"  # 1970
    assert client.get("/report/which-database/").json()["enterprise"] == "replica"


def test_outside_a_request_and_for_writes_everything_is_the_primary():
    router = ReplicaRouter()
    assert router.db_for_read(Enterprise) == "default"
    assert router.db_for_write(Enterprise) == "default"
    assert router.db_for_write(User) == "default"
    assert router.allow_migrate("replica", "enterprises") is False
    assert router.allow_migrate("default", "enterprises") is True


@override_settings(REPLICA_READ_PATHS=["/report/"])
def test_without_a_replica_configured_reports_read_the_primary(client, monkeypatch):
    monkeypatch.setattr(replica, "replica_configured", lambda: False)
    assert client.get("/report/which-database/").json()["enterprise"] == "default"


def test_the_kept_month_tables_are_read_from_the_primary_whatever_the_request_reads(settings):
    """cached_period_tables keeps one entry for every reader (the dashboard reads it on the
    primary): a report page that reads the replica computes it from the primary all the same
    (here the replica alias does not exist: any read routed to it would fail)."""
    from apps.enterprises.selectors import period_tables
    from tests.enterprises.factories import MonthlyStatisticFactory, StatisticsMembershipFactory

    # A member falling by half on the year before: a row by chain and by park, and a decline.
    member = StatisticsMembershipFactory().enterprise
    MonthlyStatisticFactory(enterprise=member, year=2022, month=11, output_value=2000)
    MonthlyStatisticFactory(enterprise=member, year=2023, month=11, output_value=1000)
    settings.DATABASE_ROUTERS = ["apps.core.replica.ReplicaRouter"]
    token = replica._read_from_replica.set(True)
    try:
        assert ReplicaRouter().db_for_read(Enterprise) == "replica"
        tables = period_tables(year=2023, month=11)
    finally:
        replica._read_from_replica.reset(token)
    assert [enterprise.pk for enterprise in tables.declining] == [member.pk]
    assert tables.statistics.by_chain and tables.statistics.by_park
