"""The deferred-join paginator (apps.core.pagination): the same rows as plain slicing, in one
statement, and the page's keys read apart from the joins."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core import pagination
from apps.core.pagination import DeferredJoinPaginator, deferrable, deferred_slice
from apps.services import selectors
from apps.services.models import Visit
from tests.enterprises.factories import EnterpriseFactory
from tests.services.factories import DemandFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _defer_every_page(monkeypatch):
    # The first pages are sliced plainly in production (DEFER_FROM rows); these tests page
    # through a few rows, so every page is deferred here unless a test says otherwise.
    monkeypatch.setattr(pagination, "DEFER_FROM", 0)


@pytest.fixture
def visits():
    enterprise = EnterpriseFactory()
    start = datetime.date(2024, 1, 1)
    # Several visits a day, so the order's tie-break (id) matters.
    made = [
        VisitFactory(enterprise=enterprise, visited_on=start + datetime.timedelta(days=i // 3))
        for i in range(23)
    ]
    DemandFactory(enterprise=enterprise, source="visit", visit=made[0])
    return made


def test_every_page_holds_the_rows_plain_slicing_gives(visits):
    queryset = selectors.visit_list()
    expected = list(queryset.values_list("pk", flat=True))
    paginator = DeferredJoinPaginator(queryset, 5)
    seen = []
    for number in paginator.page_range:
        seen.extend(obj.pk for obj in paginator.page(number))
    assert seen == expected
    assert paginator.count == 23
    # Annotations still come with the rows.
    first = next(obj for obj in paginator.page(paginator.num_pages) if obj.pk == visits[0].pk)
    assert first.demand_count == 1


def test_one_statement_per_page_with_the_keys_in_a_subquery(visits):
    queryset = Visit.objects.select_related("enterprise").order_by("-visited_on", "-id")
    paginator = DeferredJoinPaginator(queryset, 5)
    paginator.count  # noqa: B018 - counted apart, as Django's paginator does
    with CaptureQueriesContext(connection) as captured:
        rows = list(paginator.page(2))
    assert len(rows) == 5
    assert len(captured.captured_queries) == 1
    sql = captured.captured_queries[0]["sql"]
    assert "OFFSET 5" in sql and "IN (SELECT" in sql


def test_grouped_or_distinct_lists_are_sliced_plainly(visits):
    distinct = Visit.objects.order_by("-visited_on", "-id").distinct()
    assert not deferrable(distinct)
    assert not deferrable(Visit.objects.all().order_by("id").values_list("id"))
    # .values() rows (apps.core.api.RowSerializer) are deferred like their model's.
    assert deferrable(Visit.objects.all().order_by("id").values("id", "enterprise__name"))
    assert not deferrable(Visit.objects.filter(pk=1).union(Visit.objects.all()).order_by("id"))
    assert deferrable(Visit.objects.order_by("id"))
    assert [v.pk for v in deferred_slice(distinct, 0, 3)] == [v.pk for v in distinct[:3]]


def test_last_page_keys_read_from_the_order_index(visits):
    queryset = selectors.visit_list()
    rows = deferred_slice(queryset, 20, 23)
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "visit_order_idx" in plan


def test_the_first_pages_are_sliced_plainly_and_deep_ones_deferred(visits, monkeypatch):
    monkeypatch.setattr(pagination, "DEFER_FROM", 10)
    queryset = selectors.visit_list()
    shallow = str(deferred_slice(queryset, 5, 10).query)
    deep = str(deferred_slice(queryset, 10, 15).query)
    assert "IN (SELECT" not in shallow and "OFFSET 5" in shallow
    assert "IN (SELECT" in deep
    assert [v.pk for v in deferred_slice(queryset, 5, 10)] == [v.pk for v in queryset[5:10]]


def test_a_filtered_list_is_deferred_from_its_first_page(visits, monkeypatch):
    monkeypatch.setattr(pagination, "DEFER_FROM", 10)
    queryset = selectors.visit_list()
    some = queryset.filter(method=queryset.first().method)
    first = deferred_slice(some, 0, 5)
    assert "IN (SELECT" in str(first.query)
    assert [v.pk for v in first] == [v.pk for v in some[0:5]]
    assert "IN (SELECT" not in str(deferred_slice(queryset, 0, 5).query)


def test_values_rows_are_deferred_with_the_same_rows(visits):
    queryset = selectors.visit_list().values("id", "enterprise__name", "demand_count")
    assert list(deferred_slice(queryset, 20, 23)) == list(queryset[20:23])
    assert "IN (SELECT" in str(deferred_slice(queryset, 20, 23).query)


def test_a_page_nearer_the_end_reads_its_keys_from_the_end(visits, monkeypatch):
    monkeypatch.setattr(pagination, "DEFER_FROM", 10)
    queryset = selectors.visit_list()
    expected = list(queryset.values_list("pk", flat=True))
    count = len(expected)
    for bottom, top in ((15, 20), (20, 23), (18, 23), (12, 16)):
        page = deferred_slice(queryset, bottom, top, count)
        assert [v.pk for v in page] == expected[bottom:top]
        # The keys' subquery walks the order backwards: ascending, from the end.
        assert '"visited_on" ASC' in str(page.query)
    # Nearer the start: read forwards.
    assert '"visited_on" ASC' not in str(deferred_slice(queryset, 5, 10, count).query)


def test_an_order_without_the_key_at_its_end_is_never_read_backwards(visits):
    # Ties in visited_on: the reverse of this order is not the rows in the opposite order.
    queryset = Visit.objects.order_by("-visited_on")
    assert '"visited_on" ASC' not in str(deferred_slice(queryset, 18, 23, 23).query)


def test_a_shallow_page_is_read_forwards_even_near_the_end(visits, monkeypatch):
    """Reading from the end gains only for deep pages (DEFER_FROM): a short list's second page
    is read forwards, where the last page's LIMIT is a whole page (below)."""
    monkeypatch.setattr(pagination, "DEFER_FROM", 500)
    queryset = selectors.visit_list().filter(pk__gt=0)
    count = queryset.count()
    page = deferred_slice(queryset, 20, count, count)
    assert '"visited_on" ASC' not in str(page.query)
    assert [v.pk for v in page] == [v.pk for v in queryset[20:count]]


def test_the_last_pages_keys_are_read_with_a_whole_pages_limit(visits, monkeypatch):
    """A LIMIT of one row made PostgreSQL walk the order's index for a rare search (the
    planner expecting more matches); the last page (top is the count) reads its keys with a
    page's LIMIT, the rows being the same: none lies past the count."""
    monkeypatch.setattr(pagination, "DEFER_FROM", 500)
    queryset = selectors.visit_list().filter(pk__gt=0)
    expected = list(queryset.values_list("pk", flat=True))
    count = len(expected)
    page = deferred_slice(queryset, count - 1, count, count)
    assert f"LIMIT {pagination.KEYS_LIMIT_FLOOR}" in str(page.query)
    assert [v.pk for v in page] == expected[count - 1 :]
    # Not the last page (top below the count): exactly its rows.
    middle = deferred_slice(queryset, 2, 4, count)
    assert "LIMIT 2" in str(middle.query)
    assert [v.pk for v in middle] == expected[2:4]
    # Without the count, never more than asked for; nor with a count that lags a write.
    assert [v.pk for v in deferred_slice(queryset, 2, 3)] == expected[2:3]
    assert [v.pk for v in deferred_slice(queryset, 2, 3, 3)] == expected[2:3]
