"""Background jobs' pages: only the user who asked sees a job; everyone else gets 404."""

from apps.accounts.roles import Role
from apps.core.models import BackgroundJob
from tests.access import Access

OWNER = frozenset({Role.SERVICE.value})


def _job(users):
    job = BackgroundJob.objects.create(
        user=users[Role.SERVICE.value],
        handler="apps.core.jobs.ListExport",
        kind=BackgroundJob.Kind.EXPORT,
        title="导出：诉求",
        params={"path": "/services/demands/", "query": ""},
    )
    return {"job_id": job.pk}


ACCESS = {
    "jobs:detail": Access(ok=OWNER, kwargs=_job, denied_status=404),
    "jobs:status": Access(ok=OWNER, kwargs=_job, denied_status=404),
    # Not finished yet: the owner is told the file is not ready (403), others see nothing.
    "jobs:download": Access(ok=OWNER, kwargs=_job, ok_status=403, denied_status=404),
}
