"""Background jobs (apps/core/jobs.py): a large list export runs as a task with a progress
page, the file is offered to the requesting user only, permission re-checked at download;
task failures are recorded for the administrator, who may run a task again once."""

import re
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.roles import Role
from apps.core import jobs
from apps.core.models import BackgroundJob, TaskFailure
from apps.core.task_admin import rerun
from apps.core.tasks import run_job
from tests.services.factories import DemandFactory

pytestmark = pytest.mark.django_db

LIST = "services:demand_list"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def officer(user_of, client):
    user = user_of(Role.SERVICE, username="li", full_name="李敏")
    client.force_login(user)
    return user


def _rows(content: bytes) -> list[tuple]:
    return list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))


def _export(client, settings, threshold, capture, **query):
    settings.EXPORT_BACKGROUND_THRESHOLD = threshold
    with capture(execute=True):
        return client.get(reverse(LIST), {"export": "xlsx", **query})


def test_a_large_export_runs_as_a_job_and_gives_the_same_workbook(
    client, officer, settings, django_capture_on_commit_callbacks
):
    for number in range(7):
        DemandFactory(description=f"诉求{number}")
    direct = _export(client, settings, 100, django_capture_on_commit_callbacks)
    assert direct["Content-Type"].startswith("application/vnd.openxmlformats")

    response = _export(client, settings, 5, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    job = BackgroundJob.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert (job.user, job.kind, job.status) == (officer, "export", "succeeded")
    assert (job.done, job.total) == (7, 7)

    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["finished"] and status["percent"] == 100
    assert status["download_url"] == reverse("jobs:download", args=[job.pk])
    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert _rows(b"".join(download.streaming_content)) == _rows(direct.content)


def test_the_job_follows_the_page_filters(
    client, officer, settings, django_capture_on_commit_callbacks
):
    for _number in range(3):
        DemandFactory(description="用电")
    DemandFactory(description="用水")
    _export(client, settings, 1, django_capture_on_commit_callbacks, q="用电")
    job = BackgroundJob.objects.get()
    assert job.total == 3
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert len(_rows(b"".join(download.streaming_content))) == 4  # the header and 3 rows


def test_the_progress_page_polls_with_a_static_script_and_no_inline_one(
    client, officer, settings, django_capture_on_commit_callbacks
):
    DemandFactory()
    DemandFactory()
    settings.EXPORT_BACKGROUND_THRESHOLD = 1
    # Not run yet (no commit): the page shows the job waiting.
    response = client.get(reverse(LIST), {"export": "xlsx"}, follow=True)
    page = response.content.decode()
    assert "排队中" in page
    assert 'data-status-url="/jobs/' in page
    assert "js/jobs.js" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    job = BackgroundJob.objects.get()
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["download_url"] == ""
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 403


def test_someone_else_never_sees_the_job(
    client, officer, user_of, settings, django_capture_on_commit_callbacks
):
    DemandFactory()
    DemandFactory()
    _export(client, settings, 1, django_capture_on_commit_callbacks)
    job = BackgroundJob.objects.get()
    colleague = user_of(Role.SERVICE, username="colleague")
    client.force_login(colleague)
    for name in ("jobs:detail", "jobs:status", "jobs:download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404, name


def test_the_permission_is_checked_again_at_download(
    client, officer, settings, django_capture_on_commit_callbacks
):
    DemandFactory()
    DemandFactory()
    _export(client, settings, 1, django_capture_on_commit_callbacks)
    job = BackgroundJob.objects.get()
    officer.groups.set([Group.objects.get(name=Role.HR)])
    officer = type(officer).objects.get(pk=officer.pk)  # no cached permissions
    client.force_login(officer)
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 403
    assert "权限" in response.content.decode()


def test_a_job_runs_once_and_a_finished_one_is_left_alone(
    client, officer, settings, django_capture_on_commit_callbacks
):
    DemandFactory()
    DemandFactory()
    _export(client, settings, 1, django_capture_on_commit_callbacks)
    job = BackgroundJob.objects.get()
    finished_at = job.finished_at
    assert run_job.delay(str(job.pk)).get() == "succeeded"
    job.refresh_from_db()
    assert job.finished_at == finished_at


class Broken(jobs.JobHandler):
    calls = 0

    @classmethod
    def allowed(cls, job, user):
        return True

    @classmethod
    def run(cls, job, progress):
        cls.calls += 1
        if cls.calls == 1:
            raise RuntimeError("disk full")
        job.message = "ok"


def test_a_failed_task_is_recorded_and_may_be_run_again_once(
    officer, user_of, django_capture_on_commit_callbacks
):
    job = BackgroundJob.objects.create(
        user=officer, handler=f"{__name__}.Broken", kind="export", title="t"
    )
    # As a worker runs it (eager tests otherwise re-raise before Celery's failure signal).
    result = run_job.apply(args=[str(job.pk)], throw=False)
    assert result.state == "FAILURE"
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.message == "任务执行出错，管理员已收到记录"
    assert "disk full" in job.error
    failure = TaskFailure.objects.get()
    assert failure.task == "core.run_job"
    assert failure.args == [str(job.pk)]
    assert "RuntimeError('disk full')" in failure.error
    assert "Traceback" in failure.traceback

    admin = user_of(Role.ADMIN, username="zhou")
    with django_capture_on_commit_callbacks(execute=True):
        assert rerun(failure, by=admin) is True
    job.refresh_from_db()
    assert (job.status, job.message) == ("succeeded", "ok")
    # Once only: a second click (or a second administrator) sends nothing.
    with django_capture_on_commit_callbacks(execute=True) as sent:
        assert rerun(failure, by=admin) is False
    assert sent == []
    failure.refresh_from_db()
    assert failure.rerun_by == admin


def test_the_admin_lists_failures_and_offers_the_rerun_action(client, user_of):
    TaskFailure.objects.create(task="services.remind_due_demands", error="boom", traceback="tb")
    admin = user_of(Role.ADMIN, username="zhou", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(reverse("admin:core_taskfailure_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "services.remind_due_demands" in page
    assert "rerun_selected" in page
    assert client.get(reverse("admin:core_backgroundjob_changelist")).status_code == 200
