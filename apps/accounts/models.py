from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel
from apps.core.validators import normalize_name_fields, validate_phone


class Department(TimeStampedModel):
    """One of the committee's bodies (领导班子 and the five internal bodies)."""

    class Code(models.TextChoices):
        LEADERSHIP = "leadership", _("领导班子")
        OFFICE = "office", _("党政办")
        ECONOMY = "economy", _("经济发展局")
        INVESTMENT = "investment", _("招商局")
        SERVICE = "service", _("企业服务局")
        APPROVAL = "approval", _("行政审批局")

    code = models.CharField(_("代码"), max_length=32, unique=True, choices=Code.choices)
    name = models.CharField(_("名称"), max_length=64, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    description = models.TextField(_("职责"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self):
        return self.name

    def clean(self):
        normalize_name_fields(self, "name")


class PortalUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("full_name", username)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A committee staff member's account. Chinese names do not split into first/last."""

    first_name = None
    last_name = None
    full_name = models.CharField(_("姓名"), max_length=64)
    phone = models.CharField(_("手机号"), max_length=20, blank=True, validators=[validate_phone])
    department = models.ForeignKey(
        Department,
        verbose_name=_("部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    class Digest(models.TextChoices):
        OFF = "off", _("不接收")
        DAILY = "daily", _("每日一封")

    digest = models.CharField(
        _("待办摘要邮件"), max_length=8, choices=Digest.choices, default=Digest.DAILY
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = PortalUserManager()

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        ordering = ["username"]
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.get_full_name()

    def get_full_name(self):
        return self.name_of(self.full_name, self.username)

    # The one rule for a user's shown name, in Python and in SQL (lists read as rows).
    @staticmethod
    def name_of(full_name: str, username: str) -> str:
        return full_name or username

    @staticmethod
    def name_expression(prefix: str = "") -> Coalesce:
        """get_full_name() as an SQL expression over the user at `prefix` (``assignee__``)."""
        return Coalesce(NullIf(f"{prefix}full_name", Value("")), f"{prefix}username")

    def get_short_name(self):
        return self.get_full_name()

    @cached_property
    def role_names(self) -> frozenset[str]:
        """The names of the user's role groups, read once per request."""
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or not self.role_names.isdisjoint(roles)


class ApiToken(models.Model):
    """A key for scripts calling the API (`Authorization: Token <key>`). Only a digest of the
    key is stored, so a copy of the database does not hand out working keys; each key
    expires (API_TOKEN_DAYS) and its owner may revoke it."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("用途"), max_length=64)
    key_digest = models.CharField(_("密钥摘要"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("密钥前缀"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class Notification(models.Model):
    """One thing a user is told about (a demand routed to their department, a contract ending):
    written by `apps.accounts.services.notify` only, once per recipient and dedup key."""

    recipient = models.ForeignKey(
        User, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("事件"), max_length=64)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("对象类型"), on_delete=models.CASCADE, null=True, blank=True
    )
    object_id = models.PositiveBigIntegerField(_("对象编号"), null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    # Names the occurrence (event, object and what makes it new): the same key is never
    # notified twice to the same person, however often a task or a service runs.
    dedup_key = models.CharField(_("去重键"), max_length=200)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    digested_at = models.DateTimeField(_("摘要发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedup_key"],
                name="notification_once_per_recipient",
                violation_error_message=_("该通知已发送给此人"),
            ),
        ]
        indexes = [
            # The bell's count on every page: unread rows of one recipient.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]

    def __str__(self):
        return self.title


class DigestEmail(models.Model):
    """One daily digest e-mail sent to a user: at most one a day, however often the task runs."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="digests"
    )
    day = models.DateField(_("日期"))
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    notification_count = models.PositiveIntegerField(_("通知数"), default=0)

    class Meta:
        ordering = ["-day", "user_id"]
        verbose_name = _("摘要邮件")
        verbose_name_plural = _("摘要邮件")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "day"],
                name="digest_once_a_day",
                violation_error_message=_("当天的摘要邮件已发送"),
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.day}"
