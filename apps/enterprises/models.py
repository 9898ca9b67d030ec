from datetime import date, timedelta

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.dates import YEAR_MAX, YEAR_MIN
from apps.core.models import TimeStampedModel, normalized_name
from apps.core.search import trigram_index
from apps.core.validators import normalize_name_fields, validate_credit_code, validate_phone


class Park(TimeStampedModel):
    """A specialised park (专业园区) inside the zone."""

    name = models.CharField(_("名称"), max_length=64, unique=True)
    description = models.TextField(_("简介"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("专业园区")
        verbose_name_plural = _("专业园区")

    def __str__(self):
        return self.name

    def clean(self):
        normalize_name_fields(self, "name")


class IndustryChain(TimeStampedModel):
    """An industry chain (产业链) the zone builds; its nodes are what investment targets."""

    class Kind(models.TextChoices):
        LEADING = "leading", _("主导产业")
        EMERGING = "emerging", _("新兴产业")

    name = models.CharField(_("名称"), max_length=64, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("简介"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("产业链")
        verbose_name_plural = _("产业链")

    def __str__(self):
        return self.name

    def clean(self):
        normalize_name_fields(self, "name")


class ChainNode(TimeStampedModel):
    """A link (环节) of a chain, ordered upstream → downstream."""

    chain = models.ForeignKey(
        IndustryChain, verbose_name=_("产业链"), on_delete=models.CASCADE, related_name="nodes"
    )
    name = models.CharField(_("环节"), max_length=64)
    position = models.PositiveSmallIntegerField(_("顺序"), help_text=_("上游在前"))
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["chain__sort_order", "chain_id", "position"]
        verbose_name = _("产业链环节")
        verbose_name_plural = _("产业链环节")
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "name"],
                name="chain_node_unique_name",
                violation_error_message=_("同一产业链下环节名称不能重复"),
            ),
        ]

    def __str__(self):
        return f"{self.chain.name} · {self.name}"

    def clean(self):
        normalize_name_fields(self, "name")


class Enterprise(TimeStampedModel):
    """An enterprise registered in (or coming to) the zone. Never deleted: one that leaves is
    marked 迁出."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("筹建")
        CONSTRUCTING = "constructing", _("在建")
        OPERATING = "operating", _("投产")
        HALTED = "halted", _("停产")
        MOVED_OUT = "moved_out", _("迁出")

    class Exchange(models.TextChoices):
        SSE = "sse", _("上交所")
        SZSE = "szse", _("深交所")
        BSE = "bse", _("北交所")
        HKEX = "hkex", _("港交所")
        NEEQ = "neeq", _("新三板")
        OTHER = "other", _("其他")

    name = models.CharField(_("企业名称"), max_length=128, unique=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=32, blank=True)
    registered_capital = models.DecimalField(
        _("注册资本（万元）"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    settled_on = models.DateField(_("入驻日期"), null=True, blank=True)
    park = models.ForeignKey(
        Park,
        verbose_name=_("所在园区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
    )
    chain = models.ForeignKey(
        IndustryChain,
        verbose_name=_("产业链"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
    )
    chain_node = models.ForeignKey(
        ChainNode,
        verbose_name=_("产业链环节"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=32, blank=True)
    contact_phone = models.CharField(
        _("联系电话"), max_length=20, blank=True, validators=[validate_phone]
    )
    employees = models.PositiveIntegerField(_("从业人数"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.OPERATING
    )
    responsible_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("包联干部"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_enterprises",
    )
    is_strategic_emerging = models.BooleanField(_("战略性新兴产业企业"), default=False)
    listing_exchange = models.CharField(
        _("上市交易所"), max_length=8, choices=Exchange.choices, blank=True
    )
    stock_code = models.CharField(_("股票代码"), max_length=16, blank=True)
    listed_on = models.DateField(_("上市日期"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        constraints = [
            models.CheckConstraint(
                condition=Q(listing_exchange="") | Q(listed_on__isnull=False),
                name="enterprise_listing_has_date",
                violation_error_message=_("已上市企业须填写上市日期"),
            ),
            # Look-alike names (a zero-width space, a right-to-left override, full-width
            # letters) cannot reach the table past the unique index by any path.
            models.CheckConstraint(
                condition=Q(name=normalized_name("name")),
                name="enterprise_name_normalised",
                violation_error_message=_("企业名称含有不可见字符或多余空格"),
            ),
        ]
        # The search box (apps.core.search): name, credit code, legal representative.
        indexes = [
            trigram_index("name", name="enterprise_name_trgm"),
            trigram_index("credit_code", name="enterprise_credit_code_trgm"),
            trigram_index("legal_representative", name="enterprise_legal_rep_trgm"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("enterprises:enterprise_detail", kwargs={"pk": self.pk})

    def clean(self):
        normalize_name_fields(self, "name")
        if self.chain_node_id and self.chain_id and self.chain_node.chain_id != self.chain_id:
            raise ValidationError({"chain_node": _("所选环节不属于该产业链")})


class StatisticsMembership(TimeStampedModel):
    """Membership of one of the four 四上 statistical lists, from 入库 to 退库."""

    class Category(models.TextChoices):
        INDUSTRY = "industry", _("规上工业")
        CONSTRUCTION = "construction", _("资质等级建筑业")
        TRADE = "trade", _("限上批零住餐")
        SERVICES = "services", _("规上服务业")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="memberships"
    )
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    entered_on = models.DateField(_("入库日期"))
    exited_on = models.DateField(_("退库日期"), null=True, blank=True)
    notes = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["enterprise_id", "category", "-entered_on"]
        verbose_name = _("四上入库记录")
        verbose_name_plural = _("四上入库记录")
        constraints = [
            models.CheckConstraint(
                condition=Q(exited_on__isnull=True) | Q(exited_on__gt=F("entered_on")),
                name="membership_exit_after_entry",
                violation_error_message=_("退库日期必须晚于入库日期"),
            ),
            ExclusionConstraint(
                name="membership_no_overlap",
                expressions=[
                    ("enterprise", RangeOperators.EQUAL),
                    ("category", RangeOperators.EQUAL),
                    (
                        Func(F("entered_on"), F("exited_on"), function="daterange"),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                violation_error_message=_("同一企业同一类别的入库期间不能重叠"),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.get_category_display()}"

    def clean(self):
        # Said here as well as by the check constraint: the overlap constraint's validation
        # builds daterange(entered_on, exited_on), which the database refuses (an error, not a
        # refusal) when the dates are reversed. An error on exited_on skips that validation.
        if self.entered_on and self.exited_on and self.exited_on <= self.entered_on:
            raise ValidationError({"exited_on": _("退库日期必须晚于入库日期")})

    def is_active_on(self, day: date) -> bool:
        return self.entered_on <= day and (self.exited_on is None or day < self.exited_on)


# A valid qualification expiring within this many days is shown as 即将到期.
EXPIRING_WITHIN_DAYS = 90


def qualification_status(*, issued_on: date, expires_on: date | None, on: date | None = None):
    """有效 / 即将到期 (within EXPIRING_WITHIN_DAYS) / 已过期, from the dates alone."""
    on = on or timezone.localdate()
    if expires_on is not None and expires_on < on:
        return Qualification.Status.EXPIRED
    if expires_on is not None and expires_on <= on + timedelta(days=EXPIRING_WITHIN_DAYS):
        return Qualification.Status.EXPIRING
    return Qualification.Status.VALID


def qualification_status_q(status: str, *, on: date | None = None, prefix: str = "") -> Q:
    """The database form of qualification_status(): the certificates whose status is `status`
    on `on`. Kept beside it so that the two cannot drift apart (a test checks they agree)."""
    on = on or timezone.localdate()
    soon = on + timedelta(days=EXPIRING_WITHIN_DAYS)
    expires = f"{prefix}expires_on"
    if status == Qualification.Status.EXPIRED:
        return Q(**{f"{expires}__lt": on})
    if status == Qualification.Status.EXPIRING:
        return Q(**{f"{expires}__gte": on, f"{expires}__lte": soon})
    return Q(**{f"{expires}__isnull": True}) | Q(**{f"{expires}__gt": soon})


class QualificationType(TimeStampedModel):
    """A kind of certification (高新技术企业, 省级研发中心, …) with its level and validity."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCIAL = "provincial", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64, unique=True)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    validity_years = models.PositiveSmallIntegerField(
        _("有效期（年）"), null=True, blank=True, help_text=_("留空表示长期有效")
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("资质类型")
        verbose_name_plural = _("资质类型")

    def __str__(self):
        return self.name

    def clean(self):
        normalize_name_fields(self, "name")


class Qualification(TimeStampedModel):
    """A certificate an enterprise holds. Its status (有效/即将到期/已过期) is derived from the
    dates, never stored."""

    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        EXPIRING = "expiring", _("即将到期")
        EXPIRED = "expired", _("已过期")

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="qualifications",
    )
    type = models.ForeignKey(
        QualificationType,
        verbose_name=_("资质类型"),
        on_delete=models.PROTECT,
        related_name="qualifications",
    )
    certificate_no = models.CharField(_("证书编号"), max_length=64, blank=True)
    issued_on = models.DateField(_("发证日期"))
    expires_on = models.DateField(_("到期日期"), null=True, blank=True)
    notes = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["enterprise_id", "type__sort_order", "-issued_on"]
        verbose_name = _("企业资质")
        verbose_name_plural = _("企业资质")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("issued_on")),
                name="qualification_expiry_after_issue",
                violation_error_message=_("到期日期必须晚于发证日期"),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.type}"

    @property
    def status(self) -> str:
        """有效 / 即将到期 / 已过期 as of today."""
        return qualification_status(issued_on=self.issued_on, expires_on=self.expires_on)

    def get_status_display(self) -> str:
        return self.Status(self.status).label


class MonthlyStatistic(TimeStampedModel):
    """One enterprise's monthly report (统计月报): figures for that month alone, in 万元."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="monthly_statistics",
        # The unique (enterprise, year, month) index below serves every lookup by enterprise.
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    output_value = models.DecimalField(_("工业总产值（万元）"), max_digits=14, decimal_places=4)
    revenue = models.DecimalField(_("营业收入（万元）"), max_digits=14, decimal_places=4)
    tax = models.DecimalField(_("税收（万元）"), max_digits=14, decimal_places=4, default=0)
    employees = models.PositiveIntegerField(_("从业人员"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["enterprise_id", "year", "month"]
        verbose_name = _("统计月报")
        verbose_name_plural = _("统计月报")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "month"],
                # Covering: year-to-date sums per enterprise are index-only scans.
                include=["output_value", "revenue", "tax"],
                name="monthly_statistic_one_per_month",
                violation_error_message=_("该企业该月的月报已存在"),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="monthly_statistic_month_range",
                violation_error_message=_("月份必须在 1 到 12 之间"),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX),
                name="monthly_statistic_year_range",
                violation_error_message=_("年度不在有效范围内"),
            ),
            models.CheckConstraint(
                condition=Q(output_value__gte=0) & Q(revenue__gte=0) & Q(tax__gte=0),
                name="monthly_statistic_non_negative",
                violation_error_message=_("金额不能为负数"),
            ),
        ]
        indexes = [
            # Year-to-date totals scan one year's months for many enterprises.
            models.Index(fields=["year", "month", "enterprise"], name="monthly_stat_period_idx"),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.year}-{self.month:02d}"
