"""Cursor (keyset) mode of the API lists (apps.core.api.BoundedPageNumberPagination with
apps.core.pagination.Keyset): following `next` from `?cursor=` reads exactly the rows of the
page-number walk, in the same order, at a fixed number of queries per page, and a cursor the
list cannot use is refused with 400 and a Chinese reason, never a 500."""

import base64
import datetime
import json
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.accounts.roles import Role
from apps.core.pagination import Keyset, NotKeysetOrder
from apps.enterprises.models import Enterprise
from apps.services.models import Demand, Visit
from tests.conftest import FRAME_QUERIES
from tests.enterprises.factories import EnterpriseFactory
from tests.investment.factories import LeadFactory
from tests.services.factories import DemandFactory, VisitFactory

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")
DAY = datetime.date(2024, 3, 1)


@pytest.fixture
def leader(user_of):
    """The leadership reads every list used here."""
    return user_of(Role.LEADER, username="wang", full_name="王建国")


@pytest.fixture
def api(client, leader):
    client.force_login(leader)
    return client


def get(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.json()
    return response.json()


def walk(client, url, mode: str, **params) -> list[int]:
    """Every row id of a list, following `next` from the first page in the given mode."""
    params = {**params, "cursor": ""} if mode == "cursor" else params
    body = get(client, url, params)
    ids = []
    while True:
        page = [row.get("id", json.dumps(row, sort_keys=True)) for row in body["results"]]
        # A row read twice: the walk would not end, or repeats rows.
        assert not set(page) & set(ids), f"{mode} walk repeats rows"
        ids += page
        if body["next"] is None:
            return ids
        body = get(client, body["next"])


def cursor_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["cursor"][0]


def forge(payload) -> str:
    text = json.dumps(payload)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def fingerprint_of(cursor: str) -> str:
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))["o"]


def assert_refused(response):
    assert response.status_code == 400, response.content
    body = response.json()
    assert CHINESE.search(body["detail"]), body
    assert "cursor" in body["errors"] or "non_field_errors" in body["errors"], body
    return body


def make_visits(dates, *, enterprise=None, by=None) -> list[Visit]:
    """Visits on the given dates, written in one statement (no staff: not needed here)."""
    enterprise = enterprise or EnterpriseFactory()
    by = by or enterprise_user()
    return Visit.objects.bulk_create(
        Visit(enterprise=enterprise, visited_on=day, method=Visit.Method.ON_SITE, created_by=by)
        for day in dates
    )


def enterprise_user():
    from tests.accounts.factories import UserFactory

    return UserFactory()


# --- the walk --------------------------------------------------------------------------------


def test_the_cursor_walk_of_the_visit_list_is_the_page_walk_even_with_many_ties(api):
    # 23 visits on three days: most share their visited_on with many others.
    make_visits([DAY + datetime.timedelta(days=index % 3) for index in range(23)])
    url = reverse("api:visit-list")

    by_page = walk(api, url, "page", page_size=5)
    by_cursor = walk(api, url, "cursor", page_size=5)

    assert by_cursor == by_page
    assert len(set(by_cursor)) == len(by_cursor) == 23
    expected = Visit.objects.order_by("-visited_on", "-id").values_list("id", flat=True)
    assert by_cursor == list(expected)


def test_a_cursor_page_has_next_and_results_and_the_last_page_says_so(api):
    make_visits([DAY] * 10)
    url = reverse("api:visit-list")

    first = get(api, url, {"cursor": "", "page_size": 5})
    assert set(first) == {"next", "results"}
    assert len(first["results"]) == 5
    assert first["next"].startswith("http://testserver/api/visits/?")

    # The second page ends the list exactly: no empty page after it.
    second = get(api, first["next"])
    assert len(second["results"]) == 5
    assert second["next"] is None


def test_a_cursor_past_the_end_gives_an_empty_page(api):
    visits = make_visits([DAY] * 3)
    url = reverse("api:visit-list")
    last = min(visits, key=lambda visit: visit.pk)
    keyset = Keyset.of(Visit.objects.all())

    body = get(api, url, {"cursor": keyset.encode([last.visited_on, last.pk])})

    assert body == {"next": None, "results": []}


def test_the_enterprise_list_is_walked_by_name_and_by_ordering(api):
    for name in ["丙公司", "甲公司", "乙公司", "丁公司", "戊公司", "己公司", "庚公司"]:
        EnterpriseFactory(name=name)
    url = reverse("api:enterprise-list")

    # Meta.ordering is the unique name: no tie-break is needed.
    assert [key.order_by for key in Keyset.of(Enterprise.objects.all()).keys] == ["name"]
    assert walk(api, url, "cursor", page_size=2) == walk(api, url, "page", page_size=2)
    descending = walk(api, url, "cursor", page_size=3, ordering="-name")
    assert descending == walk(api, url, "page", page_size=3, ordering="-name")
    names = dict(Enterprise.objects.values_list("id", "name"))
    assert [names[pk] for pk in descending] == sorted(names.values(), reverse=True)


def test_filters_apply_and_the_next_link_keeps_them(api):
    for index in range(12):
        DemandFactory(
            raised_on=DAY + datetime.timedelta(days=index % 2),
            status=Demand.Status.PENDING if index % 3 else Demand.Status.RETURNED,
        )
    url = reverse("api:demand-list")

    first = get(api, url, {"cursor": "", "page_size": 3, "status": "pending"})
    query = parse_qs(urlsplit(first["next"]).query)
    assert query["status"] == ["pending"]
    assert query["page_size"] == ["3"]

    by_cursor = walk(api, url, "cursor", page_size=3, status="pending")
    assert by_cursor == walk(api, url, "page", page_size=3, status="pending")
    assert len(by_cursor) == Demand.objects.filter(status="pending").count() == 8


def test_ordering_is_honoured_with_the_primary_key_as_tie_break(api):
    make_visits([DAY + datetime.timedelta(days=index % 4) for index in range(16)])
    url = reverse("api:visit-list")

    by_cursor = walk(api, url, "cursor", page_size=3, ordering="visited_on")

    expected = Visit.objects.order_by("visited_on", "id").values_list("id", flat=True)
    assert by_cursor == list(expected)
    assert by_cursor == walk(api, url, "page", page_size=3, ordering="visited_on,id")


def test_a_list_ordered_by_a_datetime_keeps_its_microseconds(api, leader):
    # Three leads within one millisecond: a position kept to the millisecond (as
    # DjangoJSONEncoder writes datetimes) would skip or repeat them.
    moment = timezone.now().replace(microsecond=123_000)
    for offset in [100, 400, 700, 900]:
        LeadFactory(reported_at=moment + datetime.timedelta(microseconds=offset))
    LeadFactory(reported_at=moment - datetime.timedelta(days=1))
    url = reverse("api:investment-lead-list")

    by_cursor = walk(api, url, "cursor", page_size=1)

    assert len(by_cursor) == 5
    assert by_cursor == walk(api, url, "page", page_size=1)


def test_rows_added_before_the_position_do_not_shift_the_next_page(api):
    make_visits([DAY] * 12)
    url = reverse("api:visit-list")
    whole = walk(api, url, "page", page_size=100)
    first = get(api, url, {"cursor": "", "page_size": 5})
    assert [row["id"] for row in first["results"]] == whole[:5]

    # Newer visits sort before the first page; page numbers would shift by three.
    make_visits([DAY + datetime.timedelta(days=1)] * 3)
    assert [row["id"] for row in get(api, url, {"page": 2, "page_size": 5})["results"]] == (
        whole[2:7]
    )

    second = get(api, first["next"])
    assert [row["id"] for row in second["results"]] == whole[5:10]


@pytest.mark.parametrize("page_size", [1, 2, 4])
def test_a_three_column_order_with_mixed_directions_is_walked_exactly(page_size):
    by = enterprise_user()
    for enterprise in [EnterpriseFactory(), EnterpriseFactory(), EnterpriseFactory()]:
        days = [DAY + datetime.timedelta(days=offset) for offset in [0, 1, 2, 0, 1, 2]]
        make_visits(days, enterprise=enterprise, by=by)
    queryset = Visit.objects.order_by("enterprise_id", "-visited_on")
    keyset = Keyset.of(queryset)
    assert [key.order_by for key in keyset.keys] == ["enterprise_id", "-visited_on", "-id"]

    walked, position, more = [], None, True
    while more:
        rows, more = keyset.page(queryset, position, page_size)
        assert not {row.pk for row in rows} & set(walked), "the walk repeats rows"
        walked += [row.pk for row in rows]
        # Through the cursor's text, as a client would carry it.
        position = keyset.decode(keyset.encode(keyset.position_of(rows[-1]))) if more else None

    expected = queryset.order_by("enterprise_id", "-visited_on", "-id")
    assert walked == list(expected.values_list("id", flat=True))


# --- what is refused -------------------------------------------------------------------------


def test_a_cursor_made_under_one_ordering_is_refused_under_another(api):
    for index in range(4):
        DemandFactory(raised_on=DAY + datetime.timedelta(days=index))
    demands = reverse("api:demand-list")
    cursor = cursor_of(get(api, demands, {"cursor": "", "page_size": 1})["next"])

    assert_refused(api.get(demands, {"cursor": cursor, "ordering": "deadline"}))
    assert_refused(api.get(demands, {"cursor": cursor, "ordering": "raised_on"}))
    # Another list: a visit's position is no demand's.
    assert_refused(api.get(reverse("api:visit-list"), {"cursor": cursor}))
    # Its own order still takes it, spelt out or not (-raised_on gets -id as its tie-break).
    assert api.get(demands, {"cursor": cursor}).status_code == 200
    assert api.get(demands, {"cursor": cursor, "ordering": "-raised_on"}).status_code == 200
    assert api.get(demands, {"cursor": cursor, "ordering": "-raised_on,-id"}).status_code == 200


@pytest.mark.parametrize(
    "make_cursor",
    [
        pytest.param(lambda fp: "!!!", id="not base64"),
        pytest.param(lambda fp: base64.urlsafe_b64encode(b"\xff\xfe").decode(), id="not utf-8"),
        pytest.param(lambda fp: forge([]), id="base64 of []"),
        pytest.param(lambda fp: forge({"o": fp}), id="no values"),
        pytest.param(lambda fp: forge({"o": fp, "k": "2024-03-01"}), id="values not a list"),
        pytest.param(lambda fp: forge({"o": fp, "k": ["2024-03-01"]}), id="too few values"),
        pytest.param(lambda fp: forge({"o": fp, "k": ["2024-03-01", 1, 2]}), id="too many"),
        pytest.param(lambda fp: forge({"o": fp, "k": ["not a date", 1]}), id="not a date"),
        pytest.param(lambda fp: forge({"o": fp, "k": ["2024-02-30", 1]}), id="no such day"),
        pytest.param(lambda fp: forge({"o": fp, "k": [20240301, 1]}), id="date as number"),
        pytest.param(lambda fp: forge({"o": fp, "k": ["2024-03-01", "1"]}), id="id as text"),
        pytest.param(lambda fp: forge({"o": fp, "k": ["2024-03-01", 1.5]}), id="id as decimal"),
        pytest.param(lambda fp: forge({"o": fp, "k": ["2024-03-01", True]}), id="id as bool"),
        pytest.param(lambda fp: forge({"o": fp, "k": ["2024-03-01", None]}), id="id null"),
        pytest.param(lambda fp: forge({"o": fp, "k": ["2024-03-01", 2**70]}), id="id too big"),
        pytest.param(lambda fp: forge({"o": fp, "k": [{"d": 1}, [1]]}), id="containers"),
        pytest.param(lambda fp: forge({"o": fp, "k": ["2024-03-01\x00", 1]}), id="NUL"),
        pytest.param(lambda fp: "A" * 100_000, id="huge"),
        pytest.param(
            lambda fp: forge({"o": fp, "k": ["2024-03-01", 1], "x": "y" * 5000}), id="long"
        ),
        pytest.param(lambda fp: forge({"o": "00000000", "k": ["2024-03-01", 1]}), id="foreign"),
    ],
)
def test_a_cursor_that_is_not_one_of_this_list_is_refused_with_400(api, make_cursor):
    make_visits([DAY] * 3)
    url = reverse("api:visit-list")
    fingerprint = fingerprint_of(cursor_of(get(api, url, {"cursor": "", "page_size": 1})["next"]))

    assert_refused(api.get(url, {"cursor": make_cursor(fingerprint)}))


def test_the_positive_control_of_forged_cursors_is_accepted(api):
    # The same shape as the refused ones above, with values the columns take.
    visits = make_visits([DAY] * 3)
    url = reverse("api:visit-list")
    fingerprint = fingerprint_of(cursor_of(get(api, url, {"cursor": "", "page_size": 1})["next"]))
    newest = max(visit.pk for visit in visits)

    body = get(api, url, {"cursor": forge({"o": fingerprint, "k": ["2024-03-01", newest]})})

    assert [row["id"] for row in body["results"]] == sorted(
        (visit.pk for visit in visits if visit.pk != newest), reverse=True
    )


def test_a_page_number_beside_a_cursor_is_refused(api):
    make_visits([DAY] * 3)
    url = reverse("api:visit-list")

    body = assert_refused(api.get(url, {"page": 2, "cursor": ""}))
    assert "page" in body["detail"]
    # An empty page is "not given", as an empty filter is.
    assert api.get(url, {"page": "", "cursor": ""}).status_code == 200


def test_an_order_with_a_column_that_can_be_null_is_refused_and_pages_still_serve_it(api):
    EnterpriseFactory(settled_on=None)
    EnterpriseFactory()
    url = reverse("api:enterprise-list")

    assert_refused(api.get(url, {"cursor": "", "ordering": "settled_on"}))
    assert_refused(api.get(url, {"cursor": "", "ordering": "-registered_capital"}))
    assert get(api, url, {"ordering": "settled_on"})["count"] == 2


def test_page_size_is_read_the_same_way_in_cursor_mode(api):
    make_visits([DAY] * 4)
    url = reverse("api:visit-list")

    assert len(get(api, url, {"cursor": "", "page_size": 3})["results"]) == 3
    assert len(get(api, url, {"cursor": "", "page_size": 500})["results"]) == 4
    assert api.get(url, {"cursor": "", "page_size": "0"}).status_code == 400
    assert api.get(url, {"cursor": "", "page_size": "x"}).status_code == 400


@pytest.mark.parametrize(
    "queryset",
    [
        pytest.param(
            lambda: Enterprise.objects.annotate(n=Count("visits")).order_by("-n"), id="aggregate"
        ),
        pytest.param(lambda: Enterprise.objects.order_by(Lower("name")), id="expression"),
        pytest.param(lambda: Enterprise.objects.order_by("?"), id="random"),
        pytest.param(lambda: Enterprise.objects.order_by("settled_on"), id="nullable"),
        pytest.param(lambda: Enterprise.objects.order_by("park__name"), id="nullable relation"),
        pytest.param(lambda: Enterprise.objects.order_by("visits__visited_on"), id="reverse"),
        pytest.param(lambda: Enterprise.objects.order_by("name__lower"), id="transform"),
        pytest.param(lambda: Enterprise.objects.extra(order_by=["name"]), id="extra"),
    ],
)
def test_orders_that_cannot_hold_a_position_are_recognised(queryset):
    with pytest.raises(NotKeysetOrder):
        Keyset.of(queryset())


def test_orders_are_made_total_as_django_reads_them():
    def order(queryset):
        return [key.order_by for key in Keyset.of(queryset).keys]

    assert order(Visit.objects.all()) == ["-visited_on", "-id"]
    assert order(Visit.objects.order_by("visited_on")) == ["visited_on", "id"]
    assert order(Visit.objects.order_by("-visited_on", "-pk")) == ["-visited_on", "-id"]
    assert order(Visit.objects.order_by("enterprise__name", "id")) == ["enterprise__name", "id"]
    # A relation stands for its model's ordering (Enterprise: the unique name).
    assert order(Visit.objects.order_by("-enterprise")) == ["-enterprise__name", "-id"]
    assert order(Visit.objects.order_by("enterprise_id")) == ["enterprise_id", "id"]
    assert order(Visit.objects.order_by(F("visited_on").desc())) == ["-visited_on", "-id"]
    # A unique column ends the order: what follows could not break a tie.
    assert order(Enterprise.objects.order_by("credit_code", "name")) == ["credit_code"]


def test_after_adds_the_range_condition_on_the_first_column():
    keyset = Keyset.of(Visit.objects.all())

    sql = str(Visit.objects.filter(keyset.after([DAY, 7])).values("pk").query)

    assert '"visited_on" < 2024-03-01 OR' in sql
    assert '"visited_on" = 2024-03-01 AND "services_visit"."id" < 7' in sql
    assert 'AND "services_visit"."visited_on" <= 2024-03-01' in sql


def test_a_decimal_and_a_text_key_round_trip():
    keyset = Keyset.of(Enterprise.objects.order_by("-name"))
    assert keyset.decode(keyset.encode(["甲公司"])) == ["甲公司"]
    # A position is the canonical form of its values (a decimal keeps its places).
    from apps.core.pagination import _column_value

    field = Enterprise._meta.get_field("registered_capital")
    assert _column_value(field, "12.5000") == Decimal("12.5000")


# --- cost ------------------------------------------------------------------------------------


@pytest.mark.parametrize("page_size", [5, 50])
def test_a_cursor_page_of_visits_takes_a_fixed_number_of_queries(
    api, page_size, django_assert_num_queries
):
    staff = [enterprise_user(), enterprise_user()]
    enterprise = EnterpriseFactory()
    for index in range(2 * page_size + 1):
        VisitFactory(
            enterprise=enterprise,
            created_by=staff[0],
            visited_on=DAY + datetime.timedelta(days=index % 3),
            staff=staff,
        )
    url = reverse("api:visit-list")
    first = get(api, url, {"cursor": "", "page_size": page_size})

    # permissions (2), the page of visits (keys first, then their joins), their staff: the
    # page-number mode's queries without its count.
    with django_assert_num_queries(FRAME_QUERIES + 4):
        second = get(api, first["next"])
    assert len(second["results"]) == page_size
    with django_assert_num_queries(FRAME_QUERIES + 5):
        get(api, url, {"page": 2, "page_size": page_size})


def test_a_cursor_page_of_demands_takes_a_fixed_number_of_queries(api, django_assert_num_queries):
    for index in range(12):
        DemandFactory(raised_on=DAY + datetime.timedelta(days=index % 2))
    url = reverse("api:demand-list")
    first = get(api, url, {"cursor": "", "page_size": 5})

    # permissions (2), the page of demands with their relations
    with django_assert_num_queries(FRAME_QUERIES + 3):
        get(api, first["next"])


# --- any data --------------------------------------------------------------------------------


TOTAL = {
    "": "-visited_on,-id",
    "visited_on": "visited_on,id",
    "-visited_on": "-visited_on,-id",
    "id": "id",
    "-id": "-id",
}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    offsets=st.lists(st.integers(min_value=0, max_value=3), min_size=0, max_size=30),
    page_size=st.integers(min_value=1, max_value=7),
    ordering=st.sampled_from(sorted(TOTAL)),
)
def test_any_visits_walked_by_cursor_are_the_page_walk(api, offsets, page_size, ordering):
    enterprise = EnterpriseFactory()
    by = enterprise_user()
    with transaction.atomic():
        make_visits(
            [DAY + datetime.timedelta(days=offset) for offset in offsets],
            enterprise=enterprise,
            by=by,
        )
        url = reverse("api:visit-list")
        params = {"page_size": page_size}
        if ordering:
            params["ordering"] = ordering
        by_cursor = walk(api, url, "cursor", **params)
        # Page numbers with the tie-break the cursor adds, so that both orders are total.
        by_page = walk(api, url, "page", page_size=page_size, ordering=TOTAL[ordering])
        assert by_cursor == by_page
        assert sorted(by_cursor) == sorted(Visit.objects.values_list("id", flat=True))
        transaction.set_rollback(True)


# --- every API list, on the demo data -------------------------------------------------------


def _api_lists() -> list[str]:
    from zone_portal.api import router

    names = []
    for pattern in router.urls:
        actions = getattr(pattern.callback, "actions", None) or {}
        view = getattr(pattern.callback, "cls", None)
        if actions.get("get") == "list" and view().paginator is not None:
            names.append(f"api:{pattern.name}")
    return sorted(set(names))


API_LISTS = _api_lists()


def test_every_paginated_api_list_is_found():
    # A positive control for the generation below.
    assert {"api:visit-list", "api:enterprise-list", "api:demand-list"} <= set(API_LISTS)


@pytest.mark.parametrize("name", API_LISTS)
def test_every_api_list_is_walked_by_cursor_as_by_page_or_refuses_the_cursor(name, client, demo):
    from apps.accounts.models import User

    client.force_login(User.objects.get(username="admin"))
    url = reverse(name)
    count = get(client, url)["count"]
    # Some fifteen pages whatever the list's length (the demo has 4,000 visits).
    size = min(200, max(7, count // 15 + 1))
    first = client.get(url, {"cursor": "", "page_size": size})
    if first.status_code == 400:
        # The list's order cannot hold a position: refused with the reason, as documented.
        assert CHINESE.search(first.json()["detail"])
        assert "cursor" in first.json()["errors"]
        return
    assert first.status_code == 200, first.content
    assert set(first.json()) == {"next", "results"}
    by_cursor = walk(client, url, "cursor", page_size=size)
    assert by_cursor == walk(client, url, "page", page_size=size)
    assert len(by_cursor) == count


# --- the schema ------------------------------------------------------------------------------


def test_the_schema_documents_the_cursor_and_a_page_without_count(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()

    for path in ["/api/visits/", "/api/enterprises/", "/api/demands/", "/api/investment/leads/"]:
        names = [parameter["name"] for parameter in schema["paths"][path]["get"]["parameters"]]
        assert {"cursor", "page", "page_size"} <= set(names), path
    page = schema["components"]["schemas"]["PaginatedVisitList"]
    assert page["required"] == ["results"]
    assert {"count", "next", "previous", "results"} == set(page["properties"])


def _json_schema(node, components):
    """An OpenAPI 3.0 schema as JSON Schema: references inlined, `nullable` as a null type."""
    if isinstance(node, list):
        return [_json_schema(item, components) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _json_schema(components[node["$ref"].rsplit("/", 1)[1]], components)
    result = {key: _json_schema(value, components) for key, value in node.items()}
    if result.pop("nullable", False):
        result = {"anyOf": [result, {"type": "null"}]}
    return result


def test_both_modes_answer_within_the_one_documented_page_schema(api):
    # schemathesis (make fuzz) pairs cursor with page (a documented 400): checked here instead.
    import jsonschema

    VisitFactory(visited_on=DAY)
    VisitFactory(visited_on=DAY)
    schema = api.get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    page_schema = _json_schema(components["PaginatedVisitList"], components)
    url = reverse("api:visit-list")

    answers = [
        get(api, url, {"page_size": 1}),
        get(api, url, {"page_size": 1, "page": 2}),
        first := get(api, url, {"cursor": "", "page_size": 1}),
        get(api, first["next"]),
    ]

    for answer in answers:
        jsonschema.validate(answer, page_schema)
    assert "count" not in answers[2] and answers[3]["next"] is None
