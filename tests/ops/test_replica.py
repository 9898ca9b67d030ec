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
