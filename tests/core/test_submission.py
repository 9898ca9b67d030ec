"""A create form is written at most once per one-time key (apps.core.views.form_page)."""

import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.services.models import Demand
from tests.enterprises.factories import EnterpriseFactory
from tests.services.factories import category

pytestmark = pytest.mark.django_db


def _body(enterprise, key):
    return {
        "_submission": key,
        "enterprise": enterprise.name,
        "source": Demand.Source.PHONE,
        "category": category("procedure").pk,
        "description": "办理施工许可证",
        "priority": Demand.Priority.NORMAL,
        "raised_on": timezone.localdate().isoformat(),
    }


def test_the_form_carries_a_fresh_key(client, user_of):
    client.force_login(user_of(Role.SERVICE))
    page = client.get(reverse("services:demand_create")).content.decode()
    keys = re.findall(r'name="_submission" value="([0-9a-f-]{36})"', page)
    assert len(keys) == 1
    uuid.UUID(keys[0])


def test_a_repeated_submission_creates_nothing_and_lands_on_the_first_result(client, user_of):
    client.force_login(user_of(Role.SERVICE))
    enterprise = EnterpriseFactory()
    key = str(uuid.uuid4())
    first = client.post(reverse("services:demand_create"), _body(enterprise, key))
    second = client.post(reverse("services:demand_create"), _body(enterprise, key))
    assert Demand.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]


def test_a_refused_submission_keeps_its_key_free_for_the_corrected_one(client, user_of):
    client.force_login(user_of(Role.SERVICE))
    enterprise = EnterpriseFactory()
    key = str(uuid.uuid4())
    refused = client.post(
        reverse("services:demand_create"), {**_body(enterprise, key), "raised_on": "1900-01-01"}
    )
    assert refused.status_code == 400
    assert key in refused.content.decode()
    assert client.post(reverse("services:demand_create"), _body(enterprise, key)).status_code == 302
    assert Demand.objects.count() == 1


def test_someone_elses_key_is_not_a_way_to_their_result(client, user_of):
    enterprise = EnterpriseFactory()
    key = str(uuid.uuid4())
    client.force_login(user_of(Role.SERVICE, username="first"))
    client.post(reverse("services:demand_create"), _body(enterprise, key))
    client.force_login(user_of(Role.SERVICE, username="second"))
    assert client.post(reverse("services:demand_create"), _body(enterprise, key)).status_code == 403
    assert Demand.objects.count() == 1


def test_keys_older_than_a_week_are_forgotten(user_of):
    from datetime import timedelta

    from apps.core.models import Submission
    from apps.core.tasks import forget_old_submissions

    user = user_of(Role.SERVICE)
    old = Submission.objects.create(key=uuid.uuid4(), user=user)
    Submission.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    recent = Submission.objects.create(key=uuid.uuid4(), user=user)
    assert forget_old_submissions() == 1
    assert list(Submission.objects.all()) == [recent]
