"""位次 in the briefing: typed by 经济发展局 on the draft, shown in the indicator table, the
print page and the .docx, frozen when issued."""

import pytest

from apps.core.errors import Refused
from apps.dashboard import services
from apps.dashboard.models import Briefing
from tests.dashboard.test_briefing import _text

pytestmark = pytest.mark.django_db


def _draft(role_users) -> Briefing:
    return services.briefing_create(by=role_users["经济发展"], year=2023, month=11)


def test_a_rank_typed_on_the_draft_shows_on_the_page_the_print_and_the_docx(client, role_users):
    briefing = _draft(role_users)
    client.force_login(role_users["经济发展"])
    edit = f"/dashboard/briefings/{briefing.pk}/edit/"
    assert "规上工业总产值（累计）：位次" in client.get(edit).content.decode()
    response = client.post(
        edit, {"next_steps": "抓生产", "rank_industry_output_ytd": "3", "rank_visits": ""}
    )
    assert response.status_code == 302
    assert Briefing.objects.get(pk=briefing.pk).ranks == {"industry_output_ytd": 3}

    for url in (
        f"/dashboard/briefings/{briefing.pk}/",
        f"/dashboard/briefings/{briefing.pk}/print/",
    ):
        page = client.get(url).content.decode()
        assert '<th class="text-end">位次</th>' in page
        assert "第3位" in page
    document = _text(client.get(f"/dashboard/briefings/{briefing.pk}/docx/").content)
    assert "位次" in document and "第3位" in document


def test_a_rank_that_is_not_a_positive_integer_is_refused_and_kept(client, role_users):
    briefing = _draft(role_users)
    client.force_login(role_users["经济发展"])
    edit = f"/dashboard/briefings/{briefing.pk}/edit/"
    for bad in ("0", "-2", "第三", "1.5", "100000"):
        response = client.post(edit, {"next_steps": "抓生产", "rank_industry_output_ytd": bad})
        assert response.status_code == 400, bad
        assert f'value="{bad}"' in response.content.decode()
        assert "抓生产" in response.content.decode()
    assert Briefing.objects.get(pk=briefing.pk).ranks == {}


def test_the_service_refuses_ranks_of_figures_not_in_the_briefing(role_users):
    briefing = _draft(role_users)
    economy = role_users["经济发展"]
    with pytest.raises(Refused):
        services.briefing_update(
            by=economy, briefing=briefing, next_steps="", ranks={"staff_in_post": 2}
        )
    with pytest.raises(Refused):
        services.briefing_update(
            by=economy, briefing=briefing, next_steps="", ranks={"visits": True}
        )
    # Without ranks, an edit (the admin site's) keeps those typed.
    services.briefing_update(by=economy, briefing=briefing, next_steps="", ranks={"visits": 4})
    services.briefing_update(by=economy, briefing=briefing, next_steps="改")
    assert Briefing.objects.get(pk=briefing.pk).ranks == {"visits": 4}


def test_an_issued_briefing_keeps_the_ranks_it_was_issued_with(client, role_users):
    briefing = _draft(role_users)
    economy, leader = role_users["经济发展"], role_users["领导"]
    services.briefing_update(
        by=economy, briefing=briefing, next_steps="", ranks={"industry_output_ytd": 3}
    )
    services.BRIEFING_WORKFLOW.perform(briefing, "review", by=leader, comment="")
    services.briefing_issue(briefing=briefing, by=leader)
    with pytest.raises(Refused):
        services.briefing_update(
            by=economy, briefing=briefing, next_steps="", ranks={"industry_output_ytd": 1}
        )
    # Even a change behind the service's back does not reach the issued content.
    Briefing.objects.filter(pk=briefing.pk).update(ranks={"industry_output_ytd": 1})
    issued = Briefing.objects.get(pk=briefing.pk)
    item = next(
        item
        for section in issued.snapshot["sections"]
        for item in section["items"]
        if item["code"] == "industry_output_ytd"
    )
    assert item["rank"] == 3
    client.force_login(leader)
    page = client.get(f"/dashboard/briefings/{briefing.pk}/").content.decode()
    assert "第3位" in page and "第1位" not in page
    assert "第3位" in _text(bytes(issued.document))
