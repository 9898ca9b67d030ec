from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
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
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = PortalUserManager()

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        ordering = ["username"]
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.get_full_name()

    @cached_property
    def role_names(self) -> frozenset[str]:
        """The names of the user's role groups, read once per request."""
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or not self.role_names.isdisjoint(roles)
