"""Every disallowed state change, through the page and through the API, is refused with a
Chinese reason and changes nothing: demands, loan intents, policy applications, appointments
and selection rounds."""

import re
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from rest_framework.test import APIClient

from apps.accounts.models import Department
from apps.accounts.roles import Role
from apps.services import services
from apps.services.models import Demand, LoanIntent, PolicyApplication
from apps.staff import services as staff_services
from tests.robustness_inputs import changed_tables, fingerprint
from tests.services.factories import ApplicationFactory, DemandFactory, LoanIntentFactory
from tests.staff.factories import SelectionRoundFactory, appoint

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


# -- Demands ----------------------------------------------------------------------------------

CLOSED = {"resolution": "已办结", "closed_on": date(2024, 1, 2), "raised_on": date(2024, 1, 1)}
DEMAND_STATES = {
    Demand.Status.PENDING: {},
    Demand.Status.IN_PROGRESS: {},
    Demand.Status.CLOSED: CLOSED,
    Demand.Status.FOLLOWED_UP: {**CLOSED, "satisfaction": "satisfied"},
    Demand.Status.RETURNED: {},
}
API_ACTION = {"follow_up": "follow-up"}


@pytest.mark.parametrize("status", list(DEMAND_STATES))
def test_a_demand_refuses_every_move_its_state_does_not_allow(status, client, api_client, db):
    from tests.conftest import make_role_user

    admin = make_role_user(Role.ADMIN)
    demand = DemandFactory(status=status, created_by=admin, **_demand_fields(status))
    client.force_login(admin)
    api_client.force_authenticate(admin)
    refused = [action for action, check in services.CHECKS.items() if check(admin, demand)]
    assert refused, "every state refuses some move"
    for action in refused:
        reason = str(services.CHECKS[action](admin, demand))
        page = f"/services/demands/{demand.pk}/{action}/"
        body = {f"{action}-reason": "理由", f"{action}-resolution": "结果"}
        _refused(_unchanged(lambda: client.post(page, body)), reason)  # noqa: B023
        url = reverse(f"api:demand-{API_ACTION.get(action, action)}", kwargs={"pk": demand.pk})
        _refused(_unchanged(lambda: api_client.post(url, {"reason": "理由"})), reason)  # noqa: B023


def _demand_fields(status):
    return DEMAND_STATES[status]


def test_an_unknown_demand_action_answers_404(client, db):
    from tests.conftest import make_role_user

    client.force_login(make_role_user(Role.ADMIN))
    demand = DemandFactory()
    response = _unchanged(lambda: client.post(f"/services/demands/{demand.pk}/explode/"))
    assert response.status_code == 404


# -- Loans and policy applications ------------------------------------------------------------

LOAN_FIELDS = {
    LoanIntent.Status.CREDITED: {"credit_amount": 800},
    LoanIntent.Status.DISBURSED: {"credit_amount": 800, "disbursed_amount": 500},
    LoanIntent.Status.FAILED: {"failure_reason": "材料不全"},
}


def _disallowed_moves(statuses, allowed):
    return [
        (source, target)
        for source in statuses
        for target in statuses
        if target not in allowed[source]
    ]


def _check_refused_move(*, economy, client, api_client, page, api_url, body, record, final):
    """The page and the API both refuse (with the reason when the record is final)."""
    client.force_login(economy)
    api_client.force_authenticate(economy)
    reason = "不能再变更状态" if final else None
    _refused(_unchanged(lambda: client.post(page, body)), reason)
    _refused(_unchanged(lambda: api_client.post(api_url, body, format="json")))
    before = record.status
    record.refresh_from_db()
    assert record.status == before


LOAN_MOVES = _disallowed_moves(LoanIntent.Status.values, services.LOAN_NEXT)


@pytest.mark.parametrize(("source", "target"), LOAN_MOVES)
def test_a_loan_intent_refuses_a_move_its_status_does_not_allow(
    source, target, client, api_client, user_of
):
    intent = LoanIntentFactory(status=source, **LOAN_FIELDS.get(source, {}))
    _check_refused_move(
        economy=user_of(Role.ECONOMY, username="economy"),
        client=client,
        api_client=api_client,
        page=f"/services/loans/{intent.pk}/",
        api_url=reverse("api:loan-intent-advance", kwargs={"pk": intent.pk}),
        body={
            "status": target,
            "credit_amount": "900",
            "disbursed_amount": "100",
            "reason": "原因",
        },
        record=intent,
        final=not services.LOAN_NEXT[source],
    )


def test_a_loan_intent_refuses_a_credit_beyond_the_column_and_a_negative_one(
    client, api_client, user_of
):
    economy = user_of(Role.ECONOMY, username="economy")
    intent = LoanIntentFactory(status=LoanIntent.Status.REVIEWING)
    client.force_login(economy)
    api_client.force_authenticate(economy)
    url = reverse("api:loan-intent-advance", kwargs={"pk": intent.pk})
    for amount in ["-5", "9" * 30, "abc", "NaN"]:
        body = {"status": LoanIntent.Status.CREDITED, "credit_amount": amount}
        _refused(_unchanged(lambda: client.post(f"/services/loans/{intent.pk}/", body)))  # noqa: B023
        _refused(_unchanged(lambda: api_client.post(url, body, format="json")))  # noqa: B023


APPLICATION_FIELDS = {
    PolicyApplication.Status.SUBMITTED: {"submitted_on": date(2023, 4, 1)},
    PolicyApplication.Status.APPROVED: {
        "submitted_on": date(2023, 4, 1),
        "decided_on": date(2023, 6, 1),
    },
    PolicyApplication.Status.REJECTED: {
        "submitted_on": date(2023, 4, 1),
        "decided_on": date(2023, 6, 1),
    },
}
APPLICATION_MOVES = _disallowed_moves(PolicyApplication.Status.values, services.APPLICATION_NEXT)


@pytest.mark.parametrize(("source", "target"), APPLICATION_MOVES)
def test_a_policy_application_refuses_a_move_its_status_does_not_allow(
    source, target, client, api_client, user_of
):
    application = ApplicationFactory(status=source, **APPLICATION_FIELDS.get(source, {}))
    _check_refused_move(
        economy=user_of(Role.ECONOMY, username="economy"),
        client=client,
        api_client=api_client,
        page=f"/services/applications/{application.pk}/",
        api_url=reverse("api:policy-application-advance", kwargs={"pk": application.pk}),
        body={"status": target, "on": "2023-07-01", "amount_granted": "10"},
        record=application,
        final=not services.APPLICATION_NEXT[source],
    )


def test_reading_roles_cannot_move_a_loan_or_an_application(client, api_client, user_of):
    leader = user_of(Role.LEADER, username="leader")
    intent = LoanIntentFactory()
    application = ApplicationFactory()
    api_client.force_authenticate(leader)
    client.force_login(leader)
    for page, url, body in [
        (
            f"/services/loans/{intent.pk}/",
            reverse("api:loan-intent-advance", kwargs={"pk": intent.pk}),
            {"status": LoanIntent.Status.REVIEWING},
        ),
        (
            f"/services/applications/{application.pk}/",
            reverse("api:policy-application-advance", kwargs={"pk": application.pk}),
            {"status": PolicyApplication.Status.SUBMITTED, "on": "2023-04-01"},
        ),
    ]:
        assert _unchanged(lambda: client.post(page, body)).status_code == 403  # noqa: B023
        _refused(_unchanged(lambda: api_client.post(url, body, format="json")))  # noqa: B023


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
    renew = reverse("staff:appointment_renew", kwargs={"pk": appointment.pk})
    terminate = reverse("staff:appointment_terminate", kwargs={"pk": appointment.pk})
    for url, body in [
        (renew, {"years": "3"}),
        (terminate, {"terminated_on": "2024-07-01", "reason": "再次解聘"}),
    ]:
        response = _unchanged(lambda: client.post(url, body))  # noqa: B023
        assert response.status_code == 200, url
        assert response.context["form"].errors, url
        assert CHINESE.search(" ".join(response.context["form"].non_field_errors()))


def test_a_renewed_appointment_refuses_a_second_renewal(client, user_of):
    hr = user_of(Role.HR, username="hr")
    appointment = appoint(start=date(2021, 1, 1), end=date(2023, 12, 31))
    staff_services.appointment_renew(appointment=appointment, years=3, by=hr)
    client.force_login(hr)
    url = reverse("staff:appointment_renew", kwargs={"pk": appointment.pk})
    response = _unchanged(lambda: client.post(url, {"years": "3"}))
    assert "该合同已经续聘" in " ".join(response.context["form"].non_field_errors())


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
        assert response.status_code == 302
        assert reason in _messages(response)


def test_a_pay_sheet_is_not_generated_for_a_department_without_staff(client, user_of):
    hr = user_of(Role.HR, username="hr")
    client.force_login(hr)
    empty = Department.objects.get(code=Department.Code.INVESTMENT)
    url = reverse("staff:pay_sheet_generate")
    response = _unchanged(
        lambda: client.post(url, {"department": empty.pk, "year": "2023", "quarter": "1"})
    )
    assert response.status_code in (200, 400)
    assert "没有在聘人员" in response.content.decode()
