"""API tokens looked up in the cache across requests (apps.accounts.authentication): no token
query once cached, its use still written every five minutes, and a revoked token, a deactivated
or deleted user, or a role changed is seen on the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from apps.accounts import services
from apps.accounts.models import ApiToken
from apps.accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PERMISSION_CACHE_SECONDS = 300


def _token_client(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def _token_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if '"accounts_apitoken"' in q["sql"]]


def test_a_tokens_look_up_is_cached_and_its_use_written_once_in_five_minutes(user_of):
    token, key = services.api_token_create(user=user_of(Role.SERVICE, username="li"), name="同步")
    api = _token_client(key)
    with CaptureQueriesContext(connection) as first:
        assert api.get(reverse("api:user-me")).status_code == 200
    # Read, then its use written (UPDATE … last_used_at).
    assert len(_token_queries(first)) == 2
    used = ApiToken.objects.get(pk=token.pk).last_used_at
    assert used is not None
    with CaptureQueriesContext(connection) as second:
        assert api.get(reverse("api:user-me")).status_code == 200
    assert _token_queries(second) == []
    # Nor the permissions: they come with the token's entry.
    assert not [q for q in second.captured_queries if "auth_permission" in q["sql"]]
    assert ApiToken.objects.get(pk=token.pk).last_used_at == used


def test_a_cached_token_of_a_user_deactivated_or_deleted_is_refused_at_once(user_of):
    li = user_of(Role.SERVICE, username="li")
    _token, key = services.api_token_create(user=li, name="同步")
    api = _token_client(key)
    assert api.get(reverse("api:user-me")).status_code == 200
    li.is_active = False
    li.save()
    response = api.get(reverse("api:user-me"))
    assert response.status_code == 401
    assert "停用" in response.json()["detail"]
    li.is_active = True
    li.save()
    assert api.get(reverse("api:user-me")).status_code == 200
    li.delete()
    assert api.get(reverse("api:user-me")).status_code == 401


def test_a_cached_token_deleted_in_bulk_or_its_role_changed_takes_effect_at_once(user_of):
    li = user_of(Role.SERVICE, username="li")
    token, key = services.api_token_create(user=li, name="同步")
    api = _token_client(key)
    demands = reverse("api:demand-list")
    assert api.get(demands).status_code == 200
    li.groups.clear()
    assert api.get(demands).status_code == 403
    # A queryset's delete (a cleanup script, a cascade) sends the same signal as the service's.
    ApiToken.objects.filter(pk=token.pk).delete()
    assert api.get(reverse("api:user-me")).status_code == 401


def test_without_the_cache_a_token_is_read_each_request(user_of, settings):
    settings.PERMISSION_CACHE_SECONDS = 0
    _token, key = services.api_token_create(user=user_of(Role.SERVICE, username="li"), name="x")
    api = _token_client(key)
    assert api.get(reverse("api:user-me")).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert api.get(reverse("api:user-me")).status_code == 200
    assert len(_token_queries(captured)) == 1
