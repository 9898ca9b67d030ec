"""A list filter's reference-table choices (parks, chains, departments…) cost no query once
read, and are fresh after an edit (apps.core.filters.ReferenceChoiceFilter)."""

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.core import filters as core_filters
from apps.enterprises.filters import EnterpriseFilter
from apps.enterprises.models import Enterprise, Park
from apps.investment.filters import LeadFilter
from apps.investment.models import Lead
from tests.enterprises.factories import (
    ChainNodeFactory,
    EnterpriseFactory,
    ParkFactory,
)

pytestmark = pytest.mark.django_db


def _form(data=None):
    return EnterpriseFilter(data, queryset=Enterprise.objects.all()).form


def test_choices_are_read_once(django_assert_num_queries):
    ParkFactory(name="甲园")
    with django_assert_num_queries(3):
        str(_form()["park"]) + str(_form()["chain"]) + str(_form()["qualification"])
    with django_assert_num_queries(0):
        html = str(_form()["park"]) + str(_form()["chain"]) + str(_form()["qualification"])
    assert "甲园" in html


def test_a_park_added_renamed_or_deleted_in_the_admin_shows_on_the_next_page(client, user_of):
    ParkFactory(name="甲园")
    client.force_login(user_of(Role.ADMIN))
    page = reverse("enterprises:enterprise_list")
    assert "甲园" in client.get(page).content.decode()

    response = client.post(
        reverse("admin:enterprises_park_add"), {"name": "新建园区", "sort_order": 5}
    )
    assert response.status_code == 302
    assert "新建园区" in client.get(page).content.decode()

    park = Park.objects.get(name="新建园区")
    response = client.post(
        reverse("admin:enterprises_park_change", args=[park.pk]),
        {"name": "改名园区", "sort_order": 5},
    )
    assert response.status_code == 302
    html = client.get(page).content.decode()
    assert "改名园区" in html and "新建园区" not in html

    response = client.post(
        reverse("admin:enterprises_park_delete", args=[park.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert ">改名园区</option>" not in client.get(page).content.decode()


def test_a_renamed_chain_renames_its_nodes_choices():
    node = ChainNodeFactory(name="芯片设计")
    lead_form = LeadFilter(None, queryset=Lead.objects.all()).form
    assert f"{node.chain.name} · 芯片设计" in str(lead_form["chain_node"])
    node.chain.name = "新产业链"
    node.chain.save()
    lead_form = LeadFilter(None, queryset=Lead.objects.all()).form
    assert "新产业链 · 芯片设计" in str(lead_form["chain_node"])


def test_the_commit_replaces_the_token_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ParkFactory(name="乙园")
        first = core_filters.reference_version()
    assert callbacks
    for callback in callbacks:
        callback()
    assert core_filters.reference_version() != first


def test_validation_is_unchanged(django_assert_num_queries):
    park = ParkFactory(name="甲园")
    inside = EnterpriseFactory(park=park)
    EnterpriseFactory(park=ParkFactory(name="乙园"))
    filterset = EnterpriseFilter({"park": str(park.pk)}, queryset=Enterprise.objects.all())
    assert list(filterset.qs) == [inside]
    for bad in ("999999", "abc", "1.5"):
        filterset = EnterpriseFilter({"park": bad}, queryset=Enterprise.objects.all())
        assert not filterset.is_valid()
        assert "park" in filterset.errors


def test_the_api_refuses_an_unknown_park(client, user_of):
    client.force_login(user_of(Role.ECONOMY))
    response = client.get(reverse("api:enterprise-list"), {"park": "999999"})
    assert response.status_code == 400
    assert "park" in response.json()["errors"]


def test_selected_value_and_labels_render_as_before():
    park = ParkFactory(name="<甲&园>")
    html = str(_form({"park": str(park.pk)})["park"])
    assert f'<option value="{park.pk}" selected>&lt;甲&amp;园&gt;</option>' in html
    assert '<option value="">---------</option>' in html or 'value=""' in html


def test_without_the_cache_choices_come_from_the_database(monkeypatch, django_assert_num_queries):
    ParkFactory(name="甲园")
    monkeypatch.setattr(core_filters, "reference_version", lambda: None)
    with django_assert_num_queries(1):
        assert "甲园" in str(_form()["park"])
    with django_assert_num_queries(1):
        assert "甲园" in str(_form()["park"])
