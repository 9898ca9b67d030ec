from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


class Target(TimeStampedModel):
    """A year's target (年度目标) for one figure of the registry, or, with a month, the
    cumulative target by the end of that month (the monthly split that 序时 is judged against)."""

    indicator = models.CharField(_("指标"), max_length=64)
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("截至月份"), null=True, blank=True)
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
                fields=["indicator", "year", "month"],
                nulls_distinct=False,
                name="dashboard_target_unique",
                violation_error_message=_("该指标该年度（月份）的目标已存在"),
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
        return f"{self.indicator} {self.year}{month}"
