"""项目台账 events that notify someone, and who receives each.

The report workflow calls `report_returned` and `report_approved` after the write (through the
transition's `notify`); the daily task `apps.projects.tasks.notify_reports_due` tells each
liaison of the reports due and the milestones overdue. The actor is never told about their own
action; `notify` drops anyone who may not read projects.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.services import notify
from apps.core.registry import NotificationEvent
from apps.projects import permissions

REPORT_DUE = "projects.report_due"
REPORT_RETURNED = "projects.report_returned"
REPORT_APPROVED = "projects.report_approved"
MILESTONE_OVERDUE = "projects.milestone_overdue"

EVENTS = [
    NotificationEvent(
        REPORT_DUE,
        gettext_lazy("月报待填报"),
        gettext_lazy("项目联络员"),
        permissions.may_see,
        gettext_lazy("每日 07:10，报送期限已过仍未提交时"),
    ),
    NotificationEvent(
        REPORT_RETURNED,
        gettext_lazy("月报被退回"),
        gettext_lazy("项目联络员"),
        permissions.may_see,
        gettext_lazy("经济发展局或领导退回月报时"),
    ),
    NotificationEvent(
        REPORT_APPROVED,
        gettext_lazy("月报已审核"),
        gettext_lazy("项目联络员"),
        permissions.may_see,
        gettext_lazy("月报审核通过时"),
    ),
    NotificationEvent(
        MILESTONE_OVERDUE,
        gettext_lazy("项目节点逾期"),
        gettext_lazy("项目联络员和包联领导"),
        permissions.may_see,
        gettext_lazy("每日 07:10，节点逾期未完成时"),
    ),
]


def _others(users, by):
    return [user for user in users if user is not None and (by is None or user.pk != by.pk)]


def report_returned(report, by):
    return notify(
        event=REPORT_RETURNED,
        recipients=_others([report.project.liaison], by),
        obj=report,
        title=_("%(project)s %(month)s月报被退回")
        % {
            "project": report.project.name,
            "month": report.period_code,
        },
        body=report.return_reason,
        key=f"{report.pk}:{report.events.count()}",
        url=report.get_absolute_url(),
    )


def report_approved(report, by):
    return notify(
        event=REPORT_APPROVED,
        recipients=_others([report.project.liaison], by),
        obj=report,
        title=_("%(project)s %(month)s月报已审核")
        % {
            "project": report.project.name,
            "month": report.period_code,
        },
        key=str(report.pk),
        url=report.get_absolute_url(),
    )


def report_due(project, period):
    return notify(
        event=REPORT_DUE,
        recipients=[project.liaison],
        obj=project,
        title=_("%(project)s %(month)s月报逾期未报")
        % {
            "project": project.name,
            "month": period.code,
        },
        key=f"{project.pk}:{period.code}",
        url=reverse("projects:report_create", args=[project.pk]) + f"?month={period.code}",
    )


def milestone_overdue(milestone):
    project = milestone.project
    return notify(
        event=MILESTONE_OVERDUE,
        recipients=[project.liaison, project.leader],
        obj=project,
        title=_("%(project)s节点“%(name)s”已逾期（应于%(day)s完成）")
        % {
            "project": project.name,
            "name": milestone.name,
            "day": milestone.due_on.isoformat(),
        },
        key=f"{milestone.pk}:{milestone.due_on.isoformat()}",
        url=project.get_absolute_url(),
    )
