"""The staff figures (see apps/core/figures.py): people in post and contracts ending are judged
today; the appraisal distribution counts the period's year. Only counts: no pay on the
dashboard. The appraisal distribution is shown to those who may read appraisals."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.figures import Figure, Period
from apps.staff.models import Appointment, Appraisal, Grade, StaffMember

ENDING_WITHIN_DAYS = 60


def _staff(period: Period, scope) -> dict:
    """In post (1 query), contracts ending (1), the year's appraisals by grade (1)."""
    today = timezone.localdate()
    grades = Appraisal.objects.filter(year=period.year).aggregate(
        **{grade.value: Count("id", filter=Q(grade=grade.value)) for grade in Grade}
    )
    return {
        "in_post": StaffMember.objects.filter(status=StaffMember.Status.ACTIVE).count(),
        # The rule of the appointment list's "60 天内到期" filter.
        "ending": Appointment.objects.filter(
            status=Appointment.Status.ACTIVE,
            end_date__gte=today,
            end_date__lte=today + timedelta(days=ENDING_WITHIN_DAYS),
            renewal__isnull=True,
        ).count(),
        **grades,
    }


def _grade_figure(grade: Grade, order: int) -> Figure:
    return Figure(
        code=f"appraisal_{grade.value}",
        # Formatted when shown, so in the language of the request.
        label=lazy(lambda: gettext("年度考核：%(grade)s") % {"grade": grade.label}, str)(),
        unit=_("人次"),
        definition=_("该年度各考核期评定为此等次的人次"),
        section="staff",
        compute=lambda ctx: ctx.source(_staff)[grade.value],
        api_list="staff-appraisal-list",
        filters=lambda period: {"year": period.year, "grade": grade.value},
        page="staff:appraisal_list",
        permission="staff.view_appraisal",
        order=order,
    )


FIGURES = [
    Figure(
        code="staff_in_post",
        label=_("在职人员"),
        unit=_("人"),
        definition=_("今天状态为在职的人员"),
        section="staff",
        compute=lambda ctx: ctx.source(_staff)["in_post"],
        api_list="staff-member-list",
        filters=lambda period: {"status": StaffMember.Status.ACTIVE.value},
        page="staff:member_list",
        permission="staff.view_staffmember",
        current=True,
        order=10,
    ),
    Figure(
        code="contracts_ending",
        label=_("60天内聘期届满"),
        unit=_("人"),
        definition=_("今后60天内到期、尚未续聘的在聘聘任"),
        section="staff",
        compute=lambda ctx: ctx.source(_staff)["ending"],
        api_list="staff-appointment-list",
        filters=lambda period: {"ending_within": ENDING_WITHIN_DAYS},
        page="staff:appointment_list",
        permission="staff.view_appointment",
        current=True,
        order=11,
    ),
    *[_grade_figure(grade, 20 + index) for index, grade in enumerate(Grade)],
]
