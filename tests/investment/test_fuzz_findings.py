"""What schemathesis found on the investment API (issue 9), one regression test each."""

import pytest
from rest_framework.test import APIClient

from tests.investment.factories import InvestorFactory

pytestmark = pytest.mark.django_db


def test_a_lead_body_refuses_a_number_for_text_and_for_a_boolean(officer, team):
    # The serializer is strict (apps.core.api.StrictModelSerializer): DRF took 0 as "0" and as
    # false where the schema says string and boolean.
    api = APIClient()
    api.force_authenticate(officer)
    body = {"investor": InvestorFactory().pk, "title": 0, "channel": "其他", "confidential": 0}
    response = api.post("/api/investment/leads/", body, format="json")
    assert response.status_code == 400
    assert {"title", "confidential"} <= set(response.json()["errors"])
