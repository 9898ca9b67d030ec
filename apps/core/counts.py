"""A list's COUNT kept until a write changes its rows.

The COUNT behind a page's "共 N 条" and the API's ``count`` reads every matching row: 4 ms of
a 10 ms visit-list request at 100,000 visits, the same on each page a user turns. A count is
kept in the cache (apps.core.figures.cached) under the generations of the areas whose writes
change the rows it counts, and under today's date, so the first read after a write -- or at
midnight -- counts again, and every read before it is served the kept number.

A count is kept only when that is sound:

- every table its statement reads belongs to a model whose every write invalidates its area
  (``figures.invalidate_on_write``: a signal on save, delete and many-to-many change, whatever
  path writes). A list filtered through a table that is not watched (a user's name, a
  reference table) is counted each time;
- outside a transaction: inside one, the count could include rows that are rolled back, and a
  writing transaction's own reads must see its writes.

The key is the counting statement itself (its SQL and parameters): two users, filters or
scopes that count the same rows share it, and any difference in them is a different key.
"""

import functools
import hashlib
import re

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

from apps.core import figures

# Django quotes every table name it writes into a statement.
_QUOTED = re.compile(r'"([^"]+)"')


def counting_statement(queryset: QuerySet) -> tuple[str, tuple]:
    """The SQL and parameters of the rows ``queryset.count()`` counts: the filters and the
    joins they need, without the order, the selected columns' joins or the annotations."""
    return queryset.order_by().values("pk").query.sql_with_params()


def kept_count(queryset: QuerySet) -> int:
    """``queryset.count()``, kept until a write in one of the areas it reads (module docstring)."""
    if connections[queryset.db].in_atomic_block:
        return queryset.count()
    try:
        sql, params = counting_statement(queryset)
    except EmptyResultSet:
        return 0
    areas = figures.watched_areas(set(_QUOTED.findall(sql)) & _table_names())
    if areas is None:
        return queryset.count()
    digest = hashlib.blake2b(repr((queryset.db, sql, params)).encode(), digest_size=16)
    return figures.cached("count", queryset.count, digest.hexdigest(), areas=areas)


@functools.cache
def _table_names() -> frozenset[str]:
    """Every model's table, the many-to-many ones included."""
    return frozenset(model._meta.db_table for model in apps.get_models(include_auto_created=True))
