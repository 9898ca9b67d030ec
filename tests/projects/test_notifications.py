"""Notifications: a returned or approved report tells its liaison; the daily task tells the
liaison of an overdue report and the liaison and the leader of an overdue milestone, once."""

import datetime

import pytest

from apps.accounts.models import Notification
from apps.accounts.roles import Role
from apps.projects import services, tasks
from apps.projects.models import MonthlyReport
from tests.conftest import make_role_user
from tests.projects.factories import MilestoneFactory, ProjectFactory, ReportFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_returned_report_tells_its_liaison(project, economy):
    report = ReportFactory(project=project, status=MonthlyReport.Status.SUBMITTED)
    services.report_transition(report=report, action="return_report", by=economy, reason="不符")
    notes = Notification.objects.filter(recipient=project.liaison)
    assert notes.count() == 1 and "退回" in notes.get().title


def test_the_daily_task_tells_of_overdue_reports_and_milestones_once():
    leader = make_role_user(Role.LEADER, username="xm-bao")
    project = ProjectFactory(leader=leader, actual_start=datetime.date(2023, 3, 15))
    MilestoneFactory(project=project, due_on=datetime.date(2023, 9, 30))
    first = tasks.notify_reports_due()
    # One overdue report (the liaison), one milestone (the liaison and the leader).
    assert first == 3
    assert tasks.notify_reports_due() == 0
    assert Notification.objects.filter(recipient=leader).count() == 1
