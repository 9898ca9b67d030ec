"""Writes to the holiday calendar (the administrator, in the admin; next year's official
notice arrives as a fixture, see README "Working days")."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.dates import check_year, forget_working_calendar
from apps.core.errors import NotAllowed, Refused
from apps.core.models import CalendarDay
from apps.core.validators import normalize_name


@transaction.atomic
def calendar_day_save(*, by: AbstractBaseUser, day: date, kind: str, name: str) -> CalendarDay:
    """Mark `day` as a public holiday or a weekend day worked (replacing what it was)."""
    if not by.has_perm("core.change_calendarday") or not by.has_perm("core.add_calendarday"):
        raise NotAllowed(_("您没有维护节假日安排的权限"))
    if day is None:
        raise Refused(_("请填写日期"), field="date")
    check_year(day.year, field="date", label=_("日期的年份"))
    if kind not in CalendarDay.Kind.values:
        raise Refused(_("请选择类型"), field="kind")
    if kind == CalendarDay.Kind.WORKDAY and day.weekday() < 5:
        raise Refused(_("调休上班日只能是周六或周日"), field="kind")
    name = normalize_name(name)
    if not name:
        raise Refused(_("请填写节日名称"), field="name")
    calendar_day, _created = CalendarDay.objects.update_or_create(
        date=day, defaults={"kind": kind, "name": name}
    )
    forget_working_calendar()
    return calendar_day


@transaction.atomic
def calendar_day_delete(*, by: AbstractBaseUser, calendar_day: CalendarDay) -> None:
    if not by.has_perm("core.delete_calendarday"):
        raise NotAllowed(_("您没有维护节假日安排的权限"))
    calendar_day.delete()
    forget_working_calendar()
