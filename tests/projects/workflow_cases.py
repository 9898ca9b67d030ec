"""The project ledger's workflows (apps.projects.services: PROJECT_WORKFLOW, the construction
status, and REPORT_WORKFLOW, the monthly report) for the cross-cutting workflow tests: see
tests/workflow_cases.py."""

import datetime

from django.utils import timezone

from apps.accounts.roles import Role
from apps.projects import services
from tests.conftest import make_role_user
from tests.workflow_cases import WorkflowCase

TODAY = timezone.localdate


def _comment(obj):
    return {"comment": ""}


def _construction_project(status):
    from apps.projects.models import Project
    from tests.projects.factories import ProjectFactory

    fields = {"status": status}
    if status in Project.NOT_STARTED:
        fields.update(actual_start=None, registered_on=None)
    if status in ("completed", "producing", "capacity"):
        fields["actual_completion"] = datetime.date(2024, 6, 30)
    if status == "halted":
        fields.update(halt_reason="资金未到位", halted_on=TODAY(), resume_to="constructing")
    return ProjectFactory(**fields)


def _report(status):
    # The liaison is the 项目联络员 role user the test made, so that it may submit (making it
    # again would reset its password and so end its session).
    from apps.accounts.models import User
    from apps.projects.models import MonthlyReport
    from tests.projects.factories import ProjectFactory, ReportFactory

    liaison = User.objects.filter(username="role-liaison").first() or make_role_user(Role.LIAISON)
    project = ProjectFactory(liaison=liaison)
    fields = {"status": status}
    if status == MonthlyReport.Status.RETURNED:
        fields["return_reason"] = "投资额与凭证不符"
    return ReportFactory(project=project, **fields)


CASES = [
    WorkflowCase(
        workflow=services.PROJECT_WORKFLOW,
        page="projects:project_transition",
        api="/api/projects/projects/",
        make=_construction_project,
        inputs={
            "prepare": _comment,
            "start": lambda obj: {"started_on": TODAY().isoformat(), "comment": ""},
            "complete": lambda obj: {"completed_on": TODAY().isoformat(), "comment": ""},
            "produce": _comment,
            "reach_capacity": _comment,
            "halt": lambda obj: {"reason": "资金未到位", "halted_on": TODAY().isoformat()},
            "resume": _comment,
        },
    ),
    WorkflowCase(
        workflow=services.REPORT_WORKFLOW,
        page="projects:report_transition",
        api="/api/projects/reports/",
        make=_report,
        inputs={
            "submit": _comment,
            "approve": _comment,
            "return_report": lambda obj: {"reason": "投资额与凭证不符"},
        },
    ),
]
