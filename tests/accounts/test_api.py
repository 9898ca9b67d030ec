import pytest
import yaml
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from apps.accounts import services
from apps.accounts.models import ApiToken
from apps.accounts.roles import Role
from tests.conftest import FRAME_QUERIES

pytestmark = pytest.mark.django_db


def test_the_api_answers_a_token(user_of):
    user = user_of(Role.SERVICE, username="li")
    _token, key = services.api_token_create(user=user, name="脚本")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.get(reverse("api:user-me"))
    assert response.status_code == 200
    assert response.json()["username"] == "li"
    assert response.json()["roles"] == [Role.SERVICE]


def test_the_api_answers_a_session(client, user_of):
    client.force_login(user_of(Role.LEADER, username="wang"))
    assert client.get(reverse("api:department-list")).status_code == 200


def test_an_anonymous_call_is_told_to_authenticate():
    response = APIClient().get(reverse("api:user-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_the_schema_is_valid_openapi_3(client, user_of):
    client.force_login(user_of(Role.SERVICE, username="li"))
    response = client.get(reverse("api-schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_the_schema_documents_the_refusals_each_operation_may_answer(client, user_of):
    client.force_login(user_of(Role.SERVICE, username="li"))
    schema = yaml.safe_load(client.get(reverse("api-schema")).content)
    detail = schema["paths"]["/api/enterprises/{id}/"]
    assert {"401", "403", "404"} <= detail["get"]["responses"].keys()
    assert {"400", "401", "403", "404"} <= detail["patch"]["responses"].keys()
    listing = schema["paths"]["/api/enterprises/"]["get"]["responses"]
    assert {"400", "401", "403", "404"} <= listing.keys()  # 404: a page past the last
    unpaged = schema["paths"]["/api/departments/"]["get"]["responses"]
    assert {"401", "403"} <= unpaged.keys() and "404" not in unpaged
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]


def test_swagger_ui_loads_only_local_assets(client, user_of):
    client.force_login(user_of(Role.SERVICE, username="li"))
    html = client.get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert "http://" not in html and "https://" not in html


def test_page_size_is_bounded(client, user_of):
    client.force_login(user_of(Role.SERVICE, username="li"))
    response = client.get(reverse("api:user-list"), {"page_size": 100000})
    assert response.status_code == 200
    assert "count" in response.json()


def test_the_user_list_is_filtered_by_role(client, user_of):
    user_of(Role.HR, username="sun")
    client.force_login(user_of(Role.SERVICE, username="li"))
    response = client.get(reverse("api:user-list"), {"role": Role.HR})
    assert [row["username"] for row in response.json()["results"]] == ["sun"]


def test_the_user_list_takes_a_fixed_number_of_queries(client, user_of, django_assert_num_queries):
    for index in range(5):
        user_of(Role.SERVICE, username=f"extra{index}")
    client.force_login(user_of(Role.SERVICE, username="li"))
    client.get(reverse("api:user-list"))
    # the frame (see tests/conftest.py: FRAME_QUERIES) + 2 permission look-ups (user, group)
    # + count, page of users, their groups
    with django_assert_num_queries(FRAME_QUERIES + 2 + 3):
        client.get(reverse("api:user-list"))


# --- API tokens: they expire, and their owner lists and revokes them ---------------------------


def _token_client(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_a_token_expires_after_the_configured_days(user_of, settings, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    settings.API_TOKEN_DAYS = 30
    token, key = services.api_token_create(user=user_of(Role.SERVICE, username="li"), name="同步")
    assert timedelta(days=29, hours=23) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert _token_client(key).get(reverse("api:user-me")).status_code == 200
    # Thirty days on (the token's look-up is cached meanwhile: the expiry is still read).
    later = token.expires_at
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = _token_client(key).get(reverse("api:user-me"))
    assert response.status_code == 401
    assert "过期" in response.json()["detail"]


def test_only_a_digest_of_the_key_is_stored(user_of):
    token, key = services.api_token_create(user=user_of(Role.SERVICE, username="li"), name="同步")
    assert key not in {token.key_digest, token.prefix}
    assert not ApiToken.objects.filter(key_digest=key).exists()


def test_an_unknown_or_overlong_token_is_a_401(db):
    assert _token_client("x" * 40).get(reverse("api:user-me")).status_code == 401
    assert _token_client("x" * 5000).get(reverse("api:user-me")).status_code == 401


def test_a_user_lists_creates_and_revokes_their_own_tokens_through_the_api(client, user_of):
    li = user_of(Role.SERVICE, username="li")
    services.api_token_create(user=user_of(Role.ECONOMY, username="zhang"), name="别人的")
    client.force_login(li)
    url = reverse("api:api-token-list")
    created = client.post(url, {"name": "月报脚本"}, content_type="application/json")
    assert created.status_code == 201
    key = created.json()["key"]
    listed = client.get(url).json()
    assert [row["name"] for row in listed] == ["月报脚本"]
    assert "key" not in listed[0]
    assert _token_client(key).get(reverse("api:user-me")).status_code == 200
    revoke = client.delete(reverse("api:api-token-detail", kwargs={"pk": listed[0]["id"]}))
    assert revoke.status_code == 204
    assert _token_client(key).get(reverse("api:user-me")).status_code == 401


def test_a_user_cannot_revoke_someone_elses_token(client, user_of):
    other, _key = services.api_token_create(user=user_of(Role.ECONOMY, username="zhang"), name="x")
    client.force_login(user_of(Role.SERVICE, username="li"))
    response = client.delete(reverse("api:api-token-detail", kwargs={"pk": other.pk}))
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=other.pk).exists()


def test_a_token_cannot_create_another_token(user_of):
    _token, key = services.api_token_create(user=user_of(Role.SERVICE, username="li"), name="x")
    response = _token_client(key).post(
        reverse("api:api-token-list"), {"name": "续命"}, format="json"
    )
    assert response.status_code == 403
    assert ApiToken.objects.count() == 1


def test_a_nameless_token_is_refused(client, user_of):
    client.force_login(user_of(Role.SERVICE, username="li"))
    response = client.post(
        reverse("api:api-token-list"), {"name": "\u200b "}, content_type="application/json"
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_the_token_page_shows_a_new_key_once_and_revokes(client, user_of):
    client.force_login(user_of(Role.SERVICE, username="li"))
    url = reverse("accounts:api_tokens")
    response = client.post(url, {"name": "月报脚本"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key in response.content.decode()
    page = client.get(url).content.decode()
    assert "月报脚本" in page and key not in page
    token = ApiToken.objects.get()
    response = client.post(reverse("accounts:api_token_revoke", kwargs={"pk": token.pk}))
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_an_api_address_that_names_no_endpoint_answers_json(client, user_of):
    client.force_login(user_of(Role.SERVICE, username="li"))
    for path in ("/api/departments/0.5/", "/api/no-such-thing/", "/api/enterprises/1e400/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json", path
        assert "detail" in response.json()


@pytest.mark.parametrize("page_size", ["0", "-1", "null", "abc", "1.5", "١٢"])
def test_a_page_size_that_is_not_a_positive_whole_number_is_a_400(client, user_of, page_size):
    client.force_login(user_of(Role.SERVICE, username="li"))
    response = client.get(reverse("api:user-list"), {"page_size": page_size})
    assert response.status_code == 400
    assert "page_size" in response.json()["errors"]


def test_a_token_name_must_be_text(client, user_of):
    # {"name": 0} was stored as "0" where the schema says string (schemathesis, issue 9).
    client.force_login(user_of(Role.SERVICE, username="li"))
    response = client.post(
        reverse("api:api-token-list"), {"name": 0}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "name" in response.json()["errors"]
