"""The one way a task is declared: idempotent work, retried with exponential back-off when the
database or the broker is briefly away, acknowledged only after it ran (a worker that dies
mid-task leaves the message for another)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
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
