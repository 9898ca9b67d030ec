import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.services.models import Demand, Visit
from tests.conftest import FRAME_QUERIES
from tests.enterprises.factories import EnterpriseFactory
from tests.services.factories import (
    ApplicationFactory,
    DemandFactory,
    FinancingNeedFactory,
    LoanIntentFactory,
    MeetingFactory,
    VisitFactory,
    category,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def visit_post(enterprise, staff, demands=(), **overrides):
    data = {
        "enterprise": getattr(enterprise, "name", enterprise),
        "visited_on": TODAY.isoformat(),
        "method": "on_site",
        "staff": [staff.pk],
        "purpose": "了解企业生产经营情况",
        "findings": "订单饱满",
        "demands-TOTAL_FORMS": str(len(demands)),
        "demands-INITIAL_FORMS": "0",
        "demands-MIN_NUM_FORMS": "0",
        "demands-MAX_NUM_FORMS": "20",
    }
    for index, row in enumerate(demands):
        for key, value in row.items():
            data[f"demands-{index}-{key}"] = value
    data.update(overrides)
    return data


# --- the visit form -------------------------------------------------------------------------


def test_a_service_officer_logs_a_visit_with_two_demands(client, actors):
    enterprise = EnterpriseFactory(name="花溪科技有限公司")
    client.force_login(actors["service"])
    response = client.post(
        reverse("services:visit_create"),
        visit_post(
            enterprise,
            actors["service"],
            [
                {
                    "category": category("procedure").pk,
                    "description": "办理施工许可证",
                    "priority": "high",
                },
                {
                    "category": category("labour").pk,
                    "description": "缺技术工人",
                    "priority": "normal",
                },
            ],
        ),
    )
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("services:visit_detail", args=[visit.pk])
    assert visit.demands.count() == 2
    html = client.get(response["Location"]).content.decode()
    assert "办理施工许可证" in html and "缺技术工人" in html
    # The detail page tells the browser to drop the saved draft.
    assert 'data-draft-clear="visit-form"' in html


def test_an_invalid_visit_is_shown_again_with_everything_typed(client, actors):
    client.force_login(actors["service"])
    data = visit_post(
        "不存在的企业",
        actors["service"],
        [
            {"category": category("procedure").pk, "description": "办理施工许可证"},
            {"category": category("labour").pk, "description": ""},
        ],
    )
    response = client.post(reverse("services:visit_create"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "没有名为“不存在的企业”的企业" in html
    assert "请填写诉求内容" in html
    assert 'value="不存在的企业"' in html
    assert "办理施工许可证" in html and "订单饱满" in html
    assert not Visit.objects.exists() and not Demand.objects.exists()


def test_an_untouched_added_demand_row_is_ignored(client, actors):
    client.force_login(actors["service"])
    data = visit_post(EnterpriseFactory(), actors["service"], [{"priority": "normal"}])
    response = client.post(reverse("services:visit_create"), data)
    assert response.status_code == 302
    assert not Demand.objects.exists()


def test_a_visit_dated_tomorrow_is_refused_with_a_reason(client, actors):
    client.force_login(actors["service"])
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    data = visit_post(EnterpriseFactory(), actors["service"], visited_on=tomorrow)
    response = client.post(reverse("services:visit_create"), data)
    assert "走访日期不能晚于今天" in response.content.decode()


def test_the_visit_form_opens_with_the_enterprise_from_a_coverage_link(client, actors):
    enterprise = EnterpriseFactory(name="瀚之源科技有限公司")
    client.force_login(actors["service"])
    html = client.get(reverse("services:visit_create") + f"?enterprise={enterprise.pk}")
    assert 'value="瀚之源科技有限公司"' in html.content.decode()


def test_the_enterprise_name_search_suggests_names(client, actors):
    EnterpriseFactory(name="猎金科技有限公司")
    EnterpriseFactory(name="航宏航空有限公司")
    client.force_login(actors["service"])
    response = client.get(reverse("enterprises:names"), {"q": "猎金"})
    assert response.json() == {"results": ["猎金科技有限公司"]}


# --- demand pages and transitions -------------------------------------------------------------


def test_the_responsible_department_accepts_and_closes_from_the_detail_page(client, actors):
    demand = DemandFactory(category=category("procedure"), created_by=actors["service"])
    client.force_login(actors["approval"])
    url = reverse("services:demand_detail", args=[demand.pk])
    html = client.get(url).content.decode()
    assert 'data-action="accept"' in html and 'data-action="return"' in html
    response = client.post(
        reverse("services:demand_transition", args=[demand.pk, "accept"]),
        {"accept-comment": "已受理"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("services:demand_transition", args=[demand.pk, "close"]),
        {"close-resolution": "施工许可证已核发"},
    )
    demand.refresh_from_db()
    assert demand.status == Demand.Status.CLOSED
    html = client.get(url).content.decode()
    assert "施工许可证已核发" in html
    assert 'data-action="follow_up"' not in html


def test_a_close_without_resolution_keeps_the_form_open_with_the_error(client, actors):
    demand = DemandFactory(created_by=actors["service"])
    client.force_login(actors["approval"])
    client.post(reverse("services:demand_transition", args=[demand.pk, "accept"]), {})
    response = client.post(
        reverse("services:demand_transition", args=[demand.pk, "close"]),
        {"close-resolution": "", "close-closed_on": "2023-01-01"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="action-close"' in html and "collapse show" in html
    assert 'value="2023-01-01"' in html


def test_someone_outside_the_department_is_told_why_they_cannot_accept(client, actors):
    demand = DemandFactory(category=category("procedure"))
    client.force_login(actors["economy"])
    response = client.post(reverse("services:demand_transition", args=[demand.pk, "accept"]), {})
    # The actor may not (403, as from the API), and the page says why.
    assert response.status_code == 403
    assert "只有责任部门（行政审批局）的人员可以办理该诉求" in response.content.decode()
    demand.refresh_from_db()
    assert demand.status == Demand.Status.PENDING


def test_the_leader_reads_but_cannot_act(client, actors):
    demand = DemandFactory()
    client.force_login(actors["leader"])
    html = client.get(reverse("services:demand_detail", args=[demand.pk])).content.decode()
    # The only form offered is the leadership's instruction (批示); no transition.
    assert 'name="instruct-instruction"' in html
    assert not any(f'name="{action}-' in html for action in ("accept", "close", "return"))
    response = client.post(reverse("services:demand_transition", args=[demand.pk, "accept"]), {})
    assert response.status_code == 403


def test_the_follow_up_is_recorded_from_the_detail_page(client, actors):
    demand = DemandFactory(created_by=actors["service"])
    client.force_login(actors["approval"])
    client.post(reverse("services:demand_transition", args=[demand.pk, "accept"]), {})
    client.post(
        reverse("services:demand_transition", args=[demand.pk, "close"]),
        {"close-resolution": "已办结"},
    )
    client.force_login(actors["service"])
    response = client.post(
        reverse("services:demand_transition", args=[demand.pk, "follow_up"]),
        {"follow_up-satisfaction": "satisfied", "follow_up-comment": "企业表示满意"},
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.status == Demand.Status.FOLLOWED_UP


def test_an_unknown_action_is_not_found(client, actors):
    demand = DemandFactory()
    client.force_login(actors["approval"])
    response = client.post(reverse("services:demand_transition", args=[demand.pk, "delete"]), {})
    assert response.status_code == 404


def test_the_inbox_shows_my_departments_new_in_progress_and_overdue(client, actors):
    late = DemandFactory(
        category=category("procedure"),
        raised_on=TODAY - datetime.timedelta(days=40),
        deadline=TODAY - datetime.timedelta(days=10),
        description="逾期的手续",
    )
    fresh = DemandFactory(category=category("procedure"), description="新的手续")
    elsewhere = DemandFactory(category=category("labour"), description="用工问题")
    client.force_login(actors["approval"])
    html = client.get(reverse("services:inbox")).content.decode()
    assert "逾期的手续" in html and "新的手续" in html
    assert "用工问题" not in html
    assert "超期 10 天 · 督办" in html
    assert late.pk and fresh.pk and elsewhere.pk


def test_the_demand_list_filters_and_exports(client, actors):
    DemandFactory(category=category("procedure"), description="施工许可")
    DemandFactory(category=category("labour"), description="招工")
    client.force_login(actors["leader"])
    url = reverse("services:demand_list")
    html = client.get(url, {"category": category("labour").pk}).content.decode()
    assert "招工" in html and "施工许可" not in html
    # The id filters serve links and the API; the page shows no empty box for them.
    assert "企业编号" not in html
    response = client.get(url, {"export": "xlsx", "category": category("labour").pk})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_liaison_registers_a_project_demand(client, actors):
    enterprise = EnterpriseFactory()
    client.force_login(actors["liaison"])
    response = client.post(
        reverse("services:demand_create"),
        {
            "enterprise": enterprise.name,
            "source": "project",
            "category": category("construction_dispute").pk,
            "description": "施工队与周边村民发生纠纷",
            "priority": "high",
            "raised_on": TODAY.isoformat(),
        },
    )
    demand = Demand.objects.get()
    assert response["Location"] == reverse("services:demand_detail", args=[demand.pk])
    response = client.post(
        reverse("services:demand_create"),
        {
            "enterprise": enterprise.name,
            "source": "phone",
            "category": category("labour").pk,
            "description": "招工",
            "priority": "normal",
            "raised_on": TODAY.isoformat(),
        },
    )
    # The form offers a liaison officer only the source they may use.
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    assert Demand.objects.count() == 1


# --- query counts -----------------------------------------------------------------------------


def _demands(actors, n=6):
    enterprise = EnterpriseFactory()
    for index in range(n):
        DemandFactory(
            enterprise=enterprise if index % 2 else EnterpriseFactory(),
            category=category("procedure" if index % 3 else "labour"),
            created_by=actors["service"],
        )


def test_the_demand_list_takes_a_fixed_number_of_queries(client, actors, django_assert_num_queries):
    _demands(actors)
    client.force_login(actors["approval"])
    url = reverse("services:demand_list")
    client.get(url)
    # count, the page of demands (with enterprise, category, department, assignee), the
    # user's permissions (2: user, group); the filter form's categories and departments are
    # read once (apps.core.filters.ReferenceChoiceFilter)
    with django_assert_num_queries(FRAME_QUERIES + 4):
        client.get(url)


def test_the_inbox_takes_a_fixed_number_of_queries(client, actors, django_assert_num_queries):
    _demands(actors)
    client.force_login(actors["approval"])
    url = reverse("services:inbox")
    client.get(url)
    # the user's department, permissions (2), then one query per box (new, in progress, overdue)
    with django_assert_num_queries(FRAME_QUERIES + 6):
        client.get(url)


def test_the_demand_detail_takes_a_fixed_number_of_queries(
    client, actors, django_assert_num_queries
):
    demand = DemandFactory(created_by=actors["service"])
    client.force_login(actors["approval"])
    for _ in range(3):
        client.post(reverse("services:demand_transition", args=[demand.pk, "accept"]), {})
    client.post(
        reverse("services:demand_transition", args=[demand.pk, "reassign"]),
        {"reassign-department": 5, "reassign-reason": "转企业服务局"},
    )
    client.force_login(actors["service"])
    url = reverse("services:demand_detail", args=[demand.pk])
    client.get(url)
    # permissions (2), the demand with its relations, its events with their users, the
    # assignee choices of the accept form and the departments of the reassign form
    with django_assert_num_queries(FRAME_QUERIES + 6):
        client.get(url)


def test_the_visit_list_takes_a_fixed_number_of_queries(client, actors, django_assert_num_queries):
    for _ in range(5):
        VisitFactory(created_by=actors["service"], staff=[actors["service"], actors["liaison"]])
    client.force_login(actors["service"])
    url = reverse("services:visit_list")
    client.get(url)
    # count, the page of visits, their staff, the filter form's staff choices, permissions (2)
    with django_assert_num_queries(FRAME_QUERIES + 6):
        client.get(url)


def test_the_loan_list_takes_a_fixed_number_of_queries(client, actors, django_assert_num_queries):
    meeting = MeetingFactory()
    for _ in range(5):
        LoanIntentFactory(meeting=meeting)
    client.force_login(actors["economy"])
    url = reverse("services:loan_list")
    client.get(url)
    # count, page, totals by institution, totals, permissions (2); the filter form's
    # institutions and meetings are read once (apps.core.filters.ReferenceChoiceFilter)
    with django_assert_num_queries(FRAME_QUERIES + 6):
        client.get(url)


def test_the_application_list_takes_a_fixed_number_of_queries(
    client, actors, django_assert_num_queries
):
    for _ in range(5):
        application = ApplicationFactory()
        application.helpers.set([actors["economy"], actors["service"]])
    client.force_login(actors["economy"])
    url = reverse("services:application_list")
    client.get(url)
    # count, page, helpers, permissions (2); the filter form's programmes are read once
    # (apps.core.filters.ReferenceChoiceFilter)
    with django_assert_num_queries(FRAME_QUERIES + 5):
        client.get(url)


def test_other_lists_and_details_render(client, actors):
    meeting = MeetingFactory()
    FinancingNeedFactory(meeting=meeting)
    LoanIntentFactory(meeting=meeting)
    client.force_login(actors["economy"])
    for name in ["need_list", "meeting_list"]:
        assert client.get(reverse(f"services:{name}")).status_code == 200
    html = client.get(reverse("services:meeting_detail", args=[meeting.pk])).content.decode()
    assert meeting.title in html


# --- matchmaking and applications -------------------------------------------------------------


def test_economy_moves_a_loan_intent_on_from_its_page(client, actors):
    intent = LoanIntentFactory()
    client.force_login(actors["economy"])

    def step(action):
        return reverse("services:loan_transition", args=[intent.pk, action])

    assert client.post(step("review"), {"review-comment": ""}).status_code == 302
    response = client.post(step("credit"), {})
    assert response.status_code == 400
    assert "已授信须填写授信金额" in response.content.decode()
    client.post(step("credit"), {"credit-credit_amount": "800"})
    intent.refresh_from_db()
    assert (intent.status, intent.credit_amount) == ("credited", 800)


def test_enterprise_service_reads_loans_but_cannot_move_them(client, actors):
    intent = LoanIntentFactory()
    client.force_login(actors["service"])
    url = reverse("services:loan_detail", args=[intent.pk])
    assert 'data-testid="workflow-actions"' not in client.get(url).content.decode()
    step = reverse("services:loan_transition", args=[intent.pk, "review"])
    response = client.post(step, {})
    assert response.status_code == 403
    assert "政银企对接由经济发展局负责" in response.content.decode()


def test_approving_an_application_from_its_page_issues_the_qualification(client, actors):
    from apps.enterprises.models import Qualification
    from tests.services.factories import programme

    application = ApplicationFactory(programme=programme("high_tech"))
    client.force_login(actors["economy"])
    url = reverse("services:application_detail", args=[application.pk])
    assert "获批后将自动为企业登记“高新技术企业”资质" in client.get(url).content.decode()

    def step(action):
        return reverse("services:application_transition", args=[application.pk, action])

    client.post(step("submit"), {"submit-on": "2023-05-01"})
    response = client.post(step("approve"), {"approve-on": "2023-04-01"})
    assert response.status_code == 400
    assert "结果日期不能早于申报日期（2023-05-01）" in response.content.decode()
    client.post(
        step("approve"), {"approve-on": "2023-10-01", "approve-certificate_no": "GR2023001"}
    )
    assert Qualification.objects.get(enterprise=application.enterprise).certificate_no == (
        "GR2023001"
    )


def test_a_meeting_is_recorded_with_the_enterprises_present(client, actors):
    from apps.services.models import MatchmakingMeeting

    first = EnterpriseFactory(name="新乡猎金科技有限公司")
    client.force_login(actors["economy"])
    data = {
        "title": "政银企对接会",
        "held_on": "2023-04-18",
        "organiser": "县金融工作局",
        "institutions": [1, 2],
        "enterprise_names": f"{first.name}\n不存在的公司",
    }
    response = client.post(reverse("services:meeting_create"), data)
    assert "找不到这些企业：不存在的公司" in response.content.decode()
    data["enterprise_names"] = first.name
    response = client.post(reverse("services:meeting_create"), data)
    meeting = MatchmakingMeeting.objects.get()
    assert list(meeting.enterprises.all()) == [first]
    assert meeting.institutions.count() == 2


def test_the_coverage_page_offers_a_visit_for_each_enterprise_not_visited(client, actors):
    forgotten = EnterpriseFactory(name="久未走访企业")
    VisitFactory(enterprise=EnterpriseFactory(name="刚走访企业"), created_by=actors["service"])
    client.force_login(actors["service"])
    html = client.get(reverse("services:coverage")).content.decode()
    assert "久未走访企业" in html and "刚走访企业" not in html
    assert f"{reverse('services:visit_create')}?enterprise={forgotten.pk}" in html


def test_the_weekly_report_page_shows_who_fell_short(client, actors, user_of):
    from apps.accounts.roles import Role

    user_of(Role.SERVICE, username="wu", full_name="吴刚")
    for _ in range(2):
        VisitFactory(created_by=actors["service"], visited_on=TODAY)
    client.force_login(actors["leader"])
    html = client.get(reverse("services:visit_report"), {"week": TODAY.isoformat()}).content
    html = html.decode()
    assert 'data-testid="short-count">1 人未达标' in html
    assert 'data-user="wu" class="table-warning"' in html


def test_the_leaders_inbox_holds_the_escalated_and_overdue_demands_of_every_department(
    client, actors
):
    DemandFactory(
        raised_on=TODAY - datetime.timedelta(days=40),
        deadline=TODAY - datetime.timedelta(days=20),
        description="久拖未决",
    )
    DemandFactory(
        raised_on=TODAY - datetime.timedelta(days=10),
        deadline=TODAY - datetime.timedelta(days=2),
        description="刚刚超期",
    )
    DemandFactory(description="按期办理中")
    client.force_login(actors["leader"])
    html = client.get(reverse("services:inbox")).content.decode()
    escalated, overdue = html.split('data-box="overdue"')
    assert "久拖未决" in escalated and "刚刚超期" in overdue
    assert "按期办理中" not in html


def test_a_link_only_filter_is_kept_as_a_hidden_input_when_the_user_refines(client, actors):
    demand = DemandFactory()
    client.force_login(actors["service"])
    url = reverse("services:demand_list") + f"?enterprise={demand.enterprise_id}"
    html = client.get(url).content.decode()
    assert f'type="hidden" name="enterprise" value="{demand.enterprise_id}"' in html
    assert 'for="id_enterprise"' not in html
