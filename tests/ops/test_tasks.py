"""Celery: the schedule, the retry policy, and one real worker against the real Redis."""

import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from celery import current_app
from django.conf import settings
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.core.models import BackgroundJob
from apps.core.registry import project_app_configs
from apps.core.tasks import run_job
from apps.staff.models import Appointment
from tests.services.factories import DemandFactory
from tests.staff.factories import appoint
from tests.subprocess_env import clean_environ
from zone_portal.celery import app as celery_app

BASE_DIR = Path(__file__).resolve().parents[2]


def _portal_tasks():
    celery_app.loader.import_default_modules()
    prefixes = tuple(f"{config.name}." for config in project_app_configs())
    return {
        name: task
        for name, task in celery_app.tasks.items()
        if not name.startswith("celery.") and task.__module__.startswith(prefixes)
    }


def test_every_scheduled_task_exists():
    tasks = _portal_tasks()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in tasks


def test_every_portal_task_retries_transient_failures_with_back_off():
    tasks = _portal_tasks()
    assert tasks, "no task discovered"
    for name, task in tasks.items():
        assert OperationalError in task.autoretry_for, name
        assert task.retry_backoff, name
        assert task.acks_late, name


@pytest.mark.django_db
def test_the_daily_staff_task_starts_an_appointment_on_its_day_and_is_idempotent():
    start = timezone.localdate() - timedelta(days=3)
    appointment = appoint(start=start, today=start - timedelta(days=1))
    assert appointment.status == Appointment.Status.PROPOSED

    from apps.staff.tasks import refresh_statuses

    assert refresh_statuses.delay().get() == {"started": 1, "ended": 0}
    assert refresh_statuses.delay().get() == {"started": 0, "ended": 0}
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ACTIVE


@contextmanager
def real_worker(**extra_env):
    """A Celery worker process on a queue of its own (other developers' workers on the same
    Redis never take these tasks), against the test database; yields (queue, output), the
    worker's output filled in when it stops."""
    queue = f"zp-test-{uuid.uuid4().hex[:12]}"
    database = connection.settings_dict
    env = {
        **clean_environ(),
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
        "CELERY_QUEUE": queue,
        # The broker's keys as the test process writes them (the prefix names them) ...
        "REDIS_URL": settings.REDIS_URL,
        "REDIS_KEY_PREFIX": settings.REDIS_KEY_PREFIX,
        # ... but a cache of its own: what it caches from the test database (the figures its
        # writes' warm-up computes) must never reach the keys a portal on this machine reads.
        "CACHE_URL": "locmemcache://",
        **extra_env,
    }
    worker = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "zone_portal", "worker"),
            *("-Q", queue, "--pool", "solo", "--without-mingle", "--without-gossip"),
            *("--loglevel", "INFO", "--hostname", f"{queue}@localhost"),
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = False
    output = []
    try:
        yield queue, output, worker
    finally:
        current_app.conf.task_always_eager = eager
        worker.terminate()
        output.append(worker.communicate(timeout=30)[0])


def _wait(check, worker, seconds=90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and worker.poll() is None:
        if check():
            return True
        time.sleep(0.5)
    return check()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_takes_a_task_from_redis_and_runs_it_against_the_database():
    start = timezone.localdate() - timedelta(days=3)
    appointment = appoint(start=start, today=start - timedelta(days=1))
    with real_worker() as (queue, output, worker):
        from apps.staff.tasks import refresh_statuses

        refresh_statuses.apply_async(queue=queue)

        def started():
            appointment.refresh_from_db()
            return appointment.status == Appointment.Status.ACTIVE

        _wait(started, worker)
    assert appointment.status == Appointment.Status.ACTIVE, output
    assert "staff.refresh_statuses" in output[0] and "succeeded" in output[0], output


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_writes_a_background_export_the_user_then_downloads(
    client, user_of, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    user = user_of(Role.SERVICE, username="li")
    for number in range(3):
        DemandFactory(description=f"诉求{number}")
    job = BackgroundJob.objects.create(
        user=user,
        handler="apps.core.jobs.ListExport",
        kind=BackgroundJob.Kind.EXPORT,
        title="导出：诉求",
        params={"path": reverse("services:demand_list"), "query": ""},
    )
    with real_worker(MEDIA_ROOT=str(tmp_path)) as (queue, output, worker):
        run_job.apply_async(args=[str(job.pk)], queue=queue)

        def finished():
            job.refresh_from_db()
            return job.finished

        _wait(finished, worker)
    assert job.status == BackgroundJob.Status.SUCCEEDED, (job.message, job.error, output)
    assert (job.done, job.total) == (3, 3)
    assert "core.run_job" in output[0] and "succeeded" in output[0], output
    client.force_login(user)
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")
