"""Staff events that notify someone: a contract about to end, told to the HR administrators.

Recipients hold the HR role (`apps.staff.permissions.is_hr`), who manage appointments; `notify`
checks once more that each may view appointments.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.accounts.services import notify
from apps.core.registry import NotificationEvent
from apps.staff import permissions
from apps.staff.models import Appointment

CONTRACT_ENDING = "staff.contract_ending"
# Days before a contract's end date at which HR is told (the smallest one reached counts).
CONTRACT_ENDING_DAYS = (60, 30, 7)


def may_see_appointment(user, appointment) -> bool:
    return permissions.is_hr(user) and user.has_perm("staff.view_appointment")


EVENTS = [
    NotificationEvent(
        CONTRACT_ENDING,
        gettext_lazy("聘任合同即将到期"),
        gettext_lazy("人事管理员"),
        may_see_appointment,
        gettext_lazy("每日定时检查（到期前 60、30、7 天）"),
    ),
]


def hr_administrators() -> list[User]:
    return list(User.objects.filter(is_active=True, groups__name=Role.HR).distinct())


def contract_ending(appointment: Appointment, *, days_left: int, threshold: int) -> list:
    return notify(
        event=CONTRACT_ENDING,
        recipients=hr_administrators(),
        obj=appointment,
        title=_("聘任合同%(days)s天后到期：%(name)s（%(position)s）")
        % {
            "days": days_left,
            "name": appointment.staff.name,
            "position": appointment.position.title,
        },
        body=_("终止日期：%(end)s。请及时办理续聘或解聘。")
        % {"end": appointment.end_date.isoformat()},
        url=reverse("staff:member_detail", args=[appointment.staff_id]),
        # Once per threshold and end date: a renewed or corrected contract is told again.
        key=f"{appointment.pk}:{appointment.end_date.isoformat()}:{threshold}",
    )
