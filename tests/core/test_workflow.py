"""The workflow mechanism, on the loan-intent declaration (apps.services.services)."""

from decimal import Decimal

import pytest

from apps.accounts.roles import Role
from apps.core.errors import NotAllowed, Refused
from apps.services.models import LoanIntent, LoanIntentEvent
from apps.services.services import LOAN_WORKFLOW
from tests.services.factories import LoanIntentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(user_of):
    return user_of(Role.ECONOMY, username="economy-officer")


def test_allowed_actions_are_the_transitions_whose_actor_and_state_both_pass(officer, user_of):
    intent = LoanIntentFactory()
    assert LOAN_WORKFLOW.allowed_actions(officer, intent) == ["review", "fail"]
    assert LOAN_WORKFLOW.allowed_actions(user_of(Role.SERVICE), intent) == []


def test_perform_changes_the_state_and_writes_one_event(officer):
    intent = LoanIntentFactory()
    reviewed = LOAN_WORKFLOW.perform(intent, "review", by=officer, comment="材料齐全")
    credited = LOAN_WORKFLOW.perform(reviewed, "credit", by=officer, credit_amount=Decimal(800))
    assert credited.status == LoanIntent.Status.CREDITED
    assert credited.credit_amount == Decimal(800)
    events = list(LoanIntentEvent.objects.filter(intent=intent).order_by("id"))
    assert [(e.action, e.from_status, e.to_status) for e in events] == [
        ("review", "intent", "reviewing"),
        ("credit", "reviewing", "credited"),
    ]
    assert events[0].comment == "材料齐全" and events[0].by == officer


def test_the_actor_is_refused_with_403_before_the_state_is_looked_at(user_of):
    intent = LoanIntentFactory(status=LoanIntent.Status.FAILED, failure_reason="企业放弃")
    with pytest.raises(NotAllowed, match="政银企对接由经济发展局负责"):
        LOAN_WORKFLOW.perform(intent, "review", by=user_of(Role.SERVICE))


def test_a_state_that_does_not_allow_it_is_refused_with_400_and_nothing_written(officer):
    intent = LoanIntentFactory(status=LoanIntent.Status.FAILED, failure_reason="企业放弃")
    with pytest.raises(Refused, match="当前状态为“未成功”，不能进入审批"):
        LOAN_WORKFLOW.perform(intent, "review", by=officer)
    assert not LoanIntentEvent.objects.exists()


def test_bad_input_is_refused_on_its_field_and_the_state_is_unchanged(officer):
    intent = LoanIntentFactory(status=LoanIntent.Status.CREDITED, credit_amount=Decimal(100))
    with pytest.raises(Refused) as refused:
        LOAN_WORKFLOW.perform(intent, "disburse", by=officer, disbursed_amount=Decimal(200))
    assert refused.value.message_dict == {"disbursed_amount": ["放款金额不能超过授信金额"]}
    intent.refresh_from_db()
    assert intent.status == LoanIntent.Status.CREDITED


def test_a_reason_is_required_for_a_loss(officer):
    intent = LoanIntentFactory()
    with pytest.raises(Refused):
        LOAN_WORKFLOW.perform(intent, "fail", by=officer, reason="  ")
    LOAN_WORKFLOW.perform(intent, "fail", by=officer, reason="企业放弃")
    intent.refresh_from_db()
    assert (intent.status, intent.failure_reason) == (LoanIntent.Status.FAILED, "企业放弃")


# -- WorkflowPage: one declared class for the detail page and its actions ----------------------


def test_the_workflow_page_shows_the_allowed_actions_and_opens_the_one_asked_for(client, officer):
    from django.urls import reverse

    intent = LoanIntentFactory()
    client.force_login(officer)
    url = reverse("services:loan_detail", args=[intent.pk])
    html = client.get(url).content.decode()
    assert 'data-action="review"' in html and 'data-action="fail"' in html
    assert 'id="action-review"' in html and 'class="collapse show"' not in html
    html = client.get(f"{url}?action=fail").content.decode()
    assert 'class="collapse show" id="action-fail"' in html
    # An action the user may not take now opens nothing.
    assert 'class="collapse show"' not in client.get(f"{url}?action=credit").content.decode()


def test_the_workflow_page_answers_405_for_a_post_to_the_page_and_a_get_of_an_action(
    client, officer
):
    from django.urls import reverse

    intent = LoanIntentFactory()
    client.force_login(officer)
    assert client.post(reverse("services:loan_detail", args=[intent.pk])).status_code == 405
    action = reverse("services:loan_transition", kwargs={"pk": intent.pk, "action": "review"})
    assert client.get(action).status_code == 405
    intent.refresh_from_db()
    assert intent.status == LoanIntent.Status.INTENT


def test_the_system_may_act_without_an_actor_where_the_event_model_allows_it():
    from datetime import date

    from apps.staff.models import AppointmentEvent
    from apps.staff.services import APPOINTMENT_WORKFLOW
    from tests.staff.factories import appoint

    appointment = appoint(start=date(2024, 1, 1), end=date(2026, 12, 31), today=date(2024, 6, 1))
    APPOINTMENT_WORKFLOW.perform(
        appointment, "terminate", by=None, terminated_on=date(2024, 7, 1), reason="个人原因"
    )
    event = AppointmentEvent.objects.get(appointment=appointment)
    assert (event.by, event.from_status, event.to_status) == (None, "active", "terminated")
