"""The monthly briefing's workflow (apps.dashboard.services.BRIEFING_WORKFLOW) for the
cross-cutting workflow tests: see tests/workflow_cases.py."""

import itertools

from django.utils import timezone

from apps.accounts.roles import Role
from apps.dashboard import services
from tests.conftest import make_role_user
from tests.workflow_cases import WorkflowCase

_numbers = itertools.count(1)


def _briefing(status):
    """A briefing in a state (each its own month: one briefing a month)."""
    from apps.accounts.models import User
    from apps.dashboard.models import Briefing

    number = next(_numbers)
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


CASES = [
    WorkflowCase(
        workflow=services.BRIEFING_WORKFLOW,
        page="dashboard:briefing_transition",
        api="/api/dashboard/briefings/",
        make=_briefing,
        inputs={
            "review": lambda obj: {"comment": ""},
            "return": lambda obj: {"reason": "数据待核"},
            "issue": lambda obj: {"comment": ""},
        },
    ),
]
