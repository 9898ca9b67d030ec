"""Celery: the schedule, the retry policy, and one real worker against the real Redis."""

import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from celery import current_app
from django.conf import settings
from django.db import OperationalError, connection
from django.utils import timezone

from apps.core.registry import project_app_configs
from apps.staff.models import Appointment
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


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_takes_a_task_from_redis_and_runs_it_against_the_database():
    start = timezone.localdate() - timedelta(days=3)
    appointment = appoint(start=start, today=start - timedelta(days=1))
    # A queue of its own: other developers' workers on the same Redis never take this task.
    queue = f"zp-test-{uuid.uuid4().hex[:12]}"
    database = connection.settings_dict
    env = {
        **clean_environ(),
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
        "CELERY_QUEUE": queue,
        "REDIS_URL": settings.REDIS_URL,
        "REDIS_KEY_PREFIX": settings.REDIS_KEY_PREFIX,
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
    try:
        from apps.staff.tasks import refresh_statuses

        refresh_statuses.apply_async(queue=queue)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and worker.poll() is None:
            appointment.refresh_from_db()
            if appointment.status == Appointment.Status.ACTIVE:
                break
            time.sleep(0.5)
    finally:
        current_app.conf.task_always_eager = eager
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
    assert appointment.status == Appointment.Status.ACTIVE, output
    assert "staff.refresh_statuses" in output and "succeeded" in output, output
