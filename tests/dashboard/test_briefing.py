"""The monthly briefing: written from the registry, reviewed and issued by the leadership,
frozen when issued (numbers, text and .docx), with the seed's figures for November 2023."""

import io
from decimal import Decimal

import pytest
from docx import Document

from apps.core import figures
from apps.core.errors import NotAllowed, Refused
from apps.dashboard import services
from apps.dashboard.models import Briefing
from apps.enterprises.models import MonthlyStatistic
from tests.conftest import FRAME_QUERIES
from tests.dashboard.test_dashboard import _member


def _text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _issued(role_users, year=2023, month=11, next_steps="抓好四季度生产调度") -> Briefing:
    briefing = services.briefing_create(
        by=role_users["经济发展"], year=year, month=month, next_steps=next_steps
    )
    leader = role_users["领导"]
    services.BRIEFING_WORKFLOW.perform(briefing, "review", by=leader, comment="")
    return services.briefing_issue(briefing=briefing, by=leader)


@pytest.mark.django_db
def test_a_draft_is_reviewed_then_issued_by_the_leadership_only(role_users):
    economy, leader = role_users["经济发展"], role_users["领导"]
    briefing = services.briefing_create(by=economy, year=2023, month=11)
    assert (briefing.issue_no, briefing.status) == (1, "draft")
    with pytest.raises(NotAllowed):
        services.BRIEFING_WORKFLOW.perform(briefing, "review", by=economy)
    with pytest.raises(Refused):
        services.briefing_issue(briefing=briefing, by=leader)  # not reviewed yet
    services.BRIEFING_WORKFLOW.perform(briefing, "review", by=leader, comment="")
    with pytest.raises(Refused):
        services.briefing_update(by=economy, briefing=briefing, next_steps="改")
    services.BRIEFING_WORKFLOW.perform(briefing, "return", by=leader, reason="补充下步工作")
    services.briefing_update(by=economy, briefing=briefing, next_steps="改")
    with pytest.raises(Refused):
        services.briefing_create(by=economy, year=2023, month=11)  # one per month
    assert services.briefing_create(by=economy, year=2023, month=12).issue_no == 2


@pytest.mark.django_db
def test_an_issued_briefing_does_not_change_when_the_data_is_corrected(client, role_users):
    enterprise = _member("1000")  # 11 months: 1.1 亿元 to date
    briefing = _issued(role_users)
    stored = bytes(Briefing.objects.get(pk=briefing.pk).document)
    assert "1.1亿元" in _text(stored)

    MonthlyStatistic.objects.filter(enterprise=enterprise, month=5).update(
        output_value=Decimal(5000)
    )
    figures.invalidate("enterprises")

    briefing.refresh_from_db()
    item = next(
        item
        for section in briefing.snapshot["sections"]
        for item in section["items"]
        if item["code"] == "industry_output_ytd"
    )
    assert (item["written"], item["period"]) == ("1.1亿元", "2023-11")
    client.force_login(role_users["领导"])
    download = client.get(f"/dashboard/briefings/{briefing.pk}/docx/")
    assert download.content == stored
    page = client.get(f"/dashboard/briefings/{briefing.pk}/").content.decode()
    assert "1.1亿元" in page
    assert "现为 1.5亿元" in page  # the current figure, where it now differs
    # The API's briefing carries the same: the content as issued, and what now differs.
    body = client.get(f"/api/dashboard/briefings/{briefing.pk}/").json()
    items = {
        item["code"]: item for section in body["content"]["sections"] for item in section["items"]
    }
    assert items["industry_output_ytd"]["written"] == "1.1亿元"
    assert body["changed"] == {"industry_output_ytd": "1.5亿元"}
    listed = client.get("/api/dashboard/briefings/").json()["results"]
    assert "content" not in listed[0]  # a list computes no content
    with pytest.raises(Refused):
        services.briefing_delete(by=role_users["系统管理员"], briefing=briefing)


@pytest.mark.django_db
def test_a_draft_follows_the_data(client, role_users):
    enterprise = _member("1000")
    briefing = services.briefing_create(by=role_users["经济发展"], year=2023, month=11)
    client.force_login(role_users["经济发展"])
    url = f"/dashboard/briefings/{briefing.pk}/"
    assert "1.1亿元" in client.get(url).content.decode()
    MonthlyStatistic.objects.filter(enterprise=enterprise, month=5).update(
        output_value=Decimal(5000)
    )
    figures.invalidate("enterprises")
    assert "1.5亿元" in client.get(url).content.decode()


@pytest.mark.django_db
def test_the_pages_and_the_api_go_through_the_workflow(client, role_users):
    _member("1000")
    client.force_login(role_users["经济发展"])
    response = client.post("/dashboard/briefings/new/", {"year": 2023, "month": 11})
    briefing = Briefing.objects.get()
    assert response.status_code == 302
    assert client.post(f"/dashboard/briefings/{briefing.pk}/review/").status_code == 403
    response = client.post(f"/dashboard/briefings/{briefing.pk}/edit/", {"next_steps": "a\x00b"})
    assert response.status_code == 400
    client.force_login(role_users["领导"])
    assert (
        client.post(
            f"/api/dashboard/briefings/{briefing.pk}/issue/", {}, content_type="application/json"
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/api/dashboard/briefings/{briefing.pk}/review/", {}, content_type="application/json"
        ).status_code
        == 200
    )
    body = client.post(
        f"/api/dashboard/briefings/{briefing.pk}/issue/", {}, content_type="application/json"
    ).json()
    assert body["status"] == "issued" and body["allowed_actions"] == []
    assert client.get("/api/dashboard/briefings/?status=issued").json()["count"] == 1


@pytest.mark.django_db
def test_an_issued_briefings_page_reads_the_stored_content_in_few_queries(
    client, role_users, django_assert_max_num_queries, django_assert_num_queries
):
    briefing = _issued(role_users)
    client.force_login(role_users["领导"])
    client.get(f"/dashboard/briefings/{briefing.pk}/")  # warms the figures' cache
    # The user's permissions (2), the briefing, its events, the current figures' generation
    # check is the cache: no figure query; the allowed actions read nothing more.
    with django_assert_max_num_queries(FRAME_QUERIES + 2 + 2 + 2):
        assert client.get(f"/dashboard/briefings/{briefing.pk}/").status_code == 200
    # The API's briefing with its content and what changed: the permissions (2), the briefing,
    # its snapshot (the list's queryset defers it, 1), the figures from the cache.
    client.get(f"/api/dashboard/briefings/{briefing.pk}/")
    with django_assert_num_queries(FRAME_QUERIES + 2 + 1 + 1):
        assert client.get(f"/api/dashboard/briefings/{briefing.pk}/").status_code == 200


def test_the_seed_month_is_briefed_with_the_seeds_figures(demo, db, role_users):
    briefing = _issued(role_users, next_steps="抓好项目建设")
    text = _text(bytes(Briefing.objects.get(pk=briefing.pk).document))
    for expected in ("49.86亿元", "50.4亿元", "12.04%", "131家", "77家", "15家", "8家"):
        assert expected in text, expected
    assert f"2023年第{briefing.issue_no}期" in text
    assert "抓好项目建设" in text
    for heading in ("主要经济指标", "招商引资", "企业服务", "存在问题", "下步工作"):
        assert heading in text, heading
    assert "拉动全区增长" in text


def test_every_transition_has_its_label_on_the_timeline():
    from apps.dashboard.models import BriefingEvent

    actions = {t.action for t in services.BRIEFING_WORKFLOW.transitions}
    assert actions == set(BriefingEvent.Action.values)


def test_the_problems_count_the_red_and_unreported_construction_projects():
    from apps.dashboard.briefing import _problems

    def row(value):
        return {"value": value, "schedule_gap": None, "label": ""}

    problems = _problems(
        {
            "projects_red": row("3"),
            "projects_reports_overdue": row("2"),
            "demands_overdue": row("0"),
        },
        {},
    )
    assert problems == ["红灯在建项目3个", "月报逾期项目2个"]
    assert _problems({"projects_red": row("0")}, {}) == []


def test_the_red_projects_are_named_with_their_reasons():
    from apps.dashboard.briefing import _problems

    red = {
        "projects_red_list": {
            "rows": [
                {"label": "甲项目", "note": "计划2023-03开工，已延迟3个月未开工"},
                {"label": "乙项目", "note": ""},
            ]
        }
    }
    row = {"value": "2", "schedule_gap": None, "label": ""}
    assert _problems({"projects_red": row}, red) == [
        "红灯在建项目2个，其中：甲项目（计划2023-03开工，已延迟3个月未开工）、乙项目"
    ]


@pytest.mark.django_db
def test_a_reader_who_may_not_read_projects_gets_no_project_names(role_users):
    """The red projects are named in 存在问题; a reader without projects.view_project (no role
    has the briefing without it today) reads the count alone, and the .docx is written anew."""
    from apps.dashboard.briefing import for_reader

    snapshot = {
        "scope": "public",
        "sections": [
            {
                "code": "projects",
                "items": [{"code": "projects_red", "value": "1", "schedule_gap": None}],
                "groups": [
                    {"code": "projects_red_list", "rows": [{"label": "甲项目", "note": "原因"}]}
                ],
            }
        ],
        "problems": ["红灯在建项目1个，其中：甲项目（原因）"],
        "figures": ["projects_red"],
    }
    leader = role_users["领导"]
    assert for_reader(snapshot, leader) is snapshot
    stranger = role_users["人事管理员"]
    assert not stranger.has_perm("projects.view_project")
    redacted = for_reader(snapshot, stranger)
    assert redacted["problems"] == ["红灯在建项目1个"]
    assert redacted["redacted"] is True
