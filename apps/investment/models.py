"""招商引资: teams, investors (客商), leads (线索) and their follow-ups, the pipeline project
(招商项目) with its admission review, signings and funds arrived, and promotion activities.
The pipeline's state machine is declared in services.PROJECT_WORKFLOW."""

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel, WorkflowEvent
from apps.core.validators import validate_credit_code
from apps.enterprises.models import ChainNode, Enterprise, IndustryChain

AMOUNT = {"max_digits": 14, "decimal_places": 2}


def mask_phone(phone: str) -> str:
    """138****5678: the first three and last four digits, the rest hidden."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


class Team(TimeStampedModel):
    """A 招商 team (招商组 or 驻地招商小分队): its leader assigns leads and merges duplicates."""

    class Kind(models.TextChoices):
        LOCAL = "local", _("招商组")
        RESIDENT = "resident", _("驻地招商小分队")

    name = models.CharField(_("名称"), max_length=64, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.LOCAL)
    city = models.CharField(_("驻地城市"), max_length=32, blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组长"),
        on_delete=models.PROTECT,
        related_name="led_investment_teams",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("成员"), related_name="investment_teams"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("招商小组")
        verbose_name_plural = _("招商小组")

    def __str__(self):
        return self.name


class Investor(TimeStampedModel):
    """A 客商: the organisation that may invest, and its contact (masked outside 招商 and
    leadership)."""

    class Tag(models.TextChoices):
        TOP500 = "top500", _("500强")
        LISTED = "listed", _("上市")
        SPECIALISED = "specialised", _("专精特新")
        STATE = "state", _("央企/国企")
        FOREIGN = "foreign", _("外资")

    name = models.CharField(_("客商名称"), max_length=128)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("入驻企业"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="investors",
    )
    tags = models.CharField(_("标签"), max_length=128, blank=True, help_text=_("逗号分隔"))
    province = models.CharField(_("来源省份"), max_length=32, blank=True)
    city = models.CharField(_("来源城市"), max_length=32, blank=True)
    country = models.CharField(_("国家/地区"), max_length=32, default="中国")
    contact_name = models.CharField(_("联系人"), max_length=32, blank=True)
    contact_title = models.CharField(_("职务"), max_length=32, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("客商")
        verbose_name_plural = _("客商")
        indexes = [
            GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="investor_name_trgm"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="investor_unique_credit_code",
                violation_error_message=_("该信用代码的客商已登记"),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("investment:investor_detail", args=[self.pk])

    @property
    def origin(self) -> str:
        if self.country and self.country != "中国":
            return self.country
        return "".join(part for part in (self.province, self.city) if part)


class ChainRole(models.TextChoices):
    """What a lead or a chain node does for the zone's chain."""

    STRENGTHEN = "strengthen", _("强链")
    FILL = "fill", _("补链")
    EXTEND = "extend", _("延链")


class Lead(TimeStampedModel):
    """A 线索. Who reported it first and when (首报) is set once and never edited."""

    class Channel(models.TextChoices):
        OWN = "own", _("自主")
        BUSINESS = "business", _("以商招商")
        AGENT = "agent", _("中介")
        ASSOCIATION = "association", _("商协会")
        REFERRER = "referrer", _("引荐人")
        EVENT = "event", _("招商活动")
        ASSIGNED = "assigned", _("上级交办")

    class Judgement(models.TextChoices):
        PENDING = "pending", _("待研判")
        FOLLOW = "follow", _("跟进")
        DROP = "drop", _("不跟进")

    investor = models.ForeignKey(
        Investor, verbose_name=_("客商"), on_delete=models.PROTECT, related_name="leads"
    )
    title = models.CharField(_("项目名称"), max_length=128)
    summary = models.TextField(_("项目概况"), blank=True)
    chain = models.ForeignKey(
        IndustryChain,
        verbose_name=_("产业链"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    chain_node = models.ForeignKey(
        ChainNode,
        verbose_name=_("产业链环节"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="investment_leads",
    )
    chain_role = models.CharField(
        _("链条作用"), max_length=16, choices=ChainRole.choices, blank=True
    )
    channel = models.CharField(_("信息来源"), max_length=16, choices=Channel.choices)
    referrer = models.CharField(_("引荐人"), max_length=64, blank=True)
    activity = models.ForeignKey(
        "Activity",
        verbose_name=_("来源活动"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
    )
    planned_investment = models.DecimalField(_("拟总投资（万元）"), null=True, blank=True, **AMOUNT)
    fixed_asset_investment = models.DecimalField(
        _("固定资产投资（万元）"), null=True, blank=True, **AMOUNT
    )
    land_mu = models.DecimalField(
        _("用地（亩）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    expected_output = models.DecimalField(_("预计年产值（万元）"), null=True, blank=True, **AMOUNT)
    expected_tax = models.DecimalField(_("预计年税收（万元）"), null=True, blank=True, **AMOUNT)
    site_needs = models.TextField(_("选址要求"), blank=True)
    coordination = models.TextField(_("需政府协调事项"), blank=True)
    confidential = models.BooleanField(_("保密"), default=False, db_index=True)
    team = models.ForeignKey(
        Team,
        verbose_name=_("招商小组"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="investment_leads",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("首报时间"))
    judgement = models.CharField(
        _("研判"), max_length=16, choices=Judgement.choices, default=Judgement.PENDING
    )
    judgement_reason = models.CharField(_("研判说明"), max_length=200, blank=True)
    judged_at = models.DateTimeField(_("研判时间"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("疑似重复于"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    merged = models.BooleanField(_("已合并"), default=False)
    last_follow_up_on = models.DateField(_("最近跟进"), null=True, blank=True, db_index=True)
    # The first follow-up of kind 向引荐人反馈 (set by services.lead_follow_up): a lead from a
    # referrer owes them feedback within a week of its first report.
    referrer_feedback_on = models.DateField(_("首次反馈引荐人"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("线索")
        verbose_name_plural = _("线索")
        # The list's order, so a page of it is read from the index, not sorted.
        indexes = [models.Index(fields=["-reported_at", "-id"], name="lead_list_order")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(judgement="drop") | ~Q(judgement_reason=""),
                name="lead_drop_has_reason",
                violation_error_message=_("不跟进须说明原因"),
            ),
            models.CheckConstraint(
                condition=Q(land_mu__isnull=True) | Q(land_mu__gte=0),
                name="lead_land_not_negative",
                violation_error_message=_("用地不能为负数"),
            ),
        ]

    def __str__(self):
        return f"{self.investor.name} · {self.title}"

    def get_absolute_url(self):
        return reverse("investment:lead_detail", args=[self.pk])

    @property
    def in_pool(self) -> bool:
        return self.owner_id is None


class FollowUp(models.Model):
    """One follow-up on a lead's timeline."""

    class Kind(models.TextChoices):
        CALL = "call", _("电话")
        VISIT = "visit", _("拜访")
        RECEPTION = "reception", _("接待来访")
        MEETING = "meeting", _("洽谈会")
        FEEDBACK = "feedback", _("向引荐人反馈")
        OTHER = "other", _("其他")

    lead = models.ForeignKey(
        Lead, verbose_name=_("线索"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    on = models.DateField(_("日期"))
    kind = models.CharField(_("方式"), max_length=16, choices=Kind.choices)
    note = models.TextField(_("情况"))
    next_step = models.CharField(_("下一步"), max_length=200, blank=True)
    next_on = models.DateField(_("下一步日期"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("跟进记录")
        verbose_name_plural = _("跟进记录")

    def __str__(self):
        return f"{self.lead} · {self.on}"


class LossReason(TimeStampedModel):
    """The configurable list of reasons a project is lost (流失)."""

    name = models.CharField(_("原因"), max_length=64, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("流失原因")
        verbose_name_plural = _("流失原因")

    def __str__(self):
        return self.name


class Project(TimeStampedModel):
    """A 招商项目 in the pipeline, from negotiation to design capacity."""

    class Status(models.TextChoices):
        NEGOTIATING = "negotiating", _("洽谈")
        INSPECTING = "inspecting", _("考察")
        REVIEWING = "reviewing", _("准入评审")
        SIGNED = "signed", _("签约")
        REGISTERED = "registered", _("注册落地")
        STARTED = "started", _("开工")
        PRODUCING = "producing", _("投产")
        CAPACITY = "capacity", _("达产")
        SHELVED = "shelved", _("搁置")
        LOST = "lost", _("流失")
        TERMINATED = "terminated", _("终止")

    name = models.CharField(_("项目名称"), max_length=128)
    lead = models.OneToOneField(
        Lead,
        verbose_name=_("线索"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project",
    )
    investor = models.ForeignKey(
        Investor, verbose_name=_("客商"), on_delete=models.PROTECT, related_name="projects"
    )
    chain_node = models.ForeignKey(
        ChainNode,
        verbose_name=_("产业链环节"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="investment_projects",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("招商小组"), on_delete=models.PROTECT, related_name="projects"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        on_delete=models.PROTECT,
        related_name="investment_projects",
    )
    confidential = models.BooleanField(_("保密"), default=False, db_index=True)
    status = models.CharField(
        _("阶段"),
        max_length=16,
        choices=Status.choices,
        default=Status.NEGOTIATING,
        db_index=True,
    )
    stage_entered_at = models.DateTimeField(_("进入本阶段时间"))
    # The stage a shelved or lost project resumes to.
    resume_to = models.CharField(_("恢复至"), max_length=16, choices=Status.choices, blank=True)
    planned_investment = models.DecimalField(_("拟总投资（万元）"), null=True, blank=True, **AMOUNT)
    fixed_asset_investment = models.DecimalField(
        _("固定资产投资（万元）"), null=True, blank=True, **AMOUNT
    )
    land_mu = models.DecimalField(
        _("用地（亩）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    contract_investment = models.DecimalField(
        _("合同投资（万元）"), null=True, blank=True, **AMOUNT
    )
    signed_on = models.DateField(_("首次签约日期"), null=True, blank=True, db_index=True)
    expected_signing_month = models.DateField(
        _("预计签约月份"), null=True, blank=True, help_text=_("当月 1 日")
    )
    committed_start_on = models.DateField(_("承诺开工日期"), null=True, blank=True)
    committed_production_on = models.DateField(_("承诺投产日期"), null=True, blank=True)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("落地企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="investment_projects",
    )
    construction_permit_no = models.CharField(_("施工许可证号"), max_length=64, blank=True)
    start_evidence = models.CharField(_("开工证明文件"), max_length=200, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    loss_reason = models.ForeignKey(
        LossReason,
        verbose_name=_("流失原因"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    closing_note = models.CharField(_("流失/终止说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["-stage_entered_at", "-id"]
        verbose_name = _("招商项目")
        verbose_name_plural = _("招商项目")
        indexes = [models.Index(fields=["-stage_entered_at", "-id"], name="project_list_order")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="lost") | Q(loss_reason__isnull=False),
                name="investment_project_lost_has_reason",
                violation_error_message=_("流失须选择原因"),
            ),
            models.CheckConstraint(
                condition=~Q(status="terminated") | ~Q(closing_note=""),
                name="investment_project_terminated_has_reason",
                violation_error_message=_("终止须说明原因"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["registered", "started", "producing", "capacity"])
                | Q(enterprise__isnull=False),
                name="investment_project_landed_has_enterprise",
                violation_error_message=_("注册落地的项目须关联入驻企业"),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("investment:project_detail", args=[self.pk])


class ProjectEvent(WorkflowEvent):
    """One step of a project (apps.investment.services.PROJECT_WORKFLOW)."""

    project = models.ForeignKey(
        Project, verbose_name=_("招商项目"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        _("原阶段"), max_length=16, choices=Project.Status.choices, blank=True
    )
    to_status = models.CharField(_("新阶段"), max_length=16, choices=Project.Status.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("招商项目进展")
        verbose_name_plural = _("招商项目进展")


class AdmissionReview(TimeStampedModel):
    """准入评审: the checklist; environment, energy and safety are 一票否决."""

    class Conclusion(models.TextChoices):
        PASSED = "passed", _("通过")
        CONDITIONAL = "conditional", _("有条件通过")
        REJECTED = "rejected", _("否决")

    project = models.ForeignKey(
        Project, verbose_name=_("招商项目"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewed_on = models.DateField(_("评审日期"))
    industrial_policy = models.BooleanField(_("符合产业政策"), default=False)
    industry_fit = models.BooleanField(_("契合主导产业"), default=False)
    planning_land = models.BooleanField(_("符合规划和用地"), default=False)
    environment = models.BooleanField(_("环境容量（一票否决）"), default=False)
    energy = models.BooleanField(_("能耗（一票否决）"), default=False)
    safety = models.BooleanField(_("安全（一票否决）"), default=False)
    investor_credit = models.BooleanField(_("投资方信用良好"), default=False)
    jobs = models.PositiveIntegerField(_("拟用工人数"), null=True, blank=True)
    intensity = models.DecimalField(
        _("亩均投资强度（万元/亩）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    tax_per_mu = models.DecimalField(
        _("亩均税收（万元/亩）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    conclusion = models.CharField(_("结论"), max_length=16, choices=Conclusion.choices)
    note = models.TextField(_("意见"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    # The checklist's items, each true when it holds; the last three are 一票否决.
    CHECK_ITEMS = (
        "industrial_policy",
        "industry_fit",
        "planning_land",
        "environment",
        "energy",
        "safety",
        "investor_credit",
    )
    VETO_ITEMS = ("environment", "energy", "safety")

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        verbose_name = _("准入评审")
        verbose_name_plural = _("准入评审")
        constraints = [
            models.CheckConstraint(
                condition=Q(conclusion="rejected")
                | (Q(environment=True) & Q(energy=True) & Q(safety=True)),
                name="admission_review_veto_items",
                violation_error_message=_("环境、能耗、安全任一项不符合的，结论只能为否决"),
            ),
        ]

    def __str__(self):
        return f"{self.project} · {self.get_conclusion_display()}"

    @property
    def approved(self) -> bool:
        return self.conclusion in (self.Conclusion.PASSED, self.Conclusion.CONDITIONAL)


class Signing(TimeStampedModel):
    """A signing; a project counts once, at its first signing, and a capital increase counts
    only the increase (``is_increase``)."""

    class Kind(models.TextChoices):
        LETTER = "letter", _("意向书")
        FRAMEWORK = "framework", _("框架协议")
        CONTRACT = "contract", _("正式合同")
        SUPPLEMENT = "supplement", _("补充协议")

    project = models.ForeignKey(
        Project, verbose_name=_("招商项目"), on_delete=models.CASCADE, related_name="signings"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    signed_on = models.DateField(_("签约日期"), db_index=True)
    amount = models.DecimalField(_("合同投资（万元）"), **AMOUNT)
    is_increase = models.BooleanField(_("增资"), default=False)
    activity = models.ForeignKey(
        "Activity",
        verbose_name=_("签约活动"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signings",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("签约")
        verbose_name_plural = _("签约")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="signing_amount_not_negative",
                violation_error_message=_("合同投资不能为负数"),
            ),
        ]

    def __str__(self):
        return f"{self.project} · {self.get_kind_display()} · {self.signed_on}"


class FundsArrival(TimeStampedModel):
    """到位资金 of one project in one month."""

    class Origin(models.TextChoices):
        OUT_OF_PROVINCE = "province", _("省外")
        OUT_OF_CITY = "city", _("市外")
        ABROAD = "abroad", _("境外")

    project = models.ForeignKey(
        Project, verbose_name=_("招商项目"), on_delete=models.CASCADE, related_name="funds"
    )
    month = models.DateField(_("月份"), help_text=_("当月 1 日"))
    fixed_assets = models.DecimalField(_("固定资产（万元）"), default=0, **AMOUNT)
    working_capital = models.DecimalField(_("流动资金（万元）"), default=0, **AMOUNT)
    origin = models.CharField(_("资金来源"), max_length=16, choices=Origin.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-month", "-id"]
        verbose_name = _("到位资金")
        verbose_name_plural = _("到位资金")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "month", "origin"],
                name="funds_arrival_unique_month",
                violation_error_message=_("该项目本月该来源的到位资金已登记"),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="funds_arrival_first_of_month",
                violation_error_message=_("月份须为当月 1 日"),
            ),
            models.CheckConstraint(
                condition=Q(fixed_assets__gte=0) & Q(working_capital__gte=0),
                name="funds_arrival_not_negative",
                violation_error_message=_("到位资金不能为负数"),
            ),
        ]

    def __str__(self):
        return f"{self.project} · {self.month:%Y-%m}"

    @property
    def total(self):
        return self.fixed_assets + self.working_capital


class Activity(TimeStampedModel):
    """A promotion activity (招商活动). An outbound trip's report is due 15 days after return."""

    class Kind(models.TextChoices):
        OUTBOUND = "outbound", _("外出招商")
        RECEPTION = "reception", _("来访接待")
        RESIDENT = "resident", _("驻地招商")
        PROMOTION = "promotion", _("推介会")
        FAIR = "fair", _("展会")

    REPORT_DUE_DAYS = 15

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, db_index=True)
    title = models.CharField(_("活动名称"), max_length=128)
    starts_on = models.DateField(_("开始日期"), db_index=True)
    ends_on = models.DateField(_("结束日期"))
    leading_official = models.CharField(_("带队领导"), max_length=32, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("参加人员"), related_name="investment_activities"
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("招商小组"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    province = models.CharField(_("目的地省份"), max_length=32, blank=True)
    city = models.CharField(_("目的地城市"), max_length=32, blank=True)
    visitors = models.CharField(_("接待客商"), max_length=200, blank=True)
    investors = models.ManyToManyField(
        Investor, verbose_name=_("洽谈客商"), blank=True, related_name="activities"
    )
    report = models.TextField(_("活动报告"), blank=True)
    reported_on = models.DateField(_("报告日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["-starts_on", "-id"], name="activity_list_order")]
        verbose_name = _("招商活动")
        verbose_name_plural = _("招商活动")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_start",
                violation_error_message=_("结束日期不能早于开始日期"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.title}"

    def get_absolute_url(self):
        return reverse("investment:activity_detail", args=[self.pk])

    @property
    def needs_report(self) -> bool:
        return self.kind == self.Kind.OUTBOUND

    @property
    def report_due_on(self):
        return self.ends_on + timedelta(days=self.REPORT_DUE_DAYS) if self.needs_report else None


class AnnualTarget(TimeStampedModel):
    """A team's targets for a year (赛马榜): signings, contract investment, funds arrived."""

    team = models.ForeignKey(
        Team, verbose_name=_("招商小组"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    signings = models.PositiveIntegerField(_("签约项目目标（个）"))
    contract_investment = models.DecimalField(_("合同投资目标（万元）"), **AMOUNT)
    funds = models.DecimalField(_("到位资金目标（万元）"), **AMOUNT)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设定人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-year", "team__name"]
        verbose_name = _("年度招商目标")
        verbose_name_plural = _("年度招商目标")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "year"],
                name="annual_target_unique_team_year",
                violation_error_message=_("该小组本年度目标已设定"),
            ),
            models.CheckConstraint(
                condition=Q(contract_investment__gte=0) & Q(funds__gte=0),
                name="annual_target_not_negative",
                violation_error_message=_("目标不能为负数"),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="annual_target_plausible_year",
                violation_error_message=_("年度须在 2000 至 2100 之间"),
            ),
        ]

    def __str__(self):
        return f"{self.team} · {self.year}"


class ChainTarget(TimeStampedModel):
    """A target enterprise to attract for a chain node (招商目标企业), possibly already a lead."""

    chain_node = models.ForeignKey(
        ChainNode,
        verbose_name=_("产业链环节"),
        on_delete=models.CASCADE,
        related_name="investment_targets",
    )
    name = models.CharField(_("目标企业"), max_length=128)
    role = models.CharField(_("链条作用"), max_length=16, choices=ChainRole.choices)
    province = models.CharField(_("所在省份"), max_length=32, blank=True)
    city = models.CharField(_("所在城市"), max_length=32, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    lead = models.ForeignKey(
        Lead,
        verbose_name=_("对应线索"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chain_targets",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["chain_node__chain__sort_order", "chain_node__position", "name", "id"]
        verbose_name = _("招商目标企业")
        verbose_name_plural = _("招商目标企业")
        constraints = [
            models.UniqueConstraint(
                fields=["chain_node", "name"],
                name="chain_target_unique_name",
                violation_error_message=_("该环节已有同名目标企业"),
            ),
        ]

    def __str__(self):
        return f"{self.chain_node} · {self.name}"


class ResidentReport(TimeStampedModel):
    """A resident team's (驻地招商小分队) monthly report: people, days on site, visits, where they
    went. Reported by a member, reviewed by the leader of a 招商组 (RESIDENT_REPORT_WORKFLOW)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已报送")
        RETURNED = "returned", _("已退回")
        ACCEPTED = "accepted", _("已审阅")

    team = models.ForeignKey(
        Team, verbose_name=_("驻地招商小分队"), on_delete=models.PROTECT, related_name="reports"
    )
    month = models.DateField(_("月份"), help_text=_("当月 1 日"))
    people = models.PositiveSmallIntegerField(_("在岗人数"))
    days_on_site = models.PositiveSmallIntegerField(_("驻地天数"))
    visits = models.PositiveSmallIntegerField(_("走访企业（家次）"))
    destinations = models.CharField(_("走访去向"), max_length=200, blank=True)
    work = models.TextField(_("工作情况"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-month", "team__name"]
        verbose_name = _("驻地招商月报")
        verbose_name_plural = _("驻地招商月报")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "month"],
                name="resident_report_unique_month",
                violation_error_message=_("该小分队本月月报已报送"),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="resident_report_first_of_month",
                violation_error_message=_("月份须为当月 1 日"),
            ),
            models.CheckConstraint(
                condition=Q(days_on_site__lte=31),
                name="resident_report_days_in_month",
                violation_error_message=_("驻地天数不能超过当月天数"),
            ),
        ]

    def __str__(self):
        return f"{self.team} · {self.month:%Y-%m}"

    def get_absolute_url(self):
        return reverse("investment:resident_report_detail", args=[self.pk])


class ResidentReportEvent(WorkflowEvent):
    report = models.ForeignKey(
        ResidentReport,
        verbose_name=_("驻地招商月报"),
        on_delete=models.CASCADE,
        related_name="events",
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("驻地招商月报进展")
        verbose_name_plural = _("驻地招商月报进展")
