"""Enterprise service: visits (走访), demands (诉求, the one ticket model for every problem an
enterprise or a project has), bank matchmaking (政银企对接) and policy applications (惠企政策申报).

Workflows (state changes) live in services.py; these models hold data and invariants only.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import Department
from apps.core.dates import YEAR_MAX, YEAR_MIN
from apps.core.models import TimeStampedModel, WorkflowEvent
from apps.core.search import trigram_index
from apps.core.validators import normalize_name_fields
from apps.enterprises.models import Enterprise, QualificationType

# --- Visits and demands ---------------------------------------------------------------------


class Visit(TimeStampedModel):
    """A visit (or call, or meeting) by committee staff to one enterprise."""

    class Method(models.TextChoices):
        ON_SITE = "on_site", _("上门走访")
        PHONE = "phone", _("电话")
        MEETING = "meeting", _("座谈会")
        ONLINE = "online", _("线上")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("走访日期"), db_index=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("走访人员"), related_name="visits"
    )
    method = models.CharField(
        _("走访方式"), max_length=16, choices=Method.choices, default=Method.ON_SITE
    )
    purpose = models.CharField(_("走访目的"), max_length=200)
    findings = models.TextField(_("走访情况"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(m2m_fields=[staff])

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        indexes = [
            models.Index(fields=["enterprise", "-visited_on"], name="visit_enterprise_idx"),
            # The list's default order: a deep page reads the keys from here (apps.core.pagination).
            models.Index(fields=["-visited_on", "-id"], name="visit_order_idx"),
            trigram_index("purpose", name="visit_purpose_trgm"),
            trigram_index("findings", name="visit_findings_trgm"),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.visited_on:%Y-%m-%d}"


class DemandCategory(TimeStampedModel):
    """A kind of demand, with the time limit that sets a new demand's deadline and the
    department it goes to by default (reference data in fixtures/services_categories.json)."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)
    time_limit_days = models.PositiveSmallIntegerField(_("办理时限（天）"))
    default_department = models.ForeignKey(
        Department,
        verbose_name=_("默认责任部门"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        constraints = [
            models.CheckConstraint(
                condition=Q(time_limit_days__gte=1),
                name="demand_category_time_limit_positive",
                violation_error_message=_("办理时限至少为 1 天"),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        normalize_name_fields(self, "name")


class Demand(TimeStampedModel):
    """One problem an enterprise (or a project under construction) needs solved, handled in a
    closed loop: 待受理 → 办理中 → 已办结 → 已回访. Overdue and escalation are derived from the
    deadline by the selectors, never stored."""

    class Source(models.TextChoices):
        VISIT = "visit", _("走访")
        PHONE = "phone", _("电话")
        SELF_REPORTED = "self_reported", _("企业自报")
        PROJECT = "project", _("项目推进")

    class Status(models.TextChoices):
        PENDING = "pending", _("待受理")
        IN_PROGRESS = "in_progress", _("办理中")
        CLOSED = "closed", _("已办结")
        FOLLOWED_UP = "followed_up", _("已回访")
        RETURNED = "returned", _("退回")

    class Priority(models.TextChoices):
        NORMAL = "normal", _("一般")
        HIGH = "high", _("紧急")
        CRITICAL = "critical", _("特急")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY = "basically", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")

    # Statuses in which the responsible department still owes the enterprise an answer.
    OPEN_STATUSES = (Status.PENDING, Status.IN_PROGRESS)
    DONE_STATUSES = (Status.CLOSED, Status.FOLLOWED_UP)

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="demands"
    )
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("来源走访"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demands",
    )
    # A problem of a project under construction (项目推进): the project's page lists it.
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("所属项目"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demands",
    )
    category = models.ForeignKey(
        DemandCategory, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="demands"
    )
    description = models.TextField(_("诉求内容"))
    department = models.ForeignKey(
        Department,
        verbose_name=_("责任部门"),
        on_delete=models.PROTECT,
        related_name="demands",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_demands",
    )
    priority = models.CharField(
        _("优先级"), max_length=16, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    raised_on = models.DateField(_("提出日期"), db_index=True)
    deadline = models.DateField(_("办理期限"), db_index=True)
    resolution = models.TextField(_("办理结果"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_on", "-id"]
        verbose_name = _("诉求")
        permissions = [("instruct_demand", _("可以对诉求作出批示"))]
        verbose_name_plural = _("诉求")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=F("raised_on")),
                name="demand_deadline_after_raised",
                violation_error_message=_("办理期限不能早于提出日期"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["closed", "followed_up"])
                | (Q(closed_on__isnull=False) & ~Q(resolution="")),
                name="demand_closed_has_resolution",
                violation_error_message=_("已办结的诉求须有办理结果和办结日期"),
            ),
            models.CheckConstraint(
                condition=Q(status="followed_up", satisfaction__in=["satisfied", "basically"])
                | (~Q(status="followed_up") & Q(satisfaction="")),
                name="demand_satisfaction_iff_followed_up",
                violation_error_message=_("已回访的诉求须有满意评价，其他状态不应有"),
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=True) | Q(source="project"),
                name="demand_project_source_is_project",
                violation_error_message=_("关联项目的诉求来源须为“项目推进”"),
            ),
            models.CheckConstraint(
                condition=~Q(source="visit") | Q(visit__isnull=False),
                name="demand_visit_source_has_visit",
                violation_error_message=_("来源为走访的诉求须关联走访记录"),
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status", "deadline"], name="demand_inbox_idx"),
            models.Index(fields=["assignee", "status"], name="demand_assignee_idx"),
            models.Index(fields=["enterprise", "-raised_on"], name="demand_enterprise_idx"),
            models.Index(fields=["-raised_on", "-id"], name="demand_order_idx"),
            # The outcomes of a period (selectors.outcome_figures) read only this index: the
            # demands raised in the period with what the counts and the median need.
            # A department's open demands by deadline (the inbox's boxes, overdue first of
            # all): read in order, without the closed ones.
            models.Index(
                fields=["department", "deadline", "id"],
                condition=Q(status__in=["pending", "in_progress"]),
                name="demand_open_deadline_idx",
            ),
            models.Index(
                fields=["raised_on"],
                include=["id", "status", "category", "satisfaction", "closed_on"],
                name="demand_outcome_idx",
            ),
            trigram_index("description", name="demand_description_trgm"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.enterprise} · {self.category}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class DemandEvent(models.Model):
    """One transition of a demand, or a leader's instruction on it: who did what, when, with
    what comment. Written only by the services, one row each; the demand's timeline."""

    class Action(models.TextChoices):
        CREATE = "create", _("登记")
        ACCEPT = "accept", _("受理")
        CLOSE = "close", _("办结")
        FOLLOW_UP = "follow_up", _("回访")
        REOPEN = "reopen", _("回访不满意，重新办理")
        RETURN = "return", _("退回")
        REASSIGN = "reassign", _("转办")
        # The leadership's instruction (批示): written on the timeline, the status unchanged.
        INSTRUCT = "instruct", _("批示")

    demand = models.ForeignKey(
        Demand, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    from_status = models.CharField(
        _("原状态"), max_length=16, choices=Demand.Status.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=16, choices=Demand.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT
    )
    at = models.DateTimeField(_("时间"), db_index=True)
    comment = models.TextField(_("说明"), blank=True)
    # The follow-up's verdict, kept on the event because 不满意 reopens the demand.
    satisfaction = models.CharField(
        _("满意度"), max_length=16, choices=Demand.Satisfaction.choices, blank=True
    )

    class Meta:
        ordering = ["demand_id", "at", "id"]
        verbose_name = _("诉求流转记录")
        verbose_name_plural = _("诉求流转记录")

    def __str__(self):
        return f"{self.demand_id} {self.get_action_display()}"


# --- Government–bank–enterprise matchmaking -------------------------------------------------


class FinancialInstitution(TimeStampedModel):
    """A bank or other lender taking part in matchmaking (reference data)."""

    class Kind(models.TextChoices):
        BANK = "bank", _("银行")
        GUARANTEE = "guarantee", _("担保机构")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=64, unique=True)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.BANK)
    contact_person = models.CharField(_("联系人"), max_length=32, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("金融机构")
        verbose_name_plural = _("金融机构")

    def __str__(self):
        return self.short_name or self.name

    def clean(self):
        normalize_name_fields(self, "name")


class MatchmakingMeeting(TimeStampedModel):
    """A 政银企对接会: institutions and enterprises brought together by an organiser."""

    title = models.CharField(_("会议名称"), max_length=128)
    held_on = models.DateField(_("日期"))
    organiser = models.CharField(_("组织单位"), max_length=64, default="县金融工作局")
    location = models.CharField(_("地点"), max_length=128, blank=True)
    institutions = models.ManyToManyField(
        FinancialInstitution, verbose_name=_("参会金融机构"), related_name="meetings", blank=True
    )
    enterprises = models.ManyToManyField(
        Enterprise, verbose_name=_("参会企业"), related_name="matchmaking_meetings", blank=True
    )
    notes = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords(m2m_fields=[institutions, enterprises])

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("政银企对接会")
        verbose_name_plural = _("政银企对接会")
        constraints = [
            models.UniqueConstraint(
                fields=["title", "held_on"],
                name="matchmaking_meeting_unique",
                violation_error_message=_("同一天已有同名对接会"),
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.held_on:%Y-%m-%d}）"

    def clean(self):
        normalize_name_fields(self, "title")


class FinancingNeed(TimeStampedModel):
    """What an enterprise wants to borrow and why."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="financing_needs",
    )
    amount = models.DecimalField(_("融资需求（万元）"), max_digits=12, decimal_places=2)
    purpose = models.CharField(_("用途"), max_length=200)
    raised_on = models.DateField(_("提出日期"))
    meeting = models.ForeignKey(
        MatchmakingMeeting,
        verbose_name=_("对接会"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="financing_needs",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_on", "-id"]
        verbose_name = _("融资需求")
        verbose_name_plural = _("融资需求")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="financing_need_amount_positive",
                violation_error_message=_("融资需求金额必须大于 0"),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.amount} 万元"


class LoanIntent(TimeStampedModel):
    """A loan letter of intent (贷款意向书) and what became of it."""

    class Status(models.TextChoices):
        INTENT = "intent", _("意向")
        REVIEWING = "reviewing", _("审批中")
        CREDITED = "credited", _("已授信")
        DISBURSED = "disbursed", _("已放款")
        FAILED = "failed", _("未成功")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="loan_intents"
    )
    institution = models.ForeignKey(
        FinancialInstitution,
        verbose_name=_("金融机构"),
        on_delete=models.PROTECT,
        related_name="loan_intents",
    )
    meeting = models.ForeignKey(
        MatchmakingMeeting,
        verbose_name=_("对接会"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="loan_intents",
    )
    amount = models.DecimalField(_("意向金额（万元）"), max_digits=12, decimal_places=2)
    signed_on = models.DateField(_("签订日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.INTENT, db_index=True
    )
    credit_amount = models.DecimalField(
        _("授信金额（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    disbursed_amount = models.DecimalField(
        _("放款金额（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    failure_reason = models.CharField(_("未成功原因"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("贷款意向")
        verbose_name_plural = _("贷款意向")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="loan_intent_amount_positive",
                violation_error_message=_("意向金额必须大于 0"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["credited", "disbursed"]) | Q(credit_amount__gt=0),
                name="loan_intent_credited_has_amount",
                violation_error_message=_("已授信须填写授信金额"),
            ),
            models.CheckConstraint(
                condition=~Q(status="disbursed") | Q(disbursed_amount__gt=0),
                name="loan_intent_disbursed_has_amount",
                violation_error_message=_("已放款须填写放款金额"),
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(failure_reason=""),
                name="loan_intent_failed_has_reason",
                violation_error_message=_("未成功须说明原因"),
            ),
            models.CheckConstraint(
                condition=Q(disbursed_amount__isnull=True)
                | Q(credit_amount__isnull=True)
                | Q(disbursed_amount__lte=F("credit_amount")),
                name="loan_intent_disbursed_within_credit",
                violation_error_message=_("放款金额不能超过授信金额"),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.institution} · {self.amount} 万元"


class LoanIntentEvent(WorkflowEvent):
    """One step of a loan intent (apps.services.services.LOAN_WORKFLOW)."""

    intent = models.ForeignKey(
        LoanIntent, verbose_name=_("贷款意向"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(
        _("操作"),
        max_length=32,
        choices=[
            ("create", _("登记")),
            ("review", _("进入审批")),
            ("credit", _("授信")),
            ("disburse", _("放款")),
            ("fail", _("未成功")),
        ],
    )
    from_status = models.CharField(
        _("原状态"), max_length=16, choices=LoanIntent.Status.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=16, choices=LoanIntent.Status.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("贷款意向进展")
        verbose_name_plural = _("贷款意向进展")


# --- Policy applications ----------------------------------------------------------------------


class PolicyProgramme(TimeStampedModel):
    """A support programme enterprises apply to (reference data). Approval of a programme that
    grants a qualification gives the enterprise that qualification."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCIAL = "provincial", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64, unique=True)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    grants_qualification = models.ForeignKey(
        QualificationType,
        verbose_name=_("获批授予资质"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("惠企政策项目")
        verbose_name_plural = _("惠企政策项目")

    def __str__(self):
        return self.name

    def clean(self):
        normalize_name_fields(self, "name")


class PolicyApplication(TimeStampedModel):
    """An enterprise's application to a programme, coached by committee staff."""

    class Status(models.TextChoices):
        COACHING = "coaching", _("辅导中")
        SUBMITTED = "submitted", _("已申报")
        APPROVED = "approved", _("已获批")
        REJECTED = "rejected", _("未获批")

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="policy_applications",
    )
    programme = models.ForeignKey(
        PolicyProgramme,
        verbose_name=_("政策项目"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    year = models.PositiveSmallIntegerField(_("申报年度"))
    helpers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("辅导人员"),
        related_name="policy_applications",
        blank=True,
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.COACHING, db_index=True
    )
    started_on = models.DateField(_("开始辅导日期"))
    submitted_on = models.DateField(_("申报日期"), null=True, blank=True)
    decided_on = models.DateField(_("结果日期"), null=True, blank=True)
    amount_granted = models.DecimalField(
        _("获批金额（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords(m2m_fields=[helpers])

    class Meta:
        ordering = ["-year", "-started_on", "-id"]
        verbose_name = _("政策申报")
        verbose_name_plural = _("政策申报")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "programme", "year"],
                name="policy_application_one_per_year",
                violation_error_message=_("该企业本年度已申报此项目"),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX),
                name="policy_application_year_range",
                violation_error_message=_("申报年度应在 2000 到 2100 之间"),
            ),
            models.CheckConstraint(
                condition=Q(status="coaching") | Q(submitted_on__isnull=False),
                name="policy_application_submitted_has_date",
                violation_error_message=_("已申报须填写申报日期"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "rejected"]) | Q(decided_on__isnull=False),
                name="policy_application_decided_has_date",
                violation_error_message=_("已有结果须填写结果日期"),
            ),
            models.CheckConstraint(
                condition=Q(submitted_on__isnull=True) | Q(submitted_on__gte=F("started_on")),
                name="policy_application_submitted_after_start",
                violation_error_message=_("申报日期不能早于开始辅导日期"),
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("submitted_on")),
                name="policy_application_decided_after_submitted",
                violation_error_message=_("结果日期不能早于申报日期"),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.programme}（{self.year}）"


class PolicyApplicationEvent(WorkflowEvent):
    """One step of a policy application (apps.services.services.APPLICATION_WORKFLOW)."""

    application = models.ForeignKey(
        PolicyApplication,
        verbose_name=_("政策申报"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    action = models.CharField(
        _("操作"),
        max_length=32,
        choices=[
            ("create", _("登记")),
            ("submit", _("申报")),
            ("approve", _("获批")),
            ("reject", _("未获批")),
        ],
    )
    from_status = models.CharField(
        _("原状态"), max_length=16, choices=PolicyApplication.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("新状态"), max_length=16, choices=PolicyApplication.Status.choices
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("政策申报进展")
        verbose_name_plural = _("政策申报进展")
