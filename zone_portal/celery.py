"""The Celery application: Redis is the broker, Django's settings (CELERY_*) configure it.

Workers and beat run with `celery -A zone_portal worker` / `celery -A zone_portal beat`; `make run`
starts both through the Procfile. Tasks live in each app's `tasks.py` and are discovered here.
"""

import logging
import os
import traceback

from celery import Celery
from celery.signals import task_failure

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zone_portal.settings")

app = Celery("zone_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger("zone_portal.tasks")


@task_failure.connect
def log_task_failure(sender=None, task_id=None, exception=None, args=None, kwargs=None, **extra):
    # At ERROR on "zone_portal.tasks": the worker's terminal shows it and, in production,
    # ADMIN_EMAILS receive it (see LOGGING). Retries of transient errors are not failures.
    name = getattr(sender, "name", str(sender))
    logger.error(
        "task %s[%s] failed: %r",
        name,
        task_id,
        exception,
        exc_info=(type(exception), exception, exception.__traceback__) if exception else None,
    )
    # And a row the administrator sees in the admin (任务失败), with a once-only 重新执行.
    from apps.core.tasks import record_failure

    record_failure(
        task_name=name,
        task_id=task_id,
        args=args,
        kwargs=kwargs,
        exception=exception,
        tb="".join(traceback.format_exception(exception)) if exception else "",
    )
