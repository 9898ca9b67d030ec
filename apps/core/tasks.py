"""The one way a task is declared: idempotent work, retried with exponential back-off when the
database or the broker is briefly away, acknowledged only after it ran (a worker that dies
mid-task leaves the message for another)."""

import contextlib

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction
from redis.exceptions import ConnectionError as RedisConnectionError

# Errors that mean "try again later", never "this input is wrong".
TRANSIENT_ERRORS = (OperationalError, InterfaceError, RedisConnectionError, ConnectionError)


def portal_task(*args, **options):
    """`@portal_task` or `@portal_task(name=...)`: a shared task with the portal's retry policy.
    Every task so declared must be idempotent: running it twice changes nothing more."""
    options.setdefault("autoretry_for", TRANSIENT_ERRORS)
    options.setdefault("retry_backoff", 30)
    options.setdefault("retry_backoff_max", 30 * 60)
    options.setdefault("retry_jitter", True)
    options.setdefault("max_retries", 8)
    options.setdefault("acks_late", True)
    if len(args) == 1 and callable(args[0]):
        return shared_task(**options)(args[0])
    return shared_task(**options)


@portal_task(name="core.forget_old_submissions")
def forget_old_submissions(days: int = 7) -> int:
    """One-time form keys are needed for the minutes a double tap or a reload takes; a week on,
    they are only rows."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.core.models import Submission

    deleted, _ = Submission.objects.filter(
        created_at__lt=timezone.now() - timedelta(days=days)
    ).delete()
    return deleted


@portal_task(name="core.run_job")
def run_job(job_id: str) -> str:
    """A background job (apps/core/jobs.py): an export or an import the user watches. Runs a
    pending job once; a job already finished is left as it is."""
    from apps.core.jobs import execute

    return execute(job_id)


def _rerun_job(job_id: str, *args, **kwargs) -> None:
    from apps.core.jobs import prepare_rerun

    prepare_rerun(job_id)


# Called by the admin's 重新执行 before the task is sent again (apps/core/task_admin.py).
run_job.before_rerun = _rerun_job


def record_failure(*, task_name: str, task_id: str, args, kwargs, exception, tb: str) -> None:
    """A task failed for good: one TaskFailure row for the administrator. Never raises (the
    database may be what failed)."""
    import json

    from apps.core.models import TaskFailure

    def _json(value, default):
        try:
            return json.loads(json.dumps(value, default=str))
        except (TypeError, ValueError):
            return default

    # A savepoint: a failed insert must not break a surrounding transaction (eager tasks).
    with contextlib.suppress(Exception), transaction.atomic():
        TaskFailure.objects.create(
            task=task_name[:200],
            task_id=(task_id or "")[:64],
            args=_json(list(args or []), []),
            kwargs=_json(dict(kwargs or {}), {}),
            error=repr(exception)[:2000],
            traceback=tb,
        )
