"""After a write, the dashboard's cache is warmed by a task queued when the write commits, so
its first reader does not pay for recomputing it (speed is measured in bench/, not here)."""

from unittest import mock

import pytest
from django.db import transaction

from apps.core import figures
from apps.dashboard import tasks
from tests.conftest import FRAME_QUERIES
from tests.dashboard.test_dashboard import _member

pytestmark = pytest.mark.django_db


def test_a_committed_write_queues_one_warm_up_however_many_times_it_invalidated(
    django_capture_on_commit_callbacks,
):
    with (
        mock.patch.object(tasks.warm_figures, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        transaction.atomic(),
    ):
        figures.invalidate("services")
        figures.invalidate("services")
    assert len(callbacks) == 1
    delay.assert_called_once_with()


def test_a_rolled_back_write_queues_nothing(django_capture_on_commit_callbacks):
    with (
        mock.patch.object(tasks.warm_figures, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        figures.invalidate("services")
        raise RuntimeError
    delay.assert_not_called()


def test_after_the_warm_up_the_first_reader_gets_the_new_figures_warm(
    client, role_users, django_capture_on_commit_callbacks, django_assert_num_queries
):
    client.force_login(role_users["领导"])
    # The whole write happens in the capture: the test's own transaction never commits, and a
    # transaction queues its warm-up once.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _member("100")
        client.get("/api/dashboard/?period=2023-11")  # cached: 1,100 万元
        with transaction.atomic():
            _member("300")  # as the monthly import writes, invalidating
    assert callbacks  # the commit's callback ran: a new generation, then the warm-up
    # Warm: permissions (2), the latest month, the targets; nothing recomputed.
    with django_assert_num_queries(FRAME_QUERIES + 2 + 1 + 1):
        body = client.get("/api/dashboard/?period=2023-11").json()
    output = next(f for f in body["figures"] if f["code"] == "industry_output_ytd")
    assert float(output["value"]) == 4400  # (100 + 300) × 11 months, never the 1,100 before


@pytest.mark.django_db(transaction=True)
def test_a_write_outside_a_transaction_queues_no_warm_up_but_one_inside_does():
    """A script saving rows one by one (autocommit) must not queue a task per row."""
    with mock.patch.object(tasks.warm_figures, "delay") as delay:
        figures.invalidate("services")
        delay.assert_not_called()
        with transaction.atomic():
            figures.invalidate("services")
        delay.assert_called_once_with()


def test_the_warm_up_is_idempotent(django_assert_num_queries):
    assert tasks.warm_figures() == tasks.warm_figures()
    # A second run finds everything cached: only the latest month is read.
    with django_assert_num_queries(1):
        tasks.warm_figures()


def test_the_warm_up_runs_daily_as_the_day_is_part_of_the_keys(settings):
    assert "dashboard.warm_figures" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }


@pytest.mark.django_db(transaction=True)
def test_writes_committed_before_the_warm_up_starts_share_one_and_later_ones_queue_another():
    # load_demo commits about 1,200 transactions: they queued 1,200 warm-ups, each finding the
    # figures warm from the one before. (Real commits: inside a test's transaction the first
    # commit's callback would stay registered and absorb the later ones.)
    def commit(area):
        with transaction.atomic():
            figures.invalidate(area)

    with mock.patch.object(tasks.warm_figures, "delay") as delay:
        for _ in range(3):
            commit("services")
        assert delay.call_count == 1
        figures.warm_up_started()  # the worker takes it: a write from now on needs another
        commit("enterprises")
        assert delay.call_count == 2


def test_the_warm_up_recomputes_the_months_read_lately_as_well_as_the_latest(
    client, role_users, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """A month a reader chose (page or API) is warmed after a write too, most recently read
    first after the latest month; a month after the latest is not noted."""
    from apps.core.figures import Period
    from apps.dashboard import selectors

    _member("100")
    _member("100", year=2022)
    client.force_login(role_users["领导"])
    client.get("/dashboard/?period=2022-06")
    client.get("/api/dashboard/?period=2023-03")
    client.get("/api/dashboard/?period=2024-01")  # after the latest month (2023-11)
    client.get("/api/dashboard/?period=1902-07")  # more than 5 years before it
    assert selectors.periods_to_warm() == [Period(2023, 11), Period(2023, 3), Period(2022, 6)]
    assert tasks.warm_figures() == "2023-11,2023-03,2022-06"
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _member("300")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        figures.invalidate(*figures.every_area())
    tasks.warm_figures()  # the worker's run, once the writes committed
    for period in ("2022-06", "2023-03"):
        # Warm: permissions (2), the latest month, the targets; nothing recomputed.
        with django_assert_num_queries(FRAME_QUERIES + 2 + 1 + 1):
            body = client.get(f"/api/dashboard/?period={period}").json()
    output = next(f for f in body["figures"] if f["code"] == "industry_output_ytd")
    assert float(output["value"]) == 1200  # (100 + 300) × 3 months: the write is counted


def test_a_month_is_noted_once_an_hour_and_forgotten_after_a_week(monkeypatch):
    import time

    from django.core.cache import cache

    from apps.core.figures import Period
    from apps.dashboard import selectors

    latest = Period(2023, 11)
    now = [1_000_000_000.0]
    monkeypatch.setattr(time, "time", lambda: now[0])
    with mock.patch.object(cache, "set", wraps=cache.set) as written:
        selectors.note_read(Period(2023, 5), latest)
        selectors.note_read(Period(2023, 5), latest)
        assert written.call_count == 1
        now[0] += selectors.READ_NOTE_SECONDS
        selectors.note_read(Period(2023, 5), latest)
        assert written.call_count == 2
    assert "2023-05" in selectors._read_periods()
    now[0] += selectors.READ_PERIODS_DAYS * 86400 + 1
    assert selectors._read_periods() == {}
    cache.set(selectors.READ_PERIODS_KEY, ["not", "a", "dict"])
    assert selectors._read_periods() == {}
    cache.set(selectors.READ_PERIODS_KEY, {"2023-13": now[0], 5: now[0]})
    assert [p.code for p in selectors.periods_to_warm()][1:] == []


def test_forget_figures_queues_the_warm_up(django_capture_on_commit_callbacks):
    from django.core.management import call_command

    with (
        mock.patch.object(tasks.warm_figures, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("forget_figures", verbosity=0)
    delay.assert_called_once_with()
