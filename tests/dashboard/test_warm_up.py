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
