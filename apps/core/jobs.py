"""Background jobs: work a page hands to Celery, with a progress page for the user who asked.

A page calls ``start(...)`` with a JobHandler (a dotted path, so that the worker finds it
without the page's modules) and redirects to ``job.get_absolute_url()``: /jobs/<id>/ shows a
progress bar that ``static/js/jobs.js`` updates from /jobs/<id>/status/ (JSON), and offers the
file (an export) or the result page (an import) when done. The job belongs to the user who
asked: anyone else gets 404 on every address of it, and the handler's permission is checked
again when the task runs and at download (a role withdrawn meanwhile gets nothing).

Two handlers so far: ``ListExport`` (a list page's ``?export=xlsx`` above
``EXPORT_BACKGROUND_THRESHOLD`` rows, written by the same code as the page's own export) and
the monthly import's confirmation (apps/enterprises/imports.py ``MonthlyImportJob``).
"""

import traceback
from collections.abc import Callable, Iterable
from typing import Protocol

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from apps.core.errors import NotAllowed
from apps.core.excel import XLSX_CONTENT_TYPE, write_workbook
from apps.core.models import BackgroundJob

# Progress is written every this many rows (one UPDATE each).
PROGRESS_EVERY = 500


def export_threshold() -> int:
    return getattr(settings, "EXPORT_BACKGROUND_THRESHOLD", 5000)


class JobHandler(Protocol):
    """What a kind of job does (an interface: each handler declares both class methods).
    ``allowed`` is asked when the task starts and at download;
    ``run`` does the work, calling ``progress(done, total)``, and fills the job's result
    fields (file, filename, message, result_url) without saving. A ValidationError is the
    user's reason for a failure; any other error is a fault (recorded as a TaskFailure)."""

    @classmethod
    def allowed(cls, job: BackgroundJob, user) -> bool: ...

    @classmethod
    def run(cls, job: BackgroundJob, progress: Callable[[int, int], None]) -> None: ...


def start(*, user, handler: str, kind: str, title: str, params: dict) -> BackgroundJob:
    """Record a job and send its task once the surrounding transaction commits."""
    from apps.core.tasks import run_job

    job = BackgroundJob.objects.create(
        user=user, handler=handler, kind=kind, title=title[:200], params=params
    )
    transaction.on_commit(lambda: run_job.delay(str(job.pk)))
    return job


def job_url(job: BackgroundJob) -> str:
    return reverse("jobs:detail", args=[job.pk])


def _set_progress(job: BackgroundJob, done: int, total: int) -> None:
    job.done, job.total = done, total
    BackgroundJob.objects.filter(pk=job.pk).update(done=done, total=total)


def execute(job_id) -> str:
    """The task's body (apps.core.tasks.run_job): runs a pending job once. Returns the status."""
    with transaction.atomic():
        job = BackgroundJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return job.status if job else "missing"
        job.status = BackgroundJob.Status.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])
    handler = import_string(job.handler)
    user = job.user
    if not user.is_active or not handler.allowed(job, user):
        return _fail(job, _("您已没有执行该任务的权限"))
    try:
        # Not in one transaction: the progress must be seen while it runs. A handler's write
        # is its service's own transaction, and running it again changes nothing more.
        handler.run(job, lambda done, total: _set_progress(job, done, total))
        job.status = BackgroundJob.Status.SUCCEEDED
        job.finished_at = timezone.now()
        job.save()
    except ValidationError as error:
        return _fail(job, " ".join(error.messages))
    except Exception as error:
        from apps.core.tasks import TRANSIENT_ERRORS

        if isinstance(error, TRANSIENT_ERRORS):
            # Retried by the task with back-off: the job waits again.
            BackgroundJob.objects.filter(pk=job.pk).update(status=BackgroundJob.Status.PENDING)
            raise
        _fail(
            job,
            _("任务执行出错，管理员已收到记录"),
            detail=f"{error!r}\n{traceback.format_exc()}",
        )
        raise
    return job.status


def _fail(job: BackgroundJob, message: str, detail: str = "") -> str:
    job.status = BackgroundJob.Status.FAILED
    job.message = message[:500]
    job.error = detail
    job.finished_at = timezone.now()
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=job.status, message=job.message, error=detail, finished_at=job.finished_at
    )
    return job.status


def prepare_rerun(job_id, *args, **kwargs) -> None:
    """Before the administrator runs a failed job's task again: the job waits again."""
    BackgroundJob.objects.filter(pk=job_id, status=BackgroundJob.Status.FAILED).update(
        status=BackgroundJob.Status.PENDING, message="", error="", done=0, finished_at=None
    )


# --- A list page's export ------------------------------------------------------------------


def start_export(request, view) -> BackgroundJob:
    """A ListPage's ``?export=xlsx`` too large for a request: the same view, rebuilt in the
    worker from the page's address and query, writes the same workbook."""
    query = request.GET.copy()
    query.pop("page", None)
    return start(
        user=request.user,
        handler="apps.core.jobs.ListExport",
        kind=BackgroundJob.Kind.EXPORT,
        title=_("导出：%(title)s") % {"title": view.title or view.export_filename},
        params={"path": request.path, "query": query.urlencode()},
    )


def list_view_for(job: BackgroundJob, user):
    """The list page of an export job, set up for ``user`` as if they had asked again."""
    path, query = job.params["path"], job.params.get("query", "")
    match = resolve(path)
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(query)
    request.META = {"SERVER_NAME": "localhost", "SERVER_PORT": "80", "QUERY_STRING": query}
    request.user = user
    view = match.func.view_class(**getattr(match.func, "view_initkwargs", {}))
    view.setup(request, *match.args, **match.kwargs)
    return view


def _counted(rows: Iterable, total: int, progress) -> Iterable:
    progress(0, total)
    iterator = rows.iterator(chunk_size=2000) if isinstance(rows, QuerySet) else rows
    done = 0
    for done, row in enumerate(iterator, start=1):
        yield row
        if done % PROGRESS_EVERY == 0:
            progress(done, total)
    progress(done, total)


class ListExport(JobHandler):
    @classmethod
    def allowed(cls, job, user) -> bool:
        try:
            return list_view_for(job, user).has_permission()
        except Exception:  # the page no longer exists, or refuses this user outright
            return False

    @classmethod
    def run(cls, job, progress) -> None:
        view = list_view_for(job, job.user)
        filterset = view.get_filterset()
        if filterset.is_bound and not filterset.is_valid():
            raise ValidationError(_("筛选条件有误，请回到列表页修改后重新导出"))
        # The rows first (as the page does): a list inside one object names the file after it.
        rows = view.export_rows()
        total = rows.count() if isinstance(rows, QuerySet) else len(rows)
        stream = write_workbook(
            sheet_title=view.export_sheet_title,
            columns=view.get_columns(),
            rows=_counted(rows, total, progress),
        )
        name = f"jobs/{job.pk}.xlsx"
        if default_storage.exists(name):
            default_storage.delete(name)
        job.file = default_storage.save(name, ContentFile(stream.getvalue()))
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        job.filename = f"{view.export_filename}-{stamp}.xlsx"
        job.message = _("共导出 %(count)d 行") % {"count": total}
        job.result_url = f"{job.params['path']}?{job.params.get('query', '')}".rstrip("?")


# --- Pages -----------------------------------------------------------------------------------


def _own_job(request, job_id) -> BackgroundJob:
    # Someone else's job does not exist for this user (404, not 403: nothing to learn).
    return get_object_or_404(BackgroundJob, pk=job_id, user=request.user)


@login_required
def detail(request, job_id):
    job = _own_job(request, job_id)
    return render(request, "core/job.html", {"job": job, "status": status_data(job)})


def status_data(job: BackgroundJob) -> dict:
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "finished": job.finished,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "download_url": (
            reverse("jobs:download", args=[job.pk])
            if job.status == BackgroundJob.Status.SUCCEEDED and job.file
            else ""
        ),
        "result_url": job.result_url if job.status == BackgroundJob.Status.SUCCEEDED else "",
    }


@login_required
def status(request, job_id):
    return JsonResponse(status_data(_own_job(request, job_id)))


@login_required
def download(request, job_id):
    job = _own_job(request, job_id)
    if job.status != BackgroundJob.Status.SUCCEEDED or not job.file:
        raise NotAllowed(_("文件尚未生成"))
    if not import_string(job.handler).allowed(job, request.user):
        raise NotAllowed(_("您已没有下载该文件的权限"))
    return FileResponse(
        default_storage.open(job.file, "rb"),
        as_attachment=True,
        filename=job.filename or f"{job.pk}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
