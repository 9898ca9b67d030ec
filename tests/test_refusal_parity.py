"""One refusal rule: for every transition of every workflow, as every role, from every state,
the page and the API answer the same thing (both take it, both 403, or both 400).

Generated from the workflow declarations (apps.core.workflow) and the cases each app gives in
``tests/<app>/workflow_cases.py`` (see tests/workflow_cases.py): a transition added to a
workflow is covered here without a line of this file changing, as long as its case gives it a
plausible body. Two identical objects are made for each case, one for the page and one for the
API.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.accounts.roles import Role
from tests.access import ROLES
from tests.conftest import make_role_user
from tests.workflow_cases import CASES, declared_workflows

PARAMS = [
    pytest.param(case, transition.action, id=f"{case.name}-{transition.action}")
    for case in CASES
    for transition in case.workflow.transitions
]


def _outcome(status_code: int) -> str:
    if status_code in (200, 302):
        return "taken"
    return str(status_code)


def test_every_workflow_has_a_case():
    covered = {id(case.workflow) for case in CASES}
    missing = [name for name, workflow in declared_workflows() if id(workflow) not in covered]
    assert missing == []


def test_every_transition_has_a_plausible_body():
    missing = [
        f"{case.name}:{t.action}"
        for case in CASES
        for t in case.workflow.transitions
        if t.action not in case.inputs
    ]
    assert missing == []


@pytest.mark.parametrize(("case", "action"), PARAMS)
def test_the_page_and_the_api_answer_the_same_for_every_role_and_state(case, action, client, db):
    users = {role.value: make_role_user(role) for role in Role}
    api_client = APIClient()
    outcomes = {}
    taken_somewhere = False
    for state in case.states:
        for role in ROLES:
            user = users[role]
            on_page, on_api = case.make(state), case.make(state)
            body = case.body(action, on_page)
            client.force_login(user)
            page_response = client.post(
                reverse(case.page, kwargs={"pk": on_page.pk, "action": action}),
                {f"{action}-{key}": value for key, value in body.items()},
            )
            api_client.force_authenticate(user)
            api_response = api_client.post(case.api_url(on_api, action), body, format="json")
            got = (_outcome(page_response.status_code), _outcome(api_response.status_code))
            outcomes[(state, role)] = got
            taken_somewhere |= got == ("taken", "taken")
    disagreements = {key: got for key, got in outcomes.items() if got[0] != got[1]}
    assert disagreements == {}
    # A positive control: the plausible body is taken by someone from some state.
    assert taken_somewhere, outcomes
