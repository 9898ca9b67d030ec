"""The chain map: per node the zone's enterprises, the leads and projects the user may see, the
target enterprises and the tag (补链 / 强链 / 延链); target enterprises never reveal a lead the
user may not see."""

import pytest
from django.urls import reverse

from apps.core.errors import Refused
from apps.investment import selectors, services
from apps.investment.models import Project
from tests.enterprises.factories import ChainNodeFactory, EnterpriseFactory
from tests.investment.factories import LeadFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nodes(db):
    upstream = ChainNodeFactory(name="正极材料", position=1)
    downstream = ChainNodeFactory(chain=upstream.chain, name="电池包", position=2)
    return upstream, downstream


def _node_row(chains, node):
    return next(n for item in chains for n in item["nodes"] if n["node"] == node)


def test_each_node_counts_enterprises_leads_projects_and_targets(
    officer, outsider, team, other_team, nodes
):
    upstream, downstream = nodes
    EnterpriseFactory(chain=upstream.chain, chain_node=upstream)
    LeadFactory(team=team, chain_node=downstream, chain_role="extend")
    LeadFactory(team=other_team, chain_node=downstream, confidential=True)
    ProjectFactory(team=team, chain_node=downstream)
    ProjectFactory(team=team, chain_node=downstream, status=Project.Status.LOST, loss_reason_id=1)
    services.chain_target_save(by=officer, chain_node=downstream, name="宁德某电池", role="fill")
    chains = selectors.chain_map(officer)
    up, down = _node_row(chains, upstream), _node_row(chains, downstream)
    assert (up["enterprises"], up["tag"]) == (1, "strengthen")
    assert (down["enterprises"], down["tag"]) == (0, "fill")
    # The other team's confidential lead is not counted for this officer; the lost project
    # is not in the pipeline.
    assert (down["leads"], down["extend_leads"], down["projects"], down["targets"]) == (1, 1, 1, 1)
    assert _node_row(selectors.chain_map(outsider), downstream)["leads"] == 1


def test_the_map_page_links_an_empty_node_to_its_targets(client, officer, team, nodes):
    upstream, downstream = nodes
    client.force_login(officer)
    body = client.get(reverse("investment:chain_map")).content.decode()
    assert f'data-node="{downstream.pk}" data-tag="fill"' in body
    assert reverse("investment:chain_target_create") + f"?chain_node={downstream.pk}" in body


def test_a_target_shows_its_lead_only_to_who_may_see_it(client, officer, outsider, team, nodes):
    secret = LeadFactory(team=team, confidential=True, title="保密电池项目")
    services.chain_target_save(
        by=officer, chain_node=nodes[0], name="某正极材料公司", role="fill", lead=secret
    )
    client.force_login(outsider)
    page = client.get(reverse("investment:chain_target_list")).content.decode()
    api = client.get("/api/investment/chain-targets/").json()["results"]
    assert "某正极材料公司" in page and "保密电池项目" not in page
    assert api[0]["lead"] is None and api[0]["lead_title"] == ""
    client.force_login(officer)
    assert client.get("/api/investment/chain-targets/").json()["results"][0]["lead"] == secret.pk


def test_an_officer_cannot_link_a_lead_they_may_not_see(outsider, team, nodes):
    secret = LeadFactory(team=team, confidential=True)
    with pytest.raises(Refused):
        services.chain_target_save(
            by=outsider, chain_node=nodes[0], name="某公司", role="fill", lead=secret
        )


def test_the_target_form_creates_and_refuses_a_duplicate_name(client, officer, team, nodes):
    client.force_login(officer)
    url = reverse("investment:chain_target_create")
    data = {"chain_node": nodes[1].pk, "name": "比亚迪某工厂", "role": "strengthen"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 400


def test_the_lead_list_filters_extend_leads(client, officer, team, nodes):
    LeadFactory(team=team, title="延链项目", chain_node=nodes[1], chain_role="extend")
    LeadFactory(team=team, title="普通项目")
    client.force_login(officer)
    body = client.get(reverse("investment:lead_list") + "?chain_role=extend").content.decode()
    assert "延链项目" in body and "普通项目" not in body


def test_the_chain_map_takes_a_fixed_number_of_queries(
    client, officer, team, nodes, django_assert_max_num_queries
):
    for node in nodes:
        LeadFactory(team=team, chain_node=node)
    client.force_login(officer)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("investment:chain_map")).status_code == 200
