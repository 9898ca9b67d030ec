"""The one text search (apps.core.search): what it finds, and that PostgreSQL can answer it
from the trigram indexes (EXPLAIN with plain scans discouraged: the tables here are tiny, so the
planner would otherwise rightly prefer one)."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from apps.core.search import text_search
from apps.enterprises.models import Enterprise
from apps.services.models import Demand
from tests.enterprises.factories import EnterpriseFactory
from tests.services.factories import DemandFactory

pytestmark = pytest.mark.django_db


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # Tiny tables: a scan is rightly cheaper here. Without scans of the whole table or of
        # an index in its order, only an index that can answer the LIKE is left.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_matches_own_text_related_name_and_id_once_each():
    power = EnterpriseFactory(name="华源电力设备有限公司")
    other = EnterpriseFactory(name="宏达机械有限公司")
    by_name = DemandFactory(enterprise=power, description="用工招聘")
    by_text = DemandFactory(enterprise=other, description="申请电力增容")
    both = DemandFactory(enterprise=power, description="电力线路改造")
    DemandFactory(enterprise=other, description="用地协调")
    found = text_search(Demand.objects.all(), " 电力 ", ["description", "enterprise__name"])
    assert sorted(found.values_list("pk", flat=True)) == sorted([by_name.pk, by_text.pk, both.pk])
    # A row matching two ways is listed once, and the count agrees with the rows.
    assert found.count() == 3


def test_a_value_shorter_than_a_trigram_is_one_condition_with_the_same_rows():
    """Below three characters no index serves the LIKE: one OR over the columns (in the list's
    own scan), not a union of ids; each row once, whichever way it matched."""
    power = EnterpriseFactory(name="华电设备有限公司")
    other = EnterpriseFactory(name="宏达机械有限公司")
    by_name = DemandFactory(enterprise=power, description="用工招聘")
    by_text = DemandFactory(enterprise=other, description="华电线路")
    DemandFactory(enterprise=other, description="用地协调")
    DemandFactory(enterprise=power, description="华电改造")  # both ways
    for value in ("华电", " 华电 "):
        found = text_search(Demand.objects.all(), value, ["description", "enterprise__name"])
        assert by_name.pk in set(found.values_list("pk", flat=True))
        assert by_text.pk in set(found.values_list("pk", flat=True))
        assert found.count() == 3 == len(set(found.values_list("pk", flat=True)))
    short = text_search(Demand.objects.all(), "华电", ["description", "enterprise__name"])
    assert "UNION" not in str(short.query)
    by_id = text_search(Demand.objects.all(), "#x", ["description"], extra=Q(pk=by_name.pk))
    assert list(by_id) == [by_name]


def test_case_insensitive_and_extra_condition():
    enterprise = EnterpriseFactory(name="ABC Tech 有限公司")
    demand = DemandFactory(enterprise=enterprise, description="其他")
    found = text_search(Demand.objects.all(), "abc", ["description", "enterprise__name"])
    assert list(found) == [demand]
    by_id = text_search(Demand.objects.all(), "#x", ["description"], extra=Q(pk=demand.pk))
    assert list(by_id) == [demand]
    assert not text_search(Demand.objects.all(), "#x", ["description"]).exists()


def test_empty_value_leaves_queryset_alone():
    queryset = Enterprise.objects.all()
    assert text_search(queryset, "  ", ["name"]) is queryset


def test_enterprise_search_uses_trigram_indexes():
    EnterpriseFactory(name="鑫源新材料有限公司")
    queryset = text_search(
        Enterprise.objects.all(), "鑫源新", ["name", "credit_code", "legal_representative"]
    )
    plan = _plan(queryset)
    assert "enterprise_name_trgm" in plan
    assert "enterprise_credit_code_trgm" in plan
    assert "Seq Scan on enterprises_enterprise" not in plan


def test_demand_search_reads_each_table_through_an_index():
    power = EnterpriseFactory(name="电力增容设备有限公司")
    DemandFactory(description="电力增容协调")
    DemandFactory(enterprise=power, description="用工")
    with CaptureQueriesContext(connection) as captured:
        queryset = text_search(
            Demand.objects.all(), "电力增容", ["description", "enterprise__name"]
        )
    # The enterprises' names first, through their trigram index (one query) …
    (lookup,) = captured.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {lookup['sql']}")
        names = "\n".join(row[0] for row in cursor.fetchall())
    assert "enterprise_name_trgm" in names
    # … then the demands, through their text's and their enterprise's indexes.
    plan = _plan(queryset)
    assert "demand_description_trgm" in plan
    assert "services_demand_enterprise_id" in plan
    assert "Seq Scan on services_demand" not in plan


def test_a_related_tables_matches_are_given_as_values_to_the_lists_own_condition():
    """The enterprises matched are read first; the demands are asked for their text or their
    enterprise among those ids (values, which PostgreSQL hashes): both sides of the OR are
    conditions of the demand table that its indexes answer together (BitmapOr), no union of
    ids joined back."""
    power = EnterpriseFactory(name="电力增容设备有限公司")
    by_text = DemandFactory(description="电力增容协调")
    by_name = DemandFactory(enterprise=power, description="用工")
    queryset = text_search(Demand.objects.all(), "电力增容", ["description", "enterprise__name"])
    sql = str(queryset.query)
    assert f'"enterprise_id" IN ({power.pk})' in sql and "UNION" not in sql
    assert "BitmapOr" in _plan(queryset.order_by())
    assert set(queryset.values_list("pk", flat=True)) == {by_text.pk, by_name.pk}


def test_beyond_the_limit_the_related_ids_stay_a_subquery(monkeypatch):
    """A value nearly every enterprise name holds: the ids are not listed (an EXISTS on the
    enterprise instead), with the same rows."""
    from apps.core import search

    monkeypatch.setattr(search, "RELATED_IDS_MAX", 1)
    first = DemandFactory(enterprise=EnterpriseFactory(name="甲电力增容公司"), description="a")
    second = DemandFactory(enterprise=EnterpriseFactory(name="乙电力增容公司"), description="b")
    DemandFactory(description="用地")
    queryset = text_search(Demand.objects.all(), "电力增容", ["description", "enterprise__name"])
    assert "EXISTS(SELECT" in str(queryset.query)
    assert set(queryset.values_list("pk", flat=True)) == {first.pk, second.pk}
