import pytest
import yaml
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.accounts.roles import Role
from tests.conftest import FRAME_QUERIES

pytestmark = pytest.mark.django_db


def test_the_api_answers_a_token(user_of):
    user = user_of(Role.SERVICE, username="li")
    token = Token.objects.create(user=user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
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
    # 5 of the frame (see tests/conftest.py: FRAME_QUERIES) + 2 permission look-ups (user, group)
    # + count, page of users, their groups
    with django_assert_num_queries(FRAME_QUERIES + 2 + 3):
        client.get(reverse("api:user-list"))
