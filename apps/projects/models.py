"""项目台账: construction projects (在建项目), their annual plans, monthly reports (月报) with
photos, milestones (节点) and approvals (前期手续). The report and status state machines are
declared in services.py; the red/amber/green warning is derived in rag.py, never stored."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import Department
from apps.core.models import TimeStampedModel, WorkflowEvent
from apps.enterprises.models import ChainNode, Enterprise, IndustryChain, Park

AMOUNT = {"max_digits": 14, "decimal_places": 2}
# The statistics bureau registers fixed-asset projects from this total (万元) once started.
REGISTRATION_THRESHOLD = 500


def approval_kinds() -> list[tuple[str, str]]:
    """The 前期手续 a project may need (settings.PROJECTS_APPROVAL_KINDS, configurable)."""
    return list(settings.PROJECTS_APPROVAL_KINDS)


class Project(TimeStampedModel):
    """One construction project of the zone's ledger, followed by its liaison (联络员)."""

    class Level(models.TextChoices):
        PROVINCIAL = "provincial", _("省重点")
        CITY = "city", _("市重点")
        COUNTY = "county", _("县重点")
        GENERAL = "general", _("一般")

    class Status(models.TextChoices):
        PLANNING = "planning", _("谋划")
        PREPARING = "preparing", _("预备")
        CONSTRUCTING = "constructing", _("在建")
        COMPLETED = "completed", _("竣工")
        PRODUCING = "producing", _("投产")
        CAPACITY = "capacity", _("达产")
        HALTED = "halted", _("停缓建")

    NOT_STARTED = (Status.PLANNING, Status.PREPARING)
    STARTED = (Status.CONSTRUCTING, Status.COMPLETED, Status.PRODUCING, Status.CAPACITY)

    name = models.CharField(_("项目名称"), max_length=128)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("建设单位"), on_delete=models.PROTECT, related_name="projects"
    )
    investment_project = models.ForeignKey(
        "investment.Project",
        verbose_name=_("来源招商项目"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="construction_projects",
    )
    level = models.CharField(
        _("项目级别"), max_length=16, choices=Level.choices, default=Level.GENERAL, db_index=True
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PLANNING, db_index=True
    )
    # 停缓建: why, since when, and the state it resumes to.
    halt_reason = models.CharField(_("停缓建原因"), max_length=500, blank=True)
    halted_on = models.DateField(_("停缓建日期"), null=True, blank=True)
    resume_to = models.CharField(_("恢复至"), max_length=16, choices=Status.choices, blank=True)
    chain = models.ForeignKey(
        IndustryChain,
        verbose_name=_("产业链"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="construction_projects",
    )
    chain_node = models.ForeignKey(
        ChainNode,
        verbose_name=_("产业链环节"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="construction_projects",
    )
    park = models.ForeignKey(
        Park, verbose_name=_("所在园区"), on_delete=models.PROTECT, related_name="projects"
    )
    location = models.CharField(_("建设地点"), max_length=200, blank=True)
    content = models.TextField(_("建设内容及规模"), blank=True)
    capacity = models.CharField(_("新增能力"), max_length=200, blank=True)
    total_investment = models.DecimalField(_("总投资（万元）"), **AMOUNT)
    fund_own = models.DecimalField(_("企业自筹（万元）"), default=0, **AMOUNT)
    fund_loan = models.DecimalField(_("银行贷款（万元）"), default=0, **AMOUNT)
    fund_government = models.DecimalField(_("政府资金（万元）"), default=0, **AMOUNT)
    fund_other = models.DecimalField(_("其他资金（万元）"), default=0, **AMOUNT)
    start_year = models.PositiveSmallIntegerField(_("建设起始年"))
    end_year = models.PositiveSmallIntegerField(_("建设截止年"))
    planned_start = models.DateField(_("计划开工日期"))
    planned_completion = models.DateField(_("计划竣工日期"))
    actual_start = models.DateField(_("实际开工日期"), null=True, blank=True, db_index=True)
    actual_completion = models.DateField(_("实际竣工日期"), null=True, blank=True)
    # What was invested before the first monthly report kept here (an opening balance): the
    # ledger's 开工至上年底累计 is this plus the approved reports of earlier years.
    prior_investment = models.DecimalField(_("系统启用前累计完成（万元）"), default=0, **AMOUNT)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("包联领导"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_projects",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("联络员"),
        on_delete=models.PROTECT,
        related_name="liaison_projects",
    )
    owner_contact = models.CharField(_("业主联系人"), max_length=32, blank=True)
    owner_phone = models.CharField(_("业主联系电话"), max_length=32, blank=True)
    registered_on = models.DateField(_("入库纳统日期"), null=True, blank=True)
    # Every saved version (django-simple-history): the admin's history and the project page's
    # 停缓建 timeline (selectors.halt_spells) read it.
    history = HistoricalRecords()

    class Meta:
        ordering = ["park__sort_order", "id"]
        verbose_name = _("建设项目")
        verbose_name_plural = _("建设项目")
        constraints = [
            models.CheckConstraint(
                condition=Q(total_investment__gt=0),
                name="projects_project_total_positive",
                violation_error_message=_("总投资应大于0"),
            ),
            models.CheckConstraint(
                condition=Q(fund_own__gte=0)
                & Q(fund_loan__gte=0)
                & Q(fund_government__gte=0)
                & Q(fund_other__gte=0)
                & Q(prior_investment__gte=0),
                name="projects_project_amounts_not_negative",
                violation_error_message=_("资金来源和累计完成不能为负数"),
            ),
            models.CheckConstraint(
                condition=Q(
                    total_investment__gte=F("fund_own")
                    + F("fund_loan")
                    + F("fund_government")
                    + F("fund_other")
                ),
                name="projects_project_funds_within_total",
                violation_error_message=_("各项资金来源之和不能超过总投资"),
            ),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")) & Q(start_year__gte=1990),
                name="projects_project_years_ordered",
                violation_error_message=_("建设截止年不能早于起始年"),
            ),
            models.CheckConstraint(
                condition=Q(planned_completion__gte=F("planned_start")),
                name="projects_project_planned_dates_ordered",
                violation_error_message=_("计划竣工日期不能早于计划开工日期"),
            ),
            models.CheckConstraint(
                condition=Q(actual_completion__isnull=True)
                | (Q(actual_start__isnull=False) & Q(actual_completion__gte=F("actual_start"))),
                name="projects_project_actual_dates_ordered",
                violation_error_message=_("实际竣工日期须在实际开工日期之后"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["constructing", "completed", "producing", "capacity"])
                | Q(actual_start__isnull=False),
                name="projects_project_started_has_start_date",
                violation_error_message=_("已开工的项目须有实际开工日期"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["completed", "producing", "capacity"])
                | Q(actual_completion__isnull=False),
                name="projects_project_completed_has_date",
                violation_error_message=_("已竣工的项目须有实际竣工日期"),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="halted")
                    & ~Q(halt_reason="")
                    & Q(halted_on__isnull=False)
                    & ~Q(resume_to="")
                )
                | (~Q(status="halted") & Q(halted_on__isnull=True) & Q(resume_to="")),
                name="projects_project_halted_has_reason",
                violation_error_message=_("停缓建须说明原因"),
            ),
        ]
        indexes = [models.Index(fields=["liaison", "status"], name="projects_liaison_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.pk])

    @property
    def since_start(self):
        """开工至今累计 of a row annotated by selectors.with_ledger(): the opening balance and the
        approved reports of earlier years and of this year to the month (in Python: as a
        database expression it would repeat the earlier years' sum)."""
        return self.prior_investment + self.before_year + self.ytd

    @property
    def funds_total(self):
        return self.fund_own + self.fund_loan + self.fund_government + self.fund_other

    class Nature(models.TextChoices):
        """性质 in the ledger of a year, derived from the dates, never stored."""

        NEW = "new", _("新开工")
        CONTINUING = "continuing", _("续建")

    def nature_code(self, year: int) -> str:
        """新开工 if started in `year`; 续建 if started before it and unfinished at the end of
        the year before (an unfinished 在建 carries over); "" otherwise (not started by the
        year's end, or completed before it began). selectors.nature_q is the same rule in SQL."""
        start = self.actual_start
        if start is None or start.year > year:
            return ""
        if start.year == year:
            return self.Nature.NEW
        if self.actual_completion is not None and self.actual_completion.year < year:
            return ""
        return self.Nature.CONTINUING

    def nature(self, year: int | None = None) -> str:
        """性质 as the ledger shows it: 新开工, 续建, 未开工 or 已竣工."""
        year = year or timezone.localdate().year
        code = self.nature_code(year)
        if code:
            return str(self.Nature(code).label)
        if self.actual_start is None or self.actual_start.year > year:
            return str(_("未开工"))
        return str(_("已竣工"))

    @property
    def needs_registration(self) -> bool:
        """A 500万+ project whose main works started must be registered (入库纳统)."""
        return (
            self.total_investment >= REGISTRATION_THRESHOLD
            and self.actual_start is not None
            and self.registered_on is None
        )


class ProjectEvent(WorkflowEvent):
    """One status change of a project (services.PROJECT_WORKFLOW)."""

    class Action(models.TextChoices):
        CREATE = "create", _("登记")
        PREPARE = "prepare", _("转入预备")
        START = "start", _("开工")
        COMPLETE = "complete", _("竣工")
        PRODUCE = "produce", _("投产")
        REACH_CAPACITY = "reach_capacity", _("达产")
        HALT = "halt", _("停缓建")
        RESUME = "resume", _("恢复建设")

    action = models.CharField(_("操作"), max_length=32, choices=Action.choices)
    project = models.ForeignKey(
        Project, verbose_name=_("建设项目"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        _("原状态"), max_length=16, choices=Project.Status.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=16, choices=Project.Status.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("项目状态变更")
        verbose_name_plural = _("项目状态变更")


class AnnualPlan(TimeStampedModel):
    """A project's investment plan for one year, month by month when given (else even)."""

    project = models.ForeignKey(
        Project, verbose_name=_("建设项目"), on_delete=models.CASCADE, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    planned = models.DecimalField(_("年度计划投资（万元）"), **AMOUNT)
    is_key = models.BooleanField(_("年度重点项目"), default=False)
    # Twelve planned monthly amounts (万元) summing to `planned`, or empty: spread evenly.
    monthly = ArrayField(
        models.DecimalField(**AMOUNT), size=12, verbose_name=_("分月计划"), null=True, blank=True
    )

    class Meta:
        ordering = ["project_id", "year"]
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year"],
                name="projects_plan_one_per_year",
                violation_error_message=_("该项目本年度已有计划"),
            ),
            models.CheckConstraint(
                condition=Q(planned__gte=0) & Q(year__gte=1990) & Q(year__lte=2100),
                name="projects_plan_valid",
                violation_error_message=_("年度计划投资不能为负数"),
            ),
            models.CheckConstraint(
                condition=Q(monthly__isnull=True) | Q(monthly__len=12),
                name="projects_plan_twelve_months",
                violation_error_message=_("分月计划须有12个月"),
            ),
        ]

    def __str__(self):
        return f"{self.project} {self.year}"


class MonthlyReport(TimeStampedModel):
    """月报: one per project per month, written by the project's liaison, counted in every
    figure only once approved (已审核), and then locked."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        APPROVED = "approved", _("已审核")
        RETURNED = "returned", _("退回")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    project = models.ForeignKey(
        Project, verbose_name=_("建设项目"), on_delete=models.CASCADE, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    invested = models.DecimalField(_("本月完成投资（万元）"), **AMOUNT)
    progress = models.TextField(_("形象进度"), blank=True)
    next_plan = models.TextField(_("下月计划"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    return_reason = models.CharField(_("退回原因"), max_length=2000, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-year", "-month", "project_id"]
        verbose_name = _("项目月报")
        verbose_name_plural = _("项目月报")
        permissions = [("review_monthlyreport", _("可以审核项目月报"))]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"],
                name="projects_report_one_per_month",
                violation_error_message=_("该项目本月已有月报"),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12) & Q(year__gte=1990),
                name="projects_report_valid_month",
                violation_error_message=_("月份应在1至12之间"),
            ),
            models.CheckConstraint(
                condition=Q(invested__gte=0),
                name="projects_report_invested_not_negative",
                violation_error_message=_("本月完成投资不能为负数"),
            ),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | (Q(approved_at__isnull=False) & Q(approved_by__isnull=False)),
                name="projects_report_approved_has_reviewer",
                violation_error_message=_("已审核的月报须有审核人"),
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="projects_report_returned_has_reason",
                violation_error_message=_("退回须说明原因"),
            ),
        ]
        indexes = [
            models.Index(fields=["project", "status", "year", "month"], name="projects_report_idx"),
            # The report list's default order (Meta.ordering): its first page is a walk of this
            # index, not a sort of every report joined to its project and people.
            models.Index(fields=["-year", "-month", "project"], name="projects_report_order_idx"),
        ]

    def __str__(self):
        return f"{self.project} {self.year}-{self.month:02d}"

    def get_absolute_url(self):
        return reverse("projects:report_detail", args=[self.pk])

    @property
    def period_code(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class MonthlyReportEvent(WorkflowEvent):
    """One step of a monthly report (services.REPORT_WORKFLOW)."""

    class Action(models.TextChoices):
        CREATE = "create", _("填报")
        SUBMIT = "submit", _("提交")
        APPROVE = "approve", _("审核通过")
        RETURN = "return_report", _("退回")

    action = models.CharField(_("操作"), max_length=32, choices=Action.choices)
    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("项目月报"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        _("原状态"), max_length=16, choices=MonthlyReport.Status.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=16, choices=MonthlyReport.Status.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("月报流转记录")
        verbose_name_plural = _("月报流转记录")


def photo_path(instance, filename: str) -> str:
    # The stored name never comes from the user: a random one keeps paths unguessable.
    import uuid

    return f"projects/{instance.project_id}/{uuid.uuid4().hex}.{instance.file_extension}"


def thumbnail_path(instance, filename: str) -> str:
    import uuid

    return f"projects/{instance.project_id}/thumbs/{uuid.uuid4().hex}.jpg"


class ProjectPhoto(TimeStampedModel):
    """A photo of the physical progress (形象进度), uploaded with a monthly report. Served
    only through the portal's permission-checked view, never from a public URL."""

    project = models.ForeignKey(
        Project, verbose_name=_("建设项目"), on_delete=models.CASCADE, related_name="photos"
    )
    report = models.ForeignKey(
        MonthlyReport,
        verbose_name=_("项目月报"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    image = models.ImageField(_("照片"), upload_to=photo_path, max_length=200)
    thumbnail = models.ImageField(_("缩略图"), upload_to=thumbnail_path, max_length=200)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_extension = "jpg"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("形象进度照片")
        verbose_name_plural = _("形象进度照片")

    def __str__(self):
        return self.caption or self.image.name


class Milestone(TimeStampedModel):
    """节点: a dated step of the project; overdue is derived (≤ 7 days late amber, more red)."""

    project = models.ForeignKey(
        Project, verbose_name=_("建设项目"), on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(_("节点名称"), max_length=128)
    due_on = models.DateField(_("计划完成日期"))
    department = models.ForeignKey(
        Department,
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.CharField(_("责任人"), max_length=32, blank=True)
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)
    note = models.CharField(_("完成情况"), max_length=500, blank=True)

    class Meta:
        ordering = ["project_id", "due_on", "id"]
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        indexes = [models.Index(fields=["project", "done_on", "due_on"], name="projects_ms_idx")]

    def __str__(self):
        return self.name

    def days_late(self, day) -> int:
        """Days past due: of the done date when done, of `day` otherwise (0 when on time)."""
        end = self.done_on or day
        return max(0, (end - self.due_on).days)


class Approval(TimeStampedModel):
    """前期手续: one approval a project needs, planned and obtained; a missing one blocks
    nothing but shows among the project's open approvals."""

    project = models.ForeignKey(
        Project, verbose_name=_("建设项目"), on_delete=models.CASCADE, related_name="approvals"
    )
    kind = models.CharField(_("手续"), max_length=32)
    planned_on = models.DateField(_("计划办结日期"), null=True, blank=True)
    done_on = models.DateField(_("实际办结日期"), null=True, blank=True)
    document_no = models.CharField(_("文号"), max_length=64, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)

    class Meta:
        ordering = ["project_id", "id"]
        verbose_name = _("前期手续")
        verbose_name_plural = _("前期手续")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind"],
                name="projects_approval_one_per_kind",
                violation_error_message=_("该项目已登记此项手续"),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | (Q(done_on__isnull=False) & Q(valid_until__gte=F("done_on"))),
                name="projects_approval_validity_after_done",
                violation_error_message=_("有效期须在办结日期之后"),
            ),
        ]

    def __str__(self):
        return f"{self.project} · {self.kind_label}"

    @property
    def kind_label(self) -> str:
        return str(dict(approval_kinds()).get(self.kind, self.kind))


class ProjectMonthFigure(models.Model):
    """The approved figures of a project at the end of a month in which a report was approved:
    the month's investment, the year to date and the cumulative since the first report (the
    opening balance `prior_investment` is not in it). Derived from the approved reports and
    rebuilt by services.month_figures_rebuild() in the transaction that changes them, so the
    ledger reads one row per project instead of summing years of reports."""

    project = models.ForeignKey(
        Project, verbose_name=_("建设项目"), on_delete=models.CASCADE, related_name="month_figures"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    invested = models.DecimalField(_("本月完成投资（万元）"), **AMOUNT)
    ytd = models.DecimalField(_("年初至本月累计（万元）"), **AMOUNT)
    cumulative = models.DecimalField(_("开工至本月累计（万元）"), **AMOUNT)

    class Meta:
        ordering = ["project_id", "year", "month"]
        verbose_name = _("项目月度汇总")
        verbose_name_plural = _("项目月度汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"],
                name="projects_month_figure_one_per_month",
                violation_error_message=_("该项目本月已有汇总"),
            ),
        ]

    def __str__(self):
        return f"{self.project_id} {self.year}-{self.month:02d}"
