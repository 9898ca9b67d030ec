"""Writes of the dashboard app: the year's targets (经济发展局 and the system administrator)."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import figures
from apps.core.errors import NotAllowed, Refused
from apps.dashboard.models import Target


def targetable_indicators() -> list[tuple[str, str]]:
    """(code, label) of the registry's figures that take a target."""
    return [
        (code, str(figure.label))
        for code, figure in figures.all_figures().items()
        if figure.target and figure.section
    ]


@transaction.atomic
def target_save(
    *,
    by: User,
    indicator: str,
    year: int,
    value: Decimal,
    month: int | None = None,
    target: Target | None = None,
) -> Target:
    """Set a year's target (or, with a month, the cumulative target by that month)."""
    permission = "dashboard.change_target" if target else "dashboard.add_target"
    if not by.has_perm(permission):
        raise NotAllowed(_("您没有设置年度目标的权限"))
    if indicator not in dict(targetable_indicators()):
        raise Refused(_("该指标不能设置目标"), field="indicator")
    if not 2000 <= year <= 2100:
        raise Refused(_("年度应在2000到2100之间"), field="year")
    if month is not None and not 1 <= month <= 12:
        raise Refused(_("月份应在1到12之间"), field="month")
    if value is None or value <= 0:
        raise Refused(_("目标值应大于0"), field="value")
    clash = Target.objects.filter(indicator=indicator, year=year, month=month)
    if target is not None:
        clash = clash.exclude(pk=target.pk)
    if clash.exists():
        raise Refused(_("该指标该年度（月份）的目标已存在"), field="indicator")
    target = target or Target()
    target.indicator, target.year, target.month, target.value = indicator, year, month, value
    target.save()
    figures.invalidate()
    return target


@transaction.atomic
def target_delete(*, by: User, target: Target) -> None:
    if not by.has_perm("dashboard.delete_target"):
        raise NotAllowed(_("您没有删除年度目标的权限"))
    target.delete()
    figures.invalidate()
