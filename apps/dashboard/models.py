from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel, WorkflowEvent


class Target(TimeStampedModel):
    """A year's target (年度目标) for one figure of the registry, or, with a month, the
    cumulative target by the end of that month (the monthly split that 序时 is judged against),
    or, with a department, that department's own target (see apps/dashboard/splits.py for
    which indicators may be split, and by what). A 招商 team's targets are not here: they are
    investment.AnnualTarget's."""

    indicator = models.CharField(_("指标"), max_length=64)
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("截至月份"), null=True, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("责任部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    value = models.DecimalField(_("目标值"), max_digits=16, decimal_places=4)

    class Meta:
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        ordering = ["-year", "indicator", "month"]
        permissions = [
            ("view_dashboard", _("查看领导驾驶舱")),
            ("view_investment_figures", _("查看全区招商指标")),
            ("view_area_dashboard", _("查看本部门驾驶舱")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "month", "department"],
                nulls_distinct=False,
                name="dashboard_target_unique",
                violation_error_message=_("该指标该年度（月份、部门）的目标已存在"),
            ),
            models.CheckConstraint(
                condition=Q(department__isnull=True) | Q(month__isnull=True),
                name="dashboard_target_one_split",
                violation_error_message=_("目标只能按月份或部门中的一种分解"),
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="dashboard_target_month_range",
                violation_error_message=_("月份应在1到12之间"),
            ),
            models.CheckConstraint(
                condition=Q(value__gt=0),
                name="dashboard_target_value_positive",
                violation_error_message=_("目标值应大于0"),
            ),
        ]

    def __str__(self):
        month = f"-{self.month:02d}" if self.month else ""
        group = self.department_id and f" D{self.department_id}" or ""
        return f"{self.indicator} {self.year}{month}{group}"


class Briefing(TimeStampedModel):
    """A monthly briefing (月度工作简报). A draft is written from live data each time it is read
    (only its narrative is stored: each part's text, the problems the data do not show, 下步工作
    and the 位次); issuing freezes it: the numbers and text as issued
    (`snapshot`, each number with the figure code and period it came from) and the .docx
    (`document`), which later data corrections never change."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        REVIEWED = "reviewed", _("已审核")
        ISSUED = "issued", _("已印发")

    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    issue_no = models.PositiveSmallIntegerField(_("期号"), help_text=_("当年第几期"))
    title = models.CharField(_("标题"), max_length=128)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    next_steps = models.TextField(_("下步工作"), blank=True)
    problems_note = models.TextField(
        _("存在问题（补充）"), blank=True, help_text=_("附在由数据生成的问题之后")
    )
    narratives = models.JSONField(
        _("各部分说明"),
        default=dict,
        blank=True,
        help_text=_("附在各部分数字之后的文字，{部分代码: 文字}，由经济发展局撰写"),
    )
    ranks = models.JSONField(
        _("位次"),
        default=dict,
        blank=True,
        help_text=_("各指标在全市开发区中的位次，{指标代码: 名次}，由经济发展局填写"),
    )
    snapshot = models.JSONField(_("印发时的内容"), null=True, blank=True, editable=False)
    document = models.BinaryField(_("印发文件"), null=True, blank=True, editable=False)
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("月度简报")
        verbose_name_plural = _("月度简报")
        ordering = ["-year", "-month", "-issue_no"]
        permissions = [
            ("review_briefing", _("审核月度简报")),
            ("issue_briefing", _("印发月度简报")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "issue_no"],
                name="dashboard_briefing_issue_unique",
                violation_error_message=_("该年度已有此期号的简报"),
            ),
            models.UniqueConstraint(
                fields=["year", "month"],
                name="dashboard_briefing_month_unique",
                violation_error_message=_("该月份的简报已存在"),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="dashboard_briefing_month_range",
                violation_error_message=_("月份应在1到12之间"),
            ),
            models.CheckConstraint(
                condition=~Q(status="issued")
                | Q(snapshot__isnull=False, document__isnull=False, issued_at__isnull=False),
                name="dashboard_briefing_issued_is_frozen",
                violation_error_message=_("已印发的简报须保存印发时的内容和文件"),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def period_code(self) -> str:
        return f"{self.year}-{self.month:02d}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("dashboard:briefing_detail", args=[self.pk])


class BriefingEvent(WorkflowEvent):
    class Action(models.TextChoices):
        REVIEW = "review", _("审核通过")
        RETURN = "return", _("退回修改")
        ISSUE = "issue", _("印发")

    action = models.CharField(_("操作"), max_length=32, choices=Action.choices)
    from_status = models.CharField(
        _("原状态"), max_length=32, choices=Briefing.Status.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=32, choices=Briefing.Status.choices)
    briefing = models.ForeignKey(
        Briefing, verbose_name=_("月度简报"), on_delete=models.CASCADE, related_name="events"
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("简报流转记录")
        verbose_name_plural = _("简报流转记录")
