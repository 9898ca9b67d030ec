"""What schemathesis found on the staff API (issue 9), one regression test each."""

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from tests.staff.factories import appoint

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("terminated_on", [True, 0])
def test_a_date_that_is_not_text_is_refused_with_400_not_500(client, user_of, terminated_on):
    # The workflow actions' bodies (apps.core.api) handed {"terminated_on": true} to the form,
    # whose DateField called value.strip(): 500.
    appointment = appoint()
    client.force_login(user_of(Role.ADMIN, username="zhou"))
    response = client.post(
        reverse("api:staff-appointment-terminate", kwargs={"pk": appointment.pk}),
        {"terminated_on": terminated_on, "reason": "合同期满"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "terminated_on" in response.json()["errors"]
