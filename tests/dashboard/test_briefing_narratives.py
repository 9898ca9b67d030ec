"""The parts' text (说明) of a briefing: written by 经济发展局 on the draft after each part's
numbers, shown on the page, the print page and the .docx, frozen when issued."""

import copy

import pytest

from apps.core.errors import Refused
from apps.dashboard import briefing as briefing_module
from apps.dashboard import services
from apps.dashboard.models import Briefing
from tests.dashboard.test_briefing import _text

pytestmark = pytest.mark.django_db


def _draft(role_users) -> Briefing:
    return services.briefing_create(by=role_users["经济发展"], year=2023, month=11)


def test_the_parts_follow_the_briefings_order_without_the_team():
    keys = [key for key, _heading in briefing_module.narrative_parts()]
    assert keys[:2] == ["economy", "groups"]
    assert {"investment", "projects", "service"} <= set(keys)
    assert "staff" not in keys


def test_a_parts_text_typed_on_the_draft_shows_after_its_numbers_everywhere(client, role_users):
    briefing = _draft(role_users)
    client.force_login(role_users["经济发展"])
    edit = f"/dashboard/briefings/{briefing.pk}/edit/"
    form = client.get(edit).content.decode()
    assert "主要经济指标：说明" in form and "企业服务：说明" in form
    assert form.index("主要经济指标：说明") < form.index("存在问题（补充）")
    response = client.post(
        edit,
        {
            "next_steps": "抓生产",
            "narrative_economy": "工业生产稳中有进。\n\n重点企业拉动明显。",
            "narrative_service": "",
        },
    )
    assert response.status_code == 302
    assert Briefing.objects.get(pk=briefing.pk).narratives == {
        "economy": "工业生产稳中有进。\n\n重点企业拉动明显。"
    }
    for url in (
        f"/dashboard/briefings/{briefing.pk}/",
        f"/dashboard/briefings/{briefing.pk}/print/",
    ):
        page = client.get(url).content.decode()
        # After the economy's table, before the next part's heading; blank lines dropped.
        after = page[page.index('data-code="industry_output_ytd"') :]
        assert after.index("工业生产稳中有进。") < after.index("<h2")
        assert page.count('data-testid="briefing-narrative"') == 2
    paragraphs = _text(client.get(f"/dashboard/briefings/{briefing.pk}/docx/").content)
    assert "工业生产稳中有进。" in paragraphs and "重点企业拉动明显。" in paragraphs
    # The form shows the text typed.
    assert "重点企业拉动明显。" in client.get(edit).content.decode()


def test_a_text_too_long_or_with_control_characters_is_refused_and_kept(client, role_users):
    briefing = _draft(role_users)
    client.force_login(role_users["经济发展"])
    edit = f"/dashboard/briefings/{briefing.pk}/edit/"
    for bad in ("甲" * 5001, "招商\x07进展"):
        response = client.post(
            edit, {"next_steps": "抓生产", "narrative_investment": bad, "narrative_economy": "好"}
        )
        assert response.status_code == 400
        content = response.content.decode()
        assert "抓生产" in content and ">\n好</textarea>" in content
    assert Briefing.objects.get(pk=briefing.pk).narratives == {}


def test_the_service_refuses_parts_the_briefing_does_not_have(role_users):
    briefing = _draft(role_users)
    economy = role_users["经济发展"]
    for narratives in ({"staff": "队伍稳定"}, {"economy": 3}, {"nowhere": "文字"}):
        with pytest.raises(Refused):
            services.briefing_update(
                by=economy, briefing=briefing, next_steps="", narratives=narratives
            )
    services.briefing_update(
        by=economy, briefing=briefing, next_steps="", narratives={"projects": "  项目推进顺利 "}
    )
    # Without narratives, an edit (the admin site's) keeps those written.
    services.briefing_update(by=economy, briefing=briefing, next_steps="改")
    assert Briefing.objects.get(pk=briefing.pk).narratives == {"projects": "项目推进顺利"}


def test_an_issued_briefing_keeps_the_text_it_was_issued_with(client, role_users):
    briefing = _draft(role_users)
    economy, leader = role_users["经济发展"], role_users["领导"]
    services.briefing_update(
        by=economy, briefing=briefing, next_steps="", narratives={"economy": "印发时的说明"}
    )
    services.BRIEFING_WORKFLOW.perform(briefing, "review", by=leader, comment="")
    services.briefing_issue(briefing=briefing, by=leader)
    with pytest.raises(Refused):
        services.briefing_update(
            by=economy, briefing=briefing, next_steps="", narratives={"economy": "改过的说明"}
        )
    # Even a change behind the service's back does not reach the issued content.
    Briefing.objects.filter(pk=briefing.pk).update(narratives={"economy": "改过的说明"})
    issued = Briefing.objects.get(pk=briefing.pk)
    assert issued.snapshot["narratives"] == {"economy": "印发时的说明"}
    client.force_login(leader)
    page = client.get(f"/dashboard/briefings/{briefing.pk}/").content.decode()
    assert "印发时的说明" in page and "改过的说明" not in page
    assert "印发时的说明" in _text(bytes(issued.document))
    detail = client.get(f"/api/dashboard/briefings/{briefing.pk}/").json()
    assert detail["content"]["narratives"] == {"economy": "印发时的说明"}


def test_a_reader_kept_from_the_confidential_part_does_not_get_its_text(role_users):
    """A briefing issued before the public scope counted confidential 招商 records: a reader
    who may not see them gets it without the 招商 part, and without that part's text."""
    briefing = _draft(role_users)
    leader = role_users["领导"]
    services.briefing_update(
        by=role_users["经济发展"],
        briefing=briefing,
        next_steps="",
        narratives={"investment": "某保密项目即将签约", "economy": "平稳"},
    )
    services.BRIEFING_WORKFLOW.perform(briefing, "review", by=leader, comment="")
    services.briefing_issue(briefing=briefing, by=leader)
    legacy = copy.deepcopy(Briefing.objects.get(pk=briefing.pk).snapshot)
    del legacy["scope"]
    read = briefing_module.for_reader(legacy, role_users["经济发展"])
    assert read["narratives"] == {"economy": "平稳"}
    assert briefing_module.for_reader(legacy, leader)["narratives"]["investment"]


def test_a_character_a_docx_cannot_hold_is_refused_so_the_briefing_can_be_issued(
    client, role_users
):
    """U+FFFF saved in a narrative made the .docx and the issue fail (500)."""
    briefing = _draft(role_users)
    with pytest.raises(Refused):
        services.briefing_update(
            by=role_users["经济发展"],
            briefing=briefing,
            next_steps="",
            narratives={"economy": "平稳\uffff增长"},
        )
    with pytest.raises(Refused):
        services.briefing_update(
            by=role_users["经济发展"], briefing=briefing, next_steps="抓\ufffe生产"
        )
    client.force_login(role_users["经济发展"])
    response = client.post(
        f"/dashboard/briefings/{briefing.pk}/edit/",
        {"next_steps": "抓生产", "narrative_economy": "平稳\uffff增长"},
    )
    assert response.status_code == 400
    assert client.get(f"/dashboard/briefings/{briefing.pk}/docx/").status_code == 200


def test_a_briefing_issued_before_the_parts_text_never_reads_the_live_field(client, role_users):
    briefing = _draft(role_users)
    leader = role_users["领导"]
    services.BRIEFING_WORKFLOW.perform(briefing, "review", by=leader, comment="")
    services.briefing_issue(briefing=briefing, by=leader)
    legacy = copy.deepcopy(Briefing.objects.get(pk=briefing.pk).snapshot)
    del legacy["narratives"]
    Briefing.objects.filter(pk=briefing.pk).update(
        snapshot=legacy, narratives={"economy": "印发后写入的说明"}
    )
    client.force_login(leader)
    page = client.get(f"/dashboard/briefings/{briefing.pk}/").content.decode()
    assert "印发后写入的说明" not in page
