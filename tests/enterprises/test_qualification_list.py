"""资质到期: the certificate list with its derived status, the API's same filters, and the home
page's 证书即将到期 count."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.roles import Role
from apps.enterprises.models import (
    EXPIRING_WITHIN_DAYS,
    Qualification,
    qualification_status_q,
)
from tests.conftest import FRAME_QUERIES
from tests.enterprises.factories import (
    EnterpriseFactory,
    QualificationFactory,
    qualification_type,
)

pytestmark = pytest.mark.django_db

LIST = reverse("enterprises:qualification_list")
API = reverse("api:qualification-list")


def _certificate(name: str, *, expires_in: int | None, code: str = "high_tech"):
    today = date.today()
    expires_on = None if expires_in is None else today + timedelta(days=expires_in)
    return QualificationFactory(
        enterprise=EnterpriseFactory(name=name),
        type=qualification_type(code),
        issued_on=today - timedelta(days=2000),
        expires_on=expires_on,
    )


@pytest.fixture
def certificates():
    """One certificate in each state, and one on each side of the 即将到期 boundary."""
    return {
        "lapsed": _certificate("甲过期", expires_in=-1),
        "today": _certificate("乙今日到期", expires_in=0),
        "edge": _certificate("丙九十天", expires_in=EXPIRING_WITHIN_DAYS),
        "later": _certificate("丁九十一天", expires_in=EXPIRING_WITHIN_DAYS + 1),
        "forever": _certificate("戊长期", expires_in=None, code="provincial_rd"),
    }


@pytest.fixture
def economist(user_of):
    return user_of(Role.ECONOMY, username="economist")


def names(response):
    return [qualification.enterprise.name for qualification in response.context["object_list"]]


class TestTheQualificationList:
    def test_lists_certificates_soonest_expiry_first_and_long_term_ones_last(
        self, client, economist, certificates
    ):
        client.force_login(economist)
        response = client.get(LIST)
        assert names(response) == ["甲过期", "乙今日到期", "丙九十天", "丁九十一天", "戊长期"]
        html = response.content.decode()
        assert "即将到期" in html and "已过期" in html and "长期" in html

    def test_filters_by_the_status_the_enterprise_page_shows(self, client, economist, certificates):
        client.force_login(economist)
        assert names(client.get(LIST, {"status": "expiring"})) == ["乙今日到期", "丙九十天"]
        assert names(client.get(LIST, {"status": "expired"})) == ["甲过期"]
        assert names(client.get(LIST, {"status": "valid"})) == ["丁九十一天", "戊长期"]
        for status in ("expiring", "expired", "valid"):
            for row in client.get(LIST, {"status": status}).context["rows"]:
                assert row.obj.status == status

    def test_filters_by_type_level_days_to_expiry_and_enterprise_name(
        self, client, economist, certificates
    ):
        client.force_login(economist)
        high_tech = qualification_type("high_tech").pk
        assert "戊长期" not in names(client.get(LIST, {"type": high_tech}))
        assert names(client.get(LIST, {"level": "provincial"})) == ["戊长期"]
        within = {"expiring_within": EXPIRING_WITHIN_DAYS + 1}
        assert names(client.get(LIST, within)) == ["乙今日到期", "丙九十天", "丁九十一天"]
        assert names(client.get(LIST, {"expiring_within": 0})) == ["乙今日到期"]
        assert names(client.get(LIST, {"q": " 九十 "})) == ["丙九十天", "丁九十一天"]

    def test_a_bad_number_of_days_is_explained_and_kept_not_a_500(
        self, client, economist, certificates
    ):
        client.force_login(economist)
        for bad in ("-5", "abc", "1.5", "99999"):
            response = client.get(LIST, {"expiring_within": bad, "q": "九十"})
            assert response.status_code == 200
            form = response.context["filter"].form
            assert form.errors["expiring_within"]
            assert f'value="{bad}"' in response.content.decode()
            # the other filters still apply
            assert names(response) == ["丙九十天", "丁九十一天"]

    def test_exports_the_filtered_rows_to_excel(self, client, economist, certificates):
        client.force_login(economist)
        response = client.get(LIST, {"status": "expiring", "export": "xlsx"})
        rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
        assert rows[0][:3] == ("企业名称", "统一社会信用代码", "资质类型")
        assert [row[0] for row in rows[1:]] == ["乙今日到期", "丙九十天"]
        assert [row[7] for row in rows[1:]] == [0, EXPIRING_WITHIN_DAYS]
        assert {row[8] for row in rows[1:]} == {"即将到期"}

    def test_is_paginated_by_25(self, client, economist):
        for n in range(27):
            _certificate(f"企业{n:02d}", expires_in=n)
        client.force_login(economist)
        assert len(names(client.get(LIST))) == 25
        assert len(names(client.get(LIST, {"page": 2}))) == 2

    def test_is_in_the_menu_of_every_role_that_reads_qualifications(self, client, user_of):
        client.force_login(user_of(Role.INVESTMENT, username="investor"))
        assert LIST in client.get(reverse("accounts:home")).content.decode()

    def test_takes_a_fixed_number_of_queries(self, client, economist, django_assert_num_queries):
        for n in range(6):
            _certificate(f"企业{n}", expires_in=n * 30)
        client.force_login(economist)
        client.get(LIST)
        # the user's permissions (user, groups), the count, the page of certificates with
        # their enterprises and types (the filter form's type choices are read once:
        # apps.core.filters.ReferenceChoiceFilter)
        with django_assert_num_queries(FRAME_QUERIES + 2 + 1 + 1):
            client.get(LIST)


class TestTheApiSharesTheFilters:
    def test_status_level_and_days_filter_the_api_as_they_do_the_page(
        self, client, economist, certificates
    ):
        client.force_login(economist)

        def api_names(**params):
            results = client.get(API, params).json()["results"]
            ids = {row["id"] for row in results}
            return sorted(q.enterprise.name for q in Qualification.objects.filter(id__in=ids))

        assert api_names(status="expiring") == ["丙九十天", "乙今日到期"]
        assert api_names(level="provincial") == ["戊长期"]
        assert api_names(expiring_within=0) == ["乙今日到期"]

    def test_a_bad_filter_value_is_a_400_with_the_reason(self, client, economist):
        client.force_login(economist)
        response = client.get(API, {"expiring_within": "-1"})
        assert response.status_code == 400
        assert "expiring_within" in response.json()["errors"]


class TestTheHomePageReminder:
    def test_counts_the_expiring_certificates_and_links_to_them(
        self, client, economist, certificates
    ):
        client.force_login(economist)
        html = client.get(reverse("accounts:home")).content.decode()
        assert "证书即将到期" in html
        assert f'href="{LIST}?status=expiring"' in html
        panel = client.get(reverse("accounts:home")).context["panels"]
        box = next(p for p in panel if p.template == "enterprises/_panel_home.html")
        assert box.context["expiring_qualifications"] == 2


def test_the_database_status_agrees_with_the_status_shown():
    """The list's filter and the badge come from one rule: around every boundary, each
    certificate matches exactly one status in the database, the one the badge shows."""
    today = date.today()
    offsets = [None, -400, -2, -1, 0, 1, 2, EXPIRING_WITHIN_DAYS - 1, EXPIRING_WITHIN_DAYS]
    offsets += [EXPIRING_WITHIN_DAYS + 1, 400]
    certificates = [_certificate(f"企业{n}", expires_in=o) for n, o in enumerate(offsets)]
    for certificate in certificates:
        matching = [
            status
            for status in Qualification.Status
            if Qualification.objects.filter(
                qualification_status_q(status, on=today), pk=certificate.pk
            ).exists()
        ]
        assert matching == [certificate.status], certificate.expires_on
