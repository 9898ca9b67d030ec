"""招商 events that notify someone, and who receives each.

Every recipient must be able to see the object by this app's scope (`permissions.lead_scope`,
`project_scope`): `notify` drops anyone else, so a confidential lead is never announced outside
its team and the leadership. Keys make each occurrence once only: the daily task may run twice.
The actor is never told about their own action.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.accounts.services import notify
from apps.core.registry import NotificationEvent
from apps.investment import permissions
from apps.investment.models import Activity, Lead, Project


def may_see_lead(user, lead) -> bool:
    scope = permissions.lead_scope(user)
    return scope is None or Lead.objects.filter(scope, pk=lead.pk).exists()


def may_see_project(user, project) -> bool:
    scope = permissions.project_scope(user)
    return scope is None or Project.objects.filter(scope, pk=project.pk).exists()


def may_see_activity(user, activity) -> bool:
    scope = permissions.activity_scope(user)
    return scope is None or Activity.objects.filter(scope, pk=activity.pk).exists()


LEAD_ASSIGNED = "investment.lead_assigned"
LEAD_CLOCK_OVERDUE = "investment.lead_clock_overdue"
POOL_WARNING = "investment.pool_warning"
STAGE_RED = "investment.stage_red"
TRIP_REPORT_OVERDUE = "investment.trip_report_overdue"
REFERRER_FEEDBACK_OVERDUE = "investment.referrer_feedback_overdue"

EVENTS = [
    NotificationEvent(
        LEAD_ASSIGNED,
        gettext_lazy("线索分派给我"),
        gettext_lazy("新负责人"),
        may_see_lead,
        gettext_lazy("组长分派线索时"),
    ),
    NotificationEvent(
        LEAD_CLOCK_OVERDUE,
        gettext_lazy("线索超时未分派或未研判"),
        gettext_lazy("线索所在小组的组长"),
        may_see_lead,
        gettext_lazy("每日定时检查（分派 1 个、研判 3 个工作日）"),
    ),
    NotificationEvent(
        POOL_WARNING,
        gettext_lazy("线索即将退回公海池"),
        gettext_lazy("线索负责人"),
        may_see_lead,
        gettext_lazy("每日定时检查（退回前 7 天）"),
    ),
    NotificationEvent(
        STAGE_RED,
        gettext_lazy("招商项目阶段停留超期（红灯）"),
        gettext_lazy("项目负责人和小组组长"),
        may_see_project,
        gettext_lazy("每日定时检查"),
    ),
    NotificationEvent(
        TRIP_REPORT_OVERDUE,
        gettext_lazy("外出招商报告逾期"),
        gettext_lazy("参加人员"),
        may_see_activity,
        gettext_lazy("每日定时检查（返回后 15 天）"),
    ),
    NotificationEvent(
        REFERRER_FEEDBACK_OVERDUE,
        gettext_lazy("引荐人线索超时未反馈"),
        gettext_lazy("线索负责人和小组组长"),
        may_see_lead,
        gettext_lazy("每日定时检查（首报后 7 天）"),
    ),
]


def _others(users, by) -> list[User]:
    return [user for user in users if user is not None and (by is None or user.pk != by.pk)]


def _lead_url(lead) -> str:
    return reverse("investment:lead_detail", args=[lead.pk])


def lead_assigned(lead: Lead, by: User | None) -> list:
    """A lead assigned by the team leader: its new owner (once per assignment)."""
    return notify(
        event=LEAD_ASSIGNED,
        recipients=_others([lead.owner], by),
        obj=lead,
        title=_("线索分派给您：%(title)s") % {"title": lead},
        url=_lead_url(lead),
        key=f"{lead.pk}:{lead.owner_id}:{lead.claimed_at.isoformat() if lead.claimed_at else ''}",
    )


def lead_clock_overdue(lead: Lead, *, what: str) -> list:
    """A lead past its owner or judgement clock: the team's leader, once per clock."""
    leader = lead.team.leader if lead.team_id else None
    label = _("未分派") if what == "owner" else _("未研判")
    return notify(
        event=LEAD_CLOCK_OVERDUE,
        recipients=[leader],
        obj=lead,
        title=_("线索超时%(what)s：%(title)s") % {"what": label, "title": lead},
        url=_lead_url(lead),
        key=f"{lead.pk}:{what}",
    )


def pool_warning(lead: Lead, *, returns_on) -> list:
    """A held lead without a follow-up that returns to the pool within 7 days: its owner,
    once per last follow-up."""
    return notify(
        event=POOL_WARNING,
        recipients=[lead.owner],
        obj=lead,
        title=_("线索将于 %(day)s 退回公海池：%(title)s") % {"day": returns_on, "title": lead},
        body=_("最近跟进：%(day)s") % {"day": lead.last_follow_up_on},
        url=_lead_url(lead),
        key=f"{lead.pk}:{lead.owner_id}:{lead.last_follow_up_on}",
    )


def stage_red(project: Project) -> list:
    """A project red for its time in stage: its owner and its team's leader, once per stage
    entry."""
    return notify(
        event=STAGE_RED,
        recipients=[project.owner, project.team.leader],
        obj=project,
        title=_("项目在“%(stage)s”阶段停留超期：%(name)s")
        % {"stage": project.get_status_display(), "name": project.name},
        url=reverse("investment:project_detail", args=[project.pk]),
        key=f"{project.pk}:{project.status}:{project.stage_entered_at.isoformat()}",
    )


def trip_report_overdue(activity: Activity) -> list:
    """An outbound trip's report overdue (15 days after return): the staff who went."""
    return notify(
        event=TRIP_REPORT_OVERDUE,
        recipients=list(activity.staff.filter(Q(is_active=True))),
        obj=activity,
        title=_("外出招商报告逾期：%(title)s") % {"title": activity.title},
        body=_("报告应于 %(day)s 前提交") % {"day": activity.report_due_on},
        url=reverse("investment:activity_detail", args=[activity.pk]),
        key=f"{activity.pk}",
    )


def referrer_feedback_overdue(lead: Lead, *, due_on) -> list:
    """A lead from a referrer with no feedback to them a week after its first report: its
    owner and its team's leader, once each."""
    leader = lead.team.leader if lead.team_id else None
    return notify(
        event=REFERRER_FEEDBACK_OVERDUE,
        recipients=[lead.owner, leader],
        obj=lead,
        title=_("线索超时未反馈引荐人：%(title)s") % {"title": lead},
        body=_("引荐人：%(referrer)s；应于 %(day)s 前反馈")
        % {"referrer": lead.referrer or "—", "day": due_on},
        url=_lead_url(lead),
        key=f"{lead.pk}",
    )
