"""The 招商项目 workflow (apps.investment.services.PROJECT_WORKFLOW) for the cross-cutting
workflow tests: see tests/workflow_cases.py."""

from decimal import Decimal

from django.utils import timezone

from apps.accounts.roles import Role
from apps.investment import services
from tests.conftest import make_role_user
from tests.workflow_cases import WorkflowCase

TODAY = timezone.localdate


def _landing_code():
    from apps.enterprises.demo import make_credit_code

    return make_credit_code(987654, prefix="91410782")


def _loss_reason():
    from apps.investment.models import LossReason

    return LossReason.objects.first().pk


def _project(status):
    # The 招商 role user the test made (making it again would reset its password and so end
    # its session).
    from apps.accounts.models import User
    from apps.investment.models import AdmissionReview, LossReason, Project
    from tests.enterprises.factories import EnterpriseFactory
    from tests.investment.factories import ProjectFactory, TeamFactory

    officer = User.objects.filter(username="role-investment").first() or make_role_user(
        Role.INVESTMENT
    )
    team = TeamFactory(leader=officer)
    fields = {"status": status}
    landed = ("registered", "started", "producing", "capacity")
    if status in (*landed, "signed", "terminated"):
        fields.update(signed_on=TODAY(), contract_investment=Decimal(30000))
    if status in landed:
        fields["enterprise"] = EnterpriseFactory()
    if status == Project.Status.LOST:
        fields.update(loss_reason=LossReason.objects.first(), resume_to="inspecting")
    if status == Project.Status.SHELVED:
        fields["resume_to"] = "negotiating"
    if status == Project.Status.TERMINATED:
        fields["closing_note"] = "投资方违约"
    project = ProjectFactory(team=team, **fields)
    if status == Project.Status.REVIEWING:
        AdmissionReview.objects.create(
            project=project,
            reviewed_on=TODAY(),
            environment=True,
            energy=True,
            safety=True,
            conclusion="passed",
            by=officer,
        )
    return project


CASES = [
    WorkflowCase(
        workflow=services.PROJECT_WORKFLOW,
        page="investment:project_transition",
        api="/api/investment/projects/",
        make=_project,
        inputs={
            "inspect": lambda obj: {"comment": ""},
            "submit_review": lambda obj: {"comment": ""},
            "sign": lambda obj: {
                "kind": "contract",
                "amount": "30000",
                "signed_on": TODAY().isoformat(),
                "committed_start_on": "",
                "committed_production_on": "",
            },
            "register": lambda obj: {
                "enterprise": "",
                "enterprise_name": "招商落地测试（大善）有限公司",
                "credit_code": _landing_code(),
            },
            "start": lambda obj: {
                "construction_permit_no": "410782202601010101",
                "evidence": "",
                "started_on": TODAY().isoformat(),
            },
            "produce": lambda obj: {"comment": ""},
            "reach_capacity": lambda obj: {"comment": ""},
            "shelve": lambda obj: {"comment": "投资方暂缓"},
            "lose": lambda obj: {"loss_reason": _loss_reason(), "reason": "落户他地"},
            "resume": lambda obj: {"comment": ""},
            "terminate": lambda obj: {"reason": "投资方违约"},
        },
    ),
]
