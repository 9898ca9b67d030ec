"""Enterprise-service events that notify someone, and who receives each.

Recipients are computed with this app's permission rules (`apps.services.permissions`), and
`notify` checks once more that each may see demands. The transitions in `services.py` call the
`demand_*` functions below with `(demand, by)` after their write; the daily escalation check is
`apps.services.tasks.notify_escalated_demands`. The actor is never told about their own action.
"""

from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.accounts.services import notify
from apps.core.registry import NotificationEvent
from apps.services import permissions
from apps.services.models import Demand, DemandEvent


def may_see_demand(user, demand) -> bool:
    return user.has_perm("services.view_demand")


ROUTED = "services.demand_routed"
ASSIGNED = "services.demand_assigned"
RETURNED = "services.demand_returned"
INSTRUCTED = "services.demand_instructed"
ESCALATED = "services.demand_escalated"
CLOSED = "services.demand_closed"
DUE = "services.demand_due"

EVENTS = [
    NotificationEvent(
        ROUTED,
        gettext_lazy("诉求转至本部门"),
        gettext_lazy("责任部门中可以办理诉求的人员"),
        may_see_demand,
        gettext_lazy("诉求登记、转办时"),
    ),
    NotificationEvent(
        ASSIGNED,
        gettext_lazy("诉求交我承办"),
        gettext_lazy("承办人"),
        may_see_demand,
        gettext_lazy("受理并指定承办人时"),
    ),
    NotificationEvent(
        RETURNED,
        gettext_lazy("诉求被退回"),
        gettext_lazy("诉求的登记人"),
        may_see_demand,
        gettext_lazy("责任部门退回时"),
    ),
    NotificationEvent(
        INSTRUCTED,
        gettext_lazy("领导批示"),
        gettext_lazy("责任部门中可以办理诉求的人员和承办人"),
        may_see_demand,
        gettext_lazy("领导批示时"),
    ),
    NotificationEvent(
        ESCALATED,
        gettext_lazy("诉求升级督办"),
        gettext_lazy("领导"),
        may_see_demand,
        gettext_lazy("每日定时检查（超期超过升级天数）"),
    ),
    NotificationEvent(
        CLOSED,
        gettext_lazy("诉求已办结，待回访"),
        gettext_lazy("诉求的登记人"),
        may_see_demand,
        gettext_lazy("办结时"),
    ),
    NotificationEvent(
        DUE,
        gettext_lazy("诉求即将到期"),
        gettext_lazy("承办人；未指定承办人时为责任部门中可以办理诉求的人员"),
        may_see_demand,
        gettext_lazy("每日定时检查（办理期限在提醒天数之内）"),
    ),
]


def department_handlers(demand: Demand) -> list[User]:
    """Who acts on the demand's department's demands (`permissions.is_responsible`)."""
    change = Permission.objects.get(content_type__app_label="services", codename="change_demand")
    candidates = (
        User.objects.filter(is_active=True, department_id=demand.department_id)
        .filter(Q(groups__permissions=change) | Q(user_permissions=change) | Q(is_superuser=True))
        .distinct()
    )
    return [user for user in candidates if permissions.is_responsible(user, demand)]


def leadership() -> list[User]:
    return list(User.objects.filter(is_active=True, groups__name=Role.LEADER).distinct())


def _occurrence(demand: Demand, *actions: str) -> str:
    """What makes this occurrence new: the timeline row the transition wrote (a demand routed
    to a department twice is told twice), or the last change when there is none."""
    event_id = (
        DemandEvent.objects.filter(demand=demand, action__in=actions)
        .order_by("-id")
        .values_list("pk", flat=True)
        .first()
    )
    return f"{demand.pk}:{event_id or demand.updated_at.isoformat()}"


def _url(demand: Demand) -> str:
    return reverse("services:demand_detail", args=[demand.pk])


def _subject(demand: Demand) -> str:
    return f"{demand.enterprise}：{demand.description[:40]}"


def _others(users, by) -> list[User]:
    return [user for user in users if user is not None and (by is None or user.pk != by.pk)]


def demand_routed(demand: Demand, by: User | None) -> list:
    """A demand registered for, or reassigned to, a department: its handlers."""
    return notify(
        event=ROUTED,
        recipients=_others(department_handlers(demand), by),
        obj=demand,
        title=_("新诉求转至%(department)s：%(subject)s")
        % {"department": demand.department.name, "subject": _subject(demand)},
        body=demand.description,
        url=_url(demand),
        key=f"{_occurrence(demand, DemandEvent.Action.CREATE, DemandEvent.Action.REASSIGN)}"
        f":{demand.department_id}",
    )


def demand_assigned(demand: Demand, by: User | None) -> list:
    """A demand accepted with me as the assignee (unless I accepted it myself)."""
    return notify(
        event=ASSIGNED,
        recipients=_others([demand.assignee], by),
        obj=demand,
        title=_("诉求交您承办：%(subject)s") % {"subject": _subject(demand)},
        body=_("办理期限：%(deadline)s") % {"deadline": demand.deadline.isoformat()},
        url=_url(demand),
        key=f"{_occurrence(demand, DemandEvent.Action.ACCEPT)}:{demand.assignee_id}",
    )


def demand_returned(demand: Demand, by: User | None) -> list:
    """A demand returned by the department: the officer who registered it."""
    reason = (
        DemandEvent.objects.filter(demand=demand, action=DemandEvent.Action.RETURN)
        .order_by("-id")
        .values_list("comment", flat=True)
        .first()
    )
    return notify(
        event=RETURNED,
        recipients=_others([demand.created_by], by),
        obj=demand,
        title=_("诉求被%(department)s退回：%(subject)s")
        % {"department": demand.department.name, "subject": _subject(demand)},
        body=reason or "",
        url=_url(demand),
        key=_occurrence(demand, DemandEvent.Action.RETURN),
    )


def demand_instructed(demand: Demand, by: User | None) -> list:
    """The leadership's instruction (批示): the department's handlers and the assignee."""
    instruction = (
        DemandEvent.objects.filter(demand=demand, action=DemandEvent.Action.INSTRUCT)
        .order_by("-id")
        .values_list("comment", flat=True)
        .first()
    )
    return notify(
        event=INSTRUCTED,
        recipients=_others([*department_handlers(demand), demand.assignee], by),
        obj=demand,
        title=_("领导批示：%(subject)s") % {"subject": _subject(demand)},
        body=instruction or "",
        url=_url(demand),
        key=_occurrence(demand, DemandEvent.Action.INSTRUCT),
    )


def demand_closed(demand: Demand, by: User | None) -> list:
    """A demand closed: the officer who registered it, who does the follow-up (回访)."""
    return notify(
        event=CLOSED,
        recipients=_others([demand.created_by], by),
        obj=demand,
        title=_("诉求已办结，请回访：%(subject)s") % {"subject": _subject(demand)},
        body=demand.resolution,
        url=_url(demand),
        key=_occurrence(demand, DemandEvent.Action.CLOSE),
    )


def demand_escalated(demand: Demand, by: User | None = None) -> list:
    """A demand overdue past the escalation limit: the leadership, once per deadline."""
    return notify(
        event=ESCALATED,
        recipients=_others(leadership(), by),
        obj=demand,
        title=_("诉求超期升级督办：%(subject)s") % {"subject": _subject(demand)},
        body=_("责任部门：%(department)s；办理期限：%(deadline)s")
        % {"department": demand.department.name, "deadline": demand.deadline.isoformat()},
        url=_url(demand),
        key=f"{demand.pk}:{demand.deadline.isoformat()}",
    )


def demand_due(demand: Demand, by: User | None = None) -> list:
    """An open demand whose deadline is near: its assignee (the department's handlers while
    nobody has accepted it), once per deadline."""
    recipients = [demand.assignee] if demand.assignee_id else department_handlers(demand)
    return notify(
        event=DUE,
        recipients=_others(recipients, by),
        obj=demand,
        title=_("诉求将于 %(deadline)s 到期：%(subject)s")
        % {"deadline": demand.deadline.isoformat(), "subject": _subject(demand)},
        body=demand.description,
        url=_url(demand),
        key=f"{demand.pk}:{demand.deadline.isoformat()}",
    )
