"""A hidden filter (an id a dashboard link carries) that is unusable is not dropped silently
on a list page: the page says so, and the API answers 400."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("bad", ["abc", "1.5", "99999999999999999999"])
def test_an_unusable_hidden_id_is_reported_on_the_page_and_refused_by_the_api(
    client, role_users, bad
):
    client.force_login(role_users["领导"])
    for page in ("/investment/leads/", "/investment/projects/", "/projects/"):
        response = client.get(page, {"id": bad})
        assert response.status_code == 200, page
        content = response.content.decode()
        assert 'data-testid="hidden-filter-error"' in content, page
        assert "无效，已忽略" in content
    for api in ("/api/investment/leads/", "/api/investment/projects/", "/api/projects/projects/"):
        assert client.get(api, {"id": bad}).status_code == 400, api


def test_a_usable_hidden_id_shows_no_warning(client, role_users):
    client.force_login(role_users["领导"])
    content = client.get("/investment/leads/", {"id": "1"}).content.decode()
    assert 'data-testid="hidden-filter-error"' not in content
