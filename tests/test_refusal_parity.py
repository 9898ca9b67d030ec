"""One refusal rule: for every transition of every workflow, as every role, from every state,
the page and the API answer the same thing (both take it, both 403, or both 400).

Generated from the workflow declarations (apps.core.workflow): a transition added to a workflow
is covered here without a line of this file changing, as long as INPUTS gives it a plausible
body. Two identical objects are made for each case, one for the page and one for the API.
"""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.models import Department
from apps.accounts.roles import Role
from apps.core.workflow import Workflow
from apps.dashboard import services as dashboard_services
from apps.investment import services as investment_services
from apps.investment.models import Project
from apps.services import services
from apps.services.models import Demand, LoanIntent, PolicyApplication
from tests.access import ROLES
from tests.conftest import make_role_user
from tests.services.factories import ApplicationFactory, DemandFactory, LoanIntentFactory

TODAY = timezone.localdate


def _other_department(obj):
    return (
        Department.objects.exclude(code=Department.Code.LEADERSHIP)
        .exclude(pk=obj.department_id)
        .first()
        .pk
    )


# A plausible body per transition (the page posts it with the action's prefix).
INPUTS = {
    "accept": lambda obj: {"comment": "已受理"},
    "close": lambda obj: {"resolution": "已协调解决", "closed_on": TODAY().isoformat()},
    "follow_up": lambda obj: {"satisfaction": Demand.Satisfaction.SATISFIED, "comment": ""},
    "return": lambda obj: {"reason": "不属于本部门职责"},
    "reassign": lambda obj: {"department": _other_department(obj), "reason": "转交主管部门"},
    "instruct": lambda obj: {"instruction": "请抓紧办理"},
    "review": lambda obj: {"comment": ""},
    "credit": lambda obj: {"credit_amount": "800", "comment": ""},
    "disburse": lambda obj: {"disbursed_amount": "500", "comment": ""},
    "fail": lambda obj: {"reason": "企业放弃"},
    "submit": lambda obj: {"on": TODAY().isoformat(), "comment": ""},
    "approve": lambda obj: {"on": TODAY().isoformat(), "amount_granted": "", "certificate_no": ""},
    "reject": lambda obj: {"on": TODAY().isoformat(), "reason": "未通过评审"},
    # 月度简报 (apps.dashboard.services.BRIEFING_WORKFLOW; review and return as above)
    "issue": lambda obj: {"comment": ""},
    # 招商项目 (apps.investment.services.PROJECT_WORKFLOW)
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
}


def _demand(status):
    fields = {"status": status}
    if status in (Demand.Status.CLOSED, Demand.Status.FOLLOWED_UP):
        fields.update(resolution="已解决", closed_on=TODAY())
    if status == Demand.Status.FOLLOWED_UP:
        fields["satisfaction"] = Demand.Satisfaction.SATISFIED
    return DemandFactory(**fields)


def _loan(status):
    fields = {"status": status}
    if status in (LoanIntent.Status.CREDITED, LoanIntent.Status.DISBURSED):
        fields["credit_amount"] = Decimal(800)
    if status == LoanIntent.Status.DISBURSED:
        fields["disbursed_amount"] = Decimal(500)
    if status == LoanIntent.Status.FAILED:
        fields["failure_reason"] = "企业放弃"
    return LoanIntentFactory(**fields)


def _application(status):
    fields = {"status": status}
    if status != PolicyApplication.Status.COACHING:
        fields["submitted_on"] = datetime.date(2023, 6, 1)
    if status in (PolicyApplication.Status.APPROVED, PolicyApplication.Status.REJECTED):
        fields["decided_on"] = datetime.date(2023, 9, 1)
    return ApplicationFactory(**fields)


def _landing_code():
    from apps.enterprises.demo import make_credit_code

    return make_credit_code(987654, prefix="91410782")


def _loss_reason():
    from apps.investment.models import LossReason

    return LossReason.objects.first().pk


def _investment_project(status):
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


_briefing_numbers = itertools.count(1)


def _briefing(status):
    """A briefing in a state (each its own month: one briefing a month)."""
    from apps.accounts.models import User
    from apps.dashboard.models import Briefing

    number = next(_briefing_numbers)
    issued = status == Briefing.Status.ISSUED
    year, month = 2000 + number // 12 % 100, number % 12 + 1
    snapshot = {"period": f"{year}-{month:02d}", "year": year, "month": month, "sections": []}
    snapshot.update(headline="", contributors=[], problems=[], figures=[], next_steps="")
    return Briefing.objects.create(
        year=year,
        month=month,
        issue_no=month,
        title=f"简报{number}",
        status=status,
        snapshot=snapshot if issued else None,
        document=b"docx" if issued else None,
        issued_at=timezone.now() if issued else None,
        created_by=User.objects.filter(is_superuser=True).first()
        or make_role_user(Role.ADMIN, username="briefing-drafter"),
    )


# (workflow, page URL name, API URL prefix, object maker, states)
WORKFLOWS = [
    (
        services.DEMAND_WORKFLOW,
        "services:demand_transition",
        "/api/demands/",
        _demand,
        Demand.Status.values,
    ),
    (
        services.LOAN_WORKFLOW,
        "services:loan_transition",
        "/api/loan-intents/",
        _loan,
        LoanIntent.Status.values,
    ),
    (
        services.APPLICATION_WORKFLOW,
        "services:application_transition",
        "/api/policy-applications/",
        _application,
        PolicyApplication.Status.values,
    ),
    (
        dashboard_services.BRIEFING_WORKFLOW,
        "dashboard:briefing_transition",
        "/api/dashboard/briefings/",
        _briefing,
        ["draft", "reviewed", "issued"],
    ),
    (
        investment_services.PROJECT_WORKFLOW,
        "investment:project_transition",
        "/api/investment/projects/",
        _investment_project,
        Project.Status.values,
    ),
]

CASES = [
    pytest.param(workflow, page, api, make, transition.action, id=f"{api}{transition.action}")
    for workflow, page, api, make, _states in WORKFLOWS
    for transition in workflow.transitions
]


def _states_of(workflow: Workflow):
    for candidate, _page, _api, _make, states in WORKFLOWS:
        if candidate is workflow:
            return states
    raise AssertionError


def _outcome(status_code: int) -> str:
    if status_code in (200, 302):
        return "taken"
    return str(status_code)


def test_every_transition_has_a_plausible_body():
    missing = [
        t.action
        for workflow, *_rest in WORKFLOWS
        for t in workflow.transitions
        if t.action not in INPUTS
    ]
    assert missing == []


@pytest.mark.parametrize(("workflow", "page", "api", "make", "action"), CASES)
def test_the_page_and_the_api_answer_the_same_for_every_role_and_state(
    workflow, page, api, make, action, client, db
):
    users = {role.value: make_role_user(role) for role in Role}
    api_client = APIClient()
    outcomes = {}
    taken_somewhere = False
    for state in _states_of(workflow):
        for role in ROLES:
            user = users[role]
            on_page, on_api = make(state), make(state)
            body = INPUTS[action](on_page)
            client.force_login(user)
            page_response = client.post(
                reverse(page, kwargs={"pk": on_page.pk, "action": action}),
                {f"{action}-{key}": value for key, value in body.items()},
            )
            api_client.force_authenticate(user)
            api_response = api_client.post(
                f"{api}{on_api.pk}/{workflow.transition(action).url_path}/", body, format="json"
            )
            got = (_outcome(page_response.status_code), _outcome(api_response.status_code))
            outcomes[(state, role)] = got
            taken_somewhere |= got == ("taken", "taken")
    disagreements = {key: got for key, got in outcomes.items() if got[0] != got[1]}
    assert disagreements == {}
    # A positive control: the plausible body is taken by someone from some state.
    assert taken_somewhere, outcomes
