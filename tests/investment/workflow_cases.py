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


def _resident_report(status):
    # Reports of one resident team led by the 招商 role user the test made (one team, so the
    # team ids the permission check caches on a signed-in user stay true); the reviewer is the
    # leader of another (local) 招商组, so the roles answer differently.
    import datetime

    from apps.accounts.models import User
    from apps.investment.models import ResidentReport, Team
    from tests.investment.factories import TeamFactory

    officer = User.objects.filter(username="role-investment").first() or make_role_user(
        Role.INVESTMENT
    )
    resident = Team.objects.filter(kind=Team.Kind.RESIDENT, leader=officer).first()
    if resident is None:
        resident = TeamFactory(kind=Team.Kind.RESIDENT, city="深圳", leader=officer)
    made = ResidentReport.objects.filter(team=resident).count()
    return ResidentReport.objects.create(
        team=resident,
        month=datetime.date(2020 + made // 12, made % 12 + 1, 1),
        people=2,
        days_on_site=20,
        visits=15,
        destinations="南山、宝安",
        status=status,
        submitted_by=officer,
    )


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
    WorkflowCase(
        workflow=services.RESIDENT_REPORT_WORKFLOW,
        page="investment:resident_report_transition",
        api="/api/investment/resident-reports/",
        make=_resident_report,
        inputs={
            "accept": lambda obj: {"comment": ""},
            "return": lambda obj: {"reason": "走访去向不全"},
            "resubmit": lambda obj: {
                "people": "3",
                "days_on_site": "22",
                "visits": "18",
                "destinations": "南山",
                "work": "",
            },
        },
    ),
]
