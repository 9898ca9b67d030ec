from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.enterprises import selectors
from apps.enterprises.models import Enterprise
from tests.conftest import FRAME_QUERIES
from tests.enterprises.factories import (
    EnterpriseFactory,
    MonthlyStatisticFactory,
    StatisticsMembershipFactory,
    credit_code,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def service_officer(user_of):
    return user_of(Role.SERVICE, username="service-officer")


def test_the_enterprise_list_is_filtered_like_the_page(client, user_of):
    EnterpriseFactory(name="花溪科技")
    EnterpriseFactory(name="澳美电气")
    client.force_login(user_of(Role.LIAISON))
    response = client.get(reverse("api:enterprise-list"), {"q": "花溪"})
    assert [row["name"] for row in response.json()["results"]] == ["花溪科技"]


@pytest.mark.parametrize("role", [Role.INVESTMENT, Role.APPROVAL, Role.LIAISON, Role.HR])
def test_the_decline_filter_is_refused_to_roles_without_monthly_figures(client, user_of, role):
    client.force_login(user_of(role))
    response = client.get(reverse("api:enterprise-list"), {"decline": "true"})
    assert response.status_code == 403
    assert "产值下滑预警" in response.json()["detail"]


def test_the_decline_filter_answers_roles_with_monthly_figures(client, user_of):
    falling = EnterpriseFactory(name="下滑")
    StatisticsMembershipFactory(enterprise=falling)
    MonthlyStatisticFactory(enterprise=falling, year=2022, month=1, output_value=100)
    MonthlyStatisticFactory(enterprise=falling, year=2023, month=1, output_value=50)
    EnterpriseFactory(name="平稳")
    client.force_login(user_of(Role.ECONOMY))
    response = client.get(reverse("api:enterprise-list"), {"decline": "true"})
    assert [row["name"] for row in response.json()["results"]] == ["下滑"]


def test_the_enterprise_list_query_count_does_not_grow(client, user_of, django_assert_num_queries):
    for _ in range(8):
        EnterpriseFactory()
    client.force_login(user_of(Role.LEADER))
    url = reverse("api:enterprise-list")
    client.get(url)
    # the user's permissions (user, groups), the count, the page with its relations joined
    with django_assert_num_queries(FRAME_QUERIES + 4):
        client.get(url)


def test_monthly_statistics_filter_by_enterprise_year_and_month(
    client, user_of, django_assert_num_queries
):
    enterprise = EnterpriseFactory()
    for month in range(1, 7):
        MonthlyStatisticFactory(enterprise=enterprise, year=2023, month=month)
    MonthlyStatisticFactory(enterprise=enterprise, year=2022, month=3)
    MonthlyStatisticFactory(year=2023, month=3)
    client.force_login(user_of(Role.ECONOMY))
    url = reverse("api:monthly-statistic-list")
    rows = client.get(url, {"enterprise": enterprise.pk, "year": 2023}).json()["results"]
    assert [row["month"] for row in rows] == [1, 2, 3, 4, 5, 6]
    assert len(client.get(url, {"year": 2023, "month": 3}).json()["results"]) == 2
    # the user's permissions (user, groups), the count, the page with its enterprise joined
    with django_assert_num_queries(FRAME_QUERIES + 4):
        client.get(url)


def test_service_staff_register_an_enterprise_through_the_same_rules(client, service_officer):
    client.force_login(service_officer)
    bad = client.post(
        reverse("api:enterprise-list"),
        {"name": "新企业", "credit_code": "91410000MA00000001", "status": "operating"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "统一社会信用代码" in str(bad.json()["errors"]["credit_code"])
    good = client.post(
        reverse("api:enterprise-list"),
        {"name": "新企业", "credit_code": credit_code(3).lower(), "status": "operating"},
        content_type="application/json",
    )
    assert good.status_code == 201, good.json()
    assert Enterprise.objects.get().credit_code == credit_code(3)


def test_enterprises_cannot_be_deleted_through_the_api(client, user_of):
    enterprise = EnterpriseFactory()
    client.force_login(user_of(Role.ADMIN))
    response = client.delete(reverse("api:enterprise-detail", args=[enterprise.pk]))
    assert response.status_code == 405


def test_leadership_reads_but_does_not_write(client, user_of):
    client.force_login(user_of(Role.LEADER))
    response = client.post(reverse("api:enterprise-list"), {"name": "x"})
    assert response.status_code == 403


def test_an_overlapping_membership_is_refused_with_the_reason(client, service_officer):
    membership = StatisticsMembershipFactory(entered_on=date(2020, 1, 1))
    client.force_login(service_officer)
    response = client.post(
        reverse("api:membership-list"),
        {
            "enterprise": membership.enterprise_id,
            "category": "industry",
            "entered_on": "2022-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "入库期间不能重叠" in str(response.json())


def test_the_statistics_endpoint_returns_the_page_figures(client, user_of):
    for index in range(3):
        enterprise = EnterpriseFactory()
        StatisticsMembershipFactory(enterprise=enterprise)
        MonthlyStatisticFactory(enterprise=enterprise, year=2022, month=1, revenue=100)
        MonthlyStatisticFactory(enterprise=enterprise, year=2023, month=1, revenue=110 + index)
    client.force_login(user_of(Role.LEADER))
    data = client.get(reverse("api:enterprise-statistics")).json()
    expected = selectors.period_statistics(year=2023, month=1)
    assert (data["year"], data["month"]) == (2023, 1)
    assert data["headline"] == expected.headline
    assert data["total"]["reporting"] == 3
    assert Decimal(data["total"]["revenue"]) == Decimal(333)
    assert Decimal(data["total"]["revenue_growth"]) == expected.total.revenue_growth
    assert data["registry"]["four_above"] == 3
    assert data["registry"]["qualifications"][0] == {
        "code": "high_tech",
        "name": "高新技术企业",
        "count": 0,
    }


def test_the_statistics_endpoint_refuses_a_bad_month(client, user_of):
    client.force_login(user_of(Role.LEADER))
    response = client.get(reverse("api:enterprise-statistics"), {"year": 2023, "month": 13})
    assert response.status_code == 400


@pytest.mark.parametrize("basename", ["qualification", "membership"])
def test_qualification_and_membership_lists_take_a_fixed_number_of_queries(
    client, user_of, django_assert_num_queries, basename
):
    from tests.enterprises.factories import QualificationFactory

    for _ in range(5):
        QualificationFactory()
        StatisticsMembershipFactory()
    client.force_login(user_of(Role.INVESTMENT))
    url = reverse(f"api:{basename}-list")
    client.get(url)
    # the user's permissions (user, groups), the count, the page with its relations joined
    with django_assert_num_queries(FRAME_QUERIES + 4):
        response = client.get(url)
    assert response.json()["count"] == 5


def test_monthly_amounts_keep_their_four_decimals(client, user_of):
    MonthlyStatisticFactory(output_value=Decimal("1234.5"), tax=0)
    client.force_login(user_of(Role.ECONOMY))
    row = client.get(reverse("api:monthly-statistic-list")).json()["results"][0]
    assert (row["output_value"], row["tax"]) == ("1234.5000", "0.0000")


@pytest.mark.parametrize(
    "look_alike", ["花溪科技\u200b", "\u202e花溪科技", "花溪\ufeff科技", "花溪科技 ", "花溪科技"]
)
def test_a_look_alike_of_a_registered_name_is_refused(client, service_officer, look_alike):
    EnterpriseFactory(name="花溪科技")
    client.force_login(service_officer)
    response = client.post(
        reverse("api:enterprise-list"),
        {"name": look_alike, "credit_code": credit_code(777), "status": "operating"},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "name" in response.json()["errors"]
    assert Enterprise.objects.count() == 1


def test_the_database_refuses_a_name_that_is_not_normalised(db):
    from django.db import IntegrityError, transaction

    enterprise = EnterpriseFactory(name="花溪科技")
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.filter(pk=enterprise.pk).update(name="花溪\u200b科技")


@pytest.mark.parametrize("exited_on", ["2023-01-01", "2023-05-01"])
def test_a_membership_whose_exit_does_not_follow_its_entry_is_a_400(
    client, service_officer, exited_on
):
    enterprise = EnterpriseFactory()
    client.force_login(service_officer)
    response = client.post(
        reverse("api:membership-list"),
        {
            "enterprise": enterprise.pk,
            "category": "industry",
            "entered_on": "2023-05-01",
            "exited_on": exited_on,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "退库日期必须晚于入库日期" in str(response.json()["errors"]["exited_on"])
    assert not enterprise.memberships.exists()


@pytest.mark.parametrize(
    "url_name, param",
    [
        ("api:enterprise-list", "park"),
        ("api:enterprise-list", "chain"),
        ("api:enterprise-list", "qualification"),
        ("api:qualification-list", "enterprise"),
        ("api:membership-list", "enterprise"),
        ("api:monthly-statistic-list", "enterprise"),
        ("api:staff-pay-line-list", "sheet"),
    ],
)
def test_an_id_of_1e400_in_a_filter_is_a_400_not_a_server_error(client, user_of, url_name, param):
    client.force_login(user_of(Role.ADMIN))
    response = client.get(reverse(url_name), {param: "1e400"})
    assert response.status_code == 400
    assert param in response.json()["errors"]


def test_an_id_of_1e400_in_an_address_is_a_404(client, user_of):
    client.force_login(user_of(Role.ADMIN))
    assert client.get("/api/enterprises/1e400/").status_code == 404
    assert client.get("/api/memberships/1e400/").status_code == 404


def test_filters_take_whole_numbers_and_empty_values(client, user_of):
    MonthlyStatisticFactory(year=2023, month=3)
    client.force_login(user_of(Role.ECONOMY))
    url = reverse("api:monthly-statistic-list")
    assert client.get(url, {"year": "0.5"}).status_code == 400
    assert client.get(url, {"enterprise": "1.5"}).status_code == 400
    assert client.get(url, {"year": "", "month": ""}).json()["count"] == 1
    statistics = client.get(reverse("api:enterprise-statistics"), {"year": "", "month": ""})
    assert statistics.status_code == 200


def test_an_enterprise_patch_answers_every_field_even_the_empty_related_names(
    client, service_officer
):
    enterprise = EnterpriseFactory(park=None, chain=None, chain_node=None)
    client.force_login(service_officer)
    response = client.patch(
        reverse("api:enterprise-detail", kwargs={"pk": enterprise.pk}),
        {"employees": 12},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["park_name"] is None and body["chain_name"] is None
    assert body["chain_node_name"] is None and "responsible_staff_name" in body


def test_a_delete_to_an_address_that_names_no_endpoint_is_a_json_404(user_of):
    from rest_framework.test import APIClient

    api = APIClient(enforce_csrf_checks=True)
    api.force_login(user_of(Role.ADMIN))
    response = api.delete("/api/memberships/0.5/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("sent", "stored"),
    [(1500, Decimal("1500")), ("1500.25", Decimal("1500.25")), (0.5, Decimal("0.5"))],
)
def test_an_amount_is_taken_as_a_json_number_or_a_decimal_string_as_documented(
    client, service_officer, sent, stored
):
    """schemathesis: the schema said a decimal string while the API also took a number (a
    schema-violating request accepted). Both are taken, and the request schema says so for
    every decimal of every body, the workflow actions' included."""
    from drf_spectacular.generators import SchemaGenerator

    enterprise = EnterpriseFactory()
    client.force_login(service_officer)
    response = client.patch(
        reverse("api:enterprise-detail", kwargs={"pk": enterprise.pk}),
        {"registered_capital": sent},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    enterprise.refresh_from_db()
    assert enterprise.registered_capital == stored
    too_fine = client.patch(
        reverse("api:enterprise-detail", kwargs={"pk": enterprise.pk}),
        {"registered_capital": 0.123456},
        content_type="application/json",
    )
    assert too_fine.status_code == 400

    schemas = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    decimals = [
        (name, field, spec)
        for name, schema in schemas.items()
        if name.endswith("Request")
        for field, spec in schema.get("properties", {}).items()
        if "decimal" in str(spec)
    ]
    assert ("EnterpriseRequest", "registered_capital") in {(n, f) for n, f, _ in decimals}
    assert any(n.endswith("FormBodyRequest") for n, _, _ in decimals)
    for name, field, spec in decimals:
        assert {"type": "number"} in spec.get("oneOf", []), (name, field)
