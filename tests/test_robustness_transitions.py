"""Every disallowed state change, through the page and through the API, is refused with a
Chinese reason and changes nothing: every workflow of tests/<app>/workflow_cases.py (demands,
loan intents, policy applications, contracts, investment projects, …), selection rounds and
pay sheets."""

import re
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from rest_framework.test import APIClient

from apps.accounts.models import Department
from apps.accounts.roles import Role
from apps.services.models import LoanIntent
from apps.staff import services as staff_services
from tests.robustness_inputs import changed_tables, fingerprint
from tests.services.factories import DemandFactory, LoanIntentFactory
from tests.staff.factories import SelectionRoundFactory, appoint
from tests.workflow_cases import CASES

CHINESE = re.compile(r"[\u4e00-\u9fff]{2,}")


@pytest.fixture
def api_client():
    return APIClient()


def _refused(response, reason_fragment: str | None = None):
    text = response.content.decode()
    assert response.status_code in (400, 403), response.status_code
    assert CHINESE.search(text), text[:300]
    assert "您没有访问此页面的权限" not in text, "a refusal by state must say why, not deny access"
    if reason_fragment:
        assert reason_fragment in text, f"{reason_fragment!r} not in the answer"


def _unchanged(call):
    before = fingerprint()
    response = call()
    assert response.status_code < 500
    assert changed_tables(before, fingerprint()) == []
    return response


# -- Workflows (demands, loan intents, policy applications) -----------------------------------

DISALLOWED = [
    pytest.param(case, state, transition.action, id=f"{case.name}-{state}-{transition.action}")
    for case in CASES
    for state in case.states
    for transition in case.workflow.transitions
    if transition.sources and state not in transition.sources
]


@pytest.mark.parametrize(("case", "state", "action"), DISALLOWED)
def test_a_move_its_state_does_not_allow_is_refused_with_the_reason_and_changes_nothing(
    case, state, action, client, api_client, db
):
    from tests.conftest import make_role_user

    admin = make_role_user(Role.ADMIN)
    record = case.make(state)
    workflow = case.workflow
    reason = str(workflow.state_refusal(record, workflow.transition(action)))
    body = case.body(action, record)
    client.force_login(admin)
    api_client.force_authenticate(admin)
    page_url = reverse(case.page, kwargs={"pk": record.pk, "action": action})
    page_body = {f"{action}-{key}": value for key, value in body.items()}
    response = _unchanged(lambda: client.post(page_url, page_body))
    assert response.status_code == 400
    _refused(response, reason)
    api_url = case.api_url(record, action)
    response = _unchanged(lambda: api_client.post(api_url, body, format="json"))
    assert response.status_code == 400
    _refused(response, reason)
    assert response.json()["detail"] == reason


def test_an_unknown_action_answers_404(client, db):
    from tests.conftest import make_role_user

    client.force_login(make_role_user(Role.ADMIN))
    demand = DemandFactory()
    response = _unchanged(lambda: client.post(f"/services/demands/{demand.pk}/explode/"))
    assert response.status_code == 404


def test_a_loan_intent_refuses_a_credit_beyond_the_column_and_a_negative_one(
    client, api_client, user_of
):
    economy = user_of(Role.ECONOMY, username="economy")
    intent = LoanIntentFactory(status=LoanIntent.Status.REVIEWING)
    client.force_login(economy)
    api_client.force_authenticate(economy)
    url = reverse("api:loan-intent-credit", kwargs={"pk": intent.pk})
    page = reverse("services:loan_transition", kwargs={"pk": intent.pk, "action": "credit"})
    for amount in ["-5", "9" * 30, "abc", "NaN"]:
        response = _unchanged(lambda: client.post(page, {"credit-credit_amount": amount}))  # noqa: B023
        assert response.status_code == 400
        response = _unchanged(
            lambda: api_client.post(url, {"credit_amount": amount}, format="json")  # noqa: B023
        )
        assert response.status_code == 400
        assert set(response.json()) == {"detail", "errors"}


# -- Appointments and selection rounds --------------------------------------------------------


def _messages(response):
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def test_a_terminated_appointment_can_be_neither_renewed_nor_terminated_again(client, user_of):
    hr = user_of(Role.HR, username="hr")
    appointment = appoint(start=date(2024, 1, 1))
    staff_services.appointment_terminate(
        appointment=appointment, terminated_on=date(2024, 6, 1), reason="个人原因", by=hr
    )
    client.force_login(hr)
    for action, body in [
        ("renew", {"renew-years": "3"}),
        ("terminate", {"terminate-terminated_on": "2024-07-01", "terminate-reason": "再次解聘"}),
    ]:
        url = reverse(
            "staff:appointment_transition", kwargs={"pk": appointment.pk, "action": action}
        )
        response = _unchanged(lambda: client.post(url, body))  # noqa: B023
        assert response.status_code == 400, url
        assert CHINESE.search(str(response.context["refusal"])), url


def test_a_renewed_appointment_refuses_a_second_renewal(client, user_of):
    hr = user_of(Role.HR, username="hr")
    appointment = appoint(start=date(2021, 1, 1), end=date(2023, 12, 31))
    staff_services.appointment_renew(appointment=appointment, years=3, by=hr)
    client.force_login(hr)
    url = reverse("staff:appointment_transition", kwargs={"pk": appointment.pk, "action": "renew"})
    response = _unchanged(lambda: client.post(url, {"renew-years": "3"}))
    assert response.status_code == 400
    assert "该合同已经续聘" in response.content.decode()


def test_a_round_cannot_be_confirmed_before_it_is_computed_nor_computed_empty(client, user_of):
    hr = user_of(Role.HR, username="hr")
    selection = SelectionRoundFactory()
    client.force_login(hr)
    for name, reason in [
        ("staff:round_confirm", "请先计算"),
        ("staff:round_compute", "还没有报名人"),
    ]:
        url = reverse(name, kwargs={"pk": selection.pk})
        response = _unchanged(lambda: client.post(url))  # noqa: B023
        assert response.status_code == 400
        assert reason in _messages(response)


def test_a_pay_sheet_is_not_generated_for_a_department_without_staff(client, user_of):
    hr = user_of(Role.HR, username="hr")
    client.force_login(hr)
    empty = Department.objects.get(code=Department.Code.INVESTMENT)
    url = reverse("staff:pay_sheet_generate")
    response = _unchanged(
        lambda: client.post(url, {"department": empty.pk, "year": "2023", "quarter": "1"})
    )
    assert response.status_code == 400
    assert "没有在聘人员" in response.content.decode()
