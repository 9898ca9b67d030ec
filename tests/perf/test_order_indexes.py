"""The large lists' first pages walk an index matching their default order.

An unfiltered list's first pages are sliced plainly (apps.core.pagination, DEFER_FROM): with an
index in the list's order PostgreSQL reads the page's rows from it and stops; without one it
joins and sorts every row of the table (the report list at 28,560 reports: 104 ms against 4 ms
with the index, bench/README.md)."""

import pytest
from django.db import connection

from apps.projects import selectors as project_selectors
from apps.services import selectors as service_selectors
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("name", "rows", "index"),
    [
        ("visits", lambda user: service_selectors.visit_list(), "visit_order_idx"),
        ("demands", lambda user: service_selectors.demand_list(), "demand_order_idx"),
        ("reports", project_selectors.report_list, "projects_report_order_idx"),
    ],
)
def test_the_first_page_is_read_from_the_order_index(name, rows, index):
    queryset = rows(UserFactory())
    plan = _plan(queryset[:25])
    assert index in plan, plan
    assert "Sort" not in plan, plan
