import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Creation and last-change times, shared by every model of the portal."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class WorkflowEvent(models.Model):
    """One transition on an object's timeline: who did what, when, from which state to which,
    with what comment. Written only by apps.core.workflow.Workflow.perform. A concrete event
    model adds the foreign key to its object (and may give the fields choices)."""

    action = models.CharField(_("操作"), max_length=32)
    from_status = models.CharField(_("原状态"), max_length=32, blank=True)
    to_status = models.CharField(_("新状态"), max_length=32)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), db_index=True)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class Submission(models.Model):
    """A create form's one-time key (apps.core.views.form_page): the first submission with a
    key writes and records where it led; a repeat (a double tap, a reload of the browser's
    offline page) writes nothing and lands on that first result. The unique key makes a second
    request wait for the first one's transaction, so both can never write."""

    key = models.UUIDField(_("提交标识"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="+"
    )
    result_url = models.CharField(_("结果地址"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("表单提交")
        verbose_name_plural = _("表单提交")

    def __str__(self):
        return str(self.key)


# Python's str.split() whitespace that NFKC leaves as it is (the rest becomes a plain space).
_WHITESPACE_RE = "[\t\n\u000b\u000c\r\u001c-\u001f \u0085\u1680\u2028\u2029]+"


def normalized_name(field: str) -> models.Func:
    """What apps.core.validators.normalize_name does, in the database, of a
    column, for a check constraint that a stored name equals its normalised form."""
    from apps.core.validators import FORMAT_CHARACTERS_RE

    nfkc = models.Func(models.F(field), template="normalize(%(expressions)s, NFKC)")
    visible = models.Func(
        nfkc,
        models.Value(FORMAT_CHARACTERS_RE),
        models.Value(""),
        models.Value("g"),
        function="regexp_replace",
    )
    single_spaced = models.Func(
        visible,
        models.Value(_WHITESPACE_RE),
        models.Value(" "),
        models.Value("g"),
        function="regexp_replace",
    )
    return models.Func(
        single_spaced, models.Value(" "), function="btrim", output_field=models.CharField()
    )


class BackgroundJob(models.Model):
    """Work a page hands to a Celery task because it may take longer than a request should (a
    large Excel export, the monthly import's confirmation): the requesting user watches its
    progress on /jobs/<id>/ and, for an export, downloads the file there. Only that user sees
    the job; the permission is checked again at download (apps/core/jobs.py)."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("导出")
        IMPORT = "import", _("导入")

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("进行中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=200)
    # What runs it and decides who may see it: a dotted path to a JobHandler (apps/core/jobs.py).
    handler = models.CharField(_("处理程序"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.CASCADE,
        related_name="background_jobs",
    )
    params = models.JSONField(_("参数"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    done = models.PositiveIntegerField(_("已处理"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    message = models.CharField(_("结果说明"), max_length=500, blank=True)
    result_url = models.CharField(_("结果页面"), max_length=500, blank=True)
    file = models.CharField(_("文件"), max_length=300, blank=True)
    filename = models.CharField(_("下载文件名"), max_length=200, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(99, self.done * 100 // self.total)


class TaskFailure(models.Model):
    """A Celery task that failed for good (after its retries, or at once for an error that is
    not transient): recorded by the task_failure signal (apps/core/tasks.py) so that the
    administrator sees it in the admin and may run it again, once (重新执行)."""

    task = models.CharField(_("任务"), max_length=200, db_index=True)
    task_id = models.CharField(_("任务标识"), max_length=64, blank=True)
    args = models.JSONField(_("位置参数"), default=list, blank=True)
    kwargs = models.JSONField(_("关键字参数"), default=dict, blank=True)
    error = models.TextField(_("错误"))
    traceback = models.TextField(_("调用栈"), blank=True)
    failed_at = models.DateTimeField(_("失败时间"), auto_now_add=True, db_index=True)
    rerun_at = models.DateTimeField(_("重新执行时间"), null=True, blank=True)
    rerun_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("重新执行人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("任务失败")
        verbose_name_plural = _("任务失败")
        ordering = ["-failed_at"]

    def __str__(self):
        return f"{self.task} @ {self.failed_at:%Y-%m-%d %H:%M}" if self.failed_at else self.task


class CalendarDay(models.Model):
    """A day on which the State Council's yearly notice (国务院办公厅关于部分节假日安排的通知)
    departs from the week: a public holiday (法定节假日, including the weekend days inside a
    break) or a weekend day worked instead (调休上班). Every other Monday–Friday is a working day.
    Read through apps.core.dates (cached); written by apps.core.services and the fixture."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日")
        WORKDAY = "workday", _("调休上班")

    # The date is the key: loading next year's fixture again, or a corrected one, overwrites
    # the day instead of adding a second row for it.
    date = models.DateField(_("日期"), primary_key=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("节日"), max_length=32, help_text=_("如：国庆节、春节"))

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="holiday") | models.Q(date__iso_week_day__gte=6),
                name="core_calendarday_workday_on_weekend",
                violation_error_message=_("调休上班日只能是周六或周日"),
            ),
        ]

    def __str__(self):
        return f"{self.date.isoformat()} {self.name}（{self.get_kind_display()}）"
