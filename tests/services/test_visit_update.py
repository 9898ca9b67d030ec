"""Correcting a visit: its logger or an officer who went (or a superuser), within a week of
logging it, through one service shared by the page and the API; history keeps the old values."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.core.errors import NotAllowed
from apps.services import services
from apps.services.models import Demand, Visit
from tests.conftest import FRAME_QUERIES
from tests.services.factories import DemandFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(user_of):
    """Another 企业服务局 officer who went on the visit."""
    return user_of(Role.SERVICE, username="wang_s", full_name="王芳")


@pytest.fixture
def visit(actors, colleague):
    return VisitFactory(
        created_by=actors["service"],
        staff=[actors["service"], colleague],
        purpose="了解生产经营情况",
        findings="生产正常",
    )


def _age(visit: Visit, days: float) -> Visit:
    Visit.objects.filter(pk=visit.pk).update(created_at=timezone.now() - timedelta(days=days))
    visit.refresh_from_db()
    return visit


class TestTheService:
    def test_the_logger_corrects_the_date_method_officers_purpose_and_findings(
        self, actors, colleague, visit
    ):
        yesterday = timezone.localdate() - timedelta(days=1)
        services.visit_update(
            visit=visit,
            by=actors["service"],
            visited_on=yesterday,
            method=Visit.Method.PHONE,
            staff=[colleague],
            purpose="回访用工需求",
            findings="企业缺普工 30 人",
        )
        visit.refresh_from_db()
        assert visit.visited_on == yesterday
        assert visit.method == Visit.Method.PHONE
        assert list(visit.staff.all()) == [colleague]
        assert (visit.purpose, visit.findings) == ("回访用工需求", "企业缺普工 30 人")

    def test_an_officer_who_went_may_correct_it_too(self, colleague, visit):
        services.visit_update(visit=visit, by=colleague, findings="补充：订单增加")
        visit.refresh_from_db()
        assert visit.findings == "补充：订单增加"
        assert visit.purpose == "了解生产经营情况"  # what was not sent is kept

    def test_a_superuser_may_correct_it(self, actors, visit):
        services.visit_update(visit=visit, by=actors["admin"], purpose="更正目的")
        assert Visit.objects.get(pk=visit.pk).purpose == "更正目的"

    def test_an_officer_who_did_not_go_is_refused_with_the_reason(self, user_of, visit):
        outsider = user_of(Role.SERVICE, username="ma", full_name="马超")
        with pytest.raises(NotAllowed, match="只有登记人或参与走访的人员"):
            services.visit_update(visit=visit, by=outsider, purpose="改")
        assert Visit.objects.get(pk=visit.pk).purpose == "了解生产经营情况"

    def test_the_leadership_cannot_correct_a_visit(self, actors, visit):
        with pytest.raises(NotAllowed):
            services.visit_update(visit=visit, by=actors["leader"], purpose="改")

    def test_a_visit_logged_more_than_a_week_ago_is_refused_with_the_reason(self, actors, visit):
        _age(visit, 6.9)
        services.visit_update(visit=visit, by=actors["service"], findings="六天多，仍可修改")
        _age(visit, 7.01)
        with pytest.raises(ValidationError, match="走访登记已超过 7 天，不能再修改"):
            services.visit_update(visit=visit, by=actors["service"], findings="太晚")
        assert Visit.objects.get(pk=visit.pk).findings == "六天多，仍可修改"

    def test_bad_values_are_refused_and_nothing_is_written(self, actors, visit):
        tomorrow = timezone.localdate() + timedelta(days=1)
        for bad in (
            {"visited_on": tomorrow},
            {"staff": []},
            {"purpose": "  "},
            {"method": "carrier_pigeon"},
        ):
            with pytest.raises(ValidationError):
                services.visit_update(visit=visit, by=actors["service"], findings="改", **bad)
        visit.refresh_from_db()
        assert visit.findings == "生产正常"
        assert visit.staff.count() == 2

    def test_the_demands_of_the_visit_are_left_alone(self, actors, visit):
        demand = DemandFactory(enterprise=visit.enterprise, visit=visit, source="visit")
        before = Demand.objects.values().get(pk=demand.pk)
        services.visit_update(
            visit=visit, by=actors["service"], visited_on=timezone.localdate() - timedelta(3)
        )
        assert Demand.objects.values().get(pk=demand.pk) == before

    def test_the_history_keeps_the_old_values_and_who_changed_them(self, actors, colleague, visit):
        services.visit_update(visit=visit, by=colleague, purpose="新目的")
        old, new = visit.history.order_by("history_date")[:1].get(), visit.history.latest()
        assert old.purpose == "了解生产经营情况"
        assert new.purpose == "新目的"
        assert new.history_type == "~"


class TestThePage:
    def url(self, visit):
        return reverse("services:visit_update", args=[visit.pk])

    def test_the_visit_page_offers_修改_only_to_those_who_may(self, client, actors, user_of, visit):
        detail = reverse("services:visit_detail", args=[visit.pk])
        client.force_login(actors["service"])
        assert self.url(visit) in client.get(detail).content.decode()
        client.force_login(user_of(Role.SERVICE, username="ma"))
        assert self.url(visit) not in client.get(detail).content.decode()
        client.force_login(actors["leader"])
        assert self.url(visit) not in client.get(detail).content.decode()
        _age(visit, 8)
        client.force_login(actors["service"])
        assert self.url(visit) not in client.get(detail).content.decode()

    def test_the_form_shows_the_visit_and_saves_a_correction(
        self, client, actors, colleague, visit
    ):
        client.force_login(colleague)
        html = client.get(self.url(visit)).content.decode()
        assert "修改走访记录" in html and "了解生产经营情况" in html
        assert 'name="enterprise"' not in html and "demands-TOTAL_FORMS" not in html
        response = client.post(
            self.url(visit),
            {
                "visited_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
                "method": "meeting",
                "staff": [colleague.pk],
                "purpose": "座谈用地需求",
                "findings": "企业希望扩建厂房",
            },
        )
        assert response.status_code == 302
        visit.refresh_from_db()
        assert (visit.method, visit.purpose) == ("meeting", "座谈用地需求")
        assert list(visit.staff.all()) == [colleague]

    def test_bad_input_is_explained_in_chinese_and_nothing_typed_is_lost(
        self, client, actors, visit
    ):
        client.force_login(actors["service"])
        tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
        response = client.post(
            self.url(visit),
            {"visited_on": tomorrow, "method": "phone", "purpose": "", "findings": "新写的情况"},
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "走访日期不能晚于今天" in html
        assert "请至少选择一名走访人员" in html
        assert "新写的情况" in html and tomorrow in html
        assert Visit.objects.get(pk=visit.pk).findings == "生产正常"

    def test_an_outsider_gets_403_and_a_late_correction_is_shown_why(
        self, client, actors, user_of, visit
    ):
        client.force_login(user_of(Role.SERVICE, username="ma"))
        assert client.get(self.url(visit)).status_code == 403
        _age(visit, 10)
        client.force_login(actors["service"])
        html = client.get(self.url(visit)).content.decode()
        assert "走访登记已超过 7 天" in html
        assert 'data-testid="save-visit"' not in html
        response = client.post(self.url(visit), {"purpose": "改", "findings": "改"})
        assert response.status_code == 400
        assert Visit.objects.get(pk=visit.pk).purpose == "了解生产经营情况"

    def test_takes_a_fixed_number_of_queries(
        self, client, actors, colleague, visit, user_of, django_assert_num_queries
    ):
        for n in range(4):
            user_of(Role.SERVICE, username=f"officer{n}")
        client.force_login(actors["service"])
        client.get(self.url(visit))
        # permissions (2), the visit with enterprise and creator, its staff, the officers
        # offered (service staff plus those who went)
        with django_assert_num_queries(FRAME_QUERIES + 2 + 1 + 1 + 1):
            client.get(self.url(visit))


class TestTheApi:
    def url(self, visit):
        return reverse("api:visit-detail", args=[visit.pk])

    def test_patch_corrects_through_the_service(self, client, actors, colleague, visit):
        client.force_login(colleague)
        response = client.patch(
            self.url(visit),
            {"findings": "API 更正", "staff": [colleague.pk]},
            content_type="application/json",
        )
        assert response.status_code == 200, response.json()
        assert response.json()["findings"] == "API 更正"
        assert response.json()["staff"] == [colleague.pk]

    def test_an_outsider_gets_403_with_the_reason(self, client, user_of, visit):
        client.force_login(user_of(Role.SERVICE, username="ma"))
        response = client.patch(self.url(visit), {"findings": "x"}, "application/json")
        assert response.status_code == 403
        assert "只有登记人或参与走访的人员" in response.json()["detail"]

    def test_a_late_correction_is_400_with_the_reason(self, client, actors, visit):
        _age(visit, 8)
        client.force_login(actors["service"])
        response = client.patch(self.url(visit), {"findings": "x"}, "application/json")
        assert response.status_code == 400
        assert "走访登记已超过 7 天" in str(response.json())

    def test_the_enterprise_and_demands_cannot_be_changed_and_put_is_not_allowed(
        self, client, actors, visit
    ):
        client.force_login(actors["service"])
        response = client.patch(
            self.url(visit), {"enterprise": 1, "demands": []}, "application/json"
        )
        assert response.status_code == 400
        assert set(response.json()["errors"]) == {"enterprise", "demands"}
        assert client.put(self.url(visit), {}, "application/json").status_code == 405
        # no delete permission: refused before the method is even looked at
        assert client.delete(self.url(visit)).status_code == 403
        assert Visit.objects.filter(pk=visit.pk).exists()

    def test_roles_that_may_not_change_visits_get_403(self, client, actors, visit):
        client.force_login(actors["leader"])
        response = client.patch(self.url(visit), {"findings": "x"}, "application/json")
        assert response.status_code == 403
