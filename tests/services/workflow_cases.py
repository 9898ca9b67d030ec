"""The services workflows (demands, loan intents, policy applications) for the cross-cutting
workflow tests: see tests/workflow_cases.py."""

import datetime
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import Department
from apps.services import services
from apps.services.models import Demand, LoanIntent, PolicyApplication
from tests.services.factories import ApplicationFactory, DemandFactory, LoanIntentFactory
from tests.workflow_cases import WorkflowCase

TODAY = timezone.localdate


def _other_department(obj):
    return (
        Department.objects.exclude(code=Department.Code.LEADERSHIP)
        .exclude(pk=obj.department_id)
        .first()
        .pk
    )


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


CASES = [
    WorkflowCase(
        workflow=services.DEMAND_WORKFLOW,
        page="services:demand_transition",
        api="/api/demands/",
        make=_demand,
        inputs={
            "accept": lambda obj: {"comment": "已受理"},
            "close": lambda obj: {"resolution": "已协调解决", "closed_on": TODAY().isoformat()},
            "follow_up": lambda obj: {
                "satisfaction": Demand.Satisfaction.SATISFIED,
                "comment": "",
            },
            "return": lambda obj: {"reason": "不属于本部门职责"},
            "reassign": lambda obj: {
                "department": _other_department(obj),
                "reason": "转交主管部门",
            },
            "instruct": lambda obj: {"instruction": "请抓紧办理"},
        },
    ),
    WorkflowCase(
        workflow=services.LOAN_WORKFLOW,
        page="services:loan_transition",
        api="/api/loan-intents/",
        make=_loan,
        inputs={
            "review": lambda obj: {"comment": ""},
            "credit": lambda obj: {"credit_amount": "800", "comment": ""},
            "disburse": lambda obj: {"disbursed_amount": "500", "comment": ""},
            "fail": lambda obj: {"reason": "企业放弃"},
        },
    ),
    WorkflowCase(
        workflow=services.APPLICATION_WORKFLOW,
        page="services:application_transition",
        api="/api/policy-applications/",
        make=_application,
        inputs={
            "submit": lambda obj: {"on": TODAY().isoformat(), "comment": ""},
            "approve": lambda obj: {
                "on": TODAY().isoformat(),
                "amount_granted": "",
                "certificate_no": "",
            },
            "reject": lambda obj: {"on": TODAY().isoformat(), "reason": "未通过评审"},
        },
    ),
]
