"""The one text search of the lists' "搜索" boxes (FilterSet methods call ``text_search``).

A search is a case-insensitive "contains" (``icontains``: ``UPPER(col) LIKE UPPER('%v%')``) over
a few columns; the columns searched on large tables carry a pg_trgm GIN index on ``UPPER(col)``
(``trigram_index``), which serves exactly that LIKE once the value has three characters or
more (a trigram; CJK characters count as characters).

An OR over columns of two tables (a demand's text or its enterprise's name) cannot use either
table's index: PostgreSQL filters every row of the list's table. So the related table's columns
are answered first, through their own index (one query), and the list's table is asked for its
own columns or its foreign key among those ids::

    UPPER(description) LIKE '%…%' OR enterprise_id IN (12, 345, …)

Both sides of the OR are then indexable conditions of the list's table: the count reads a
BitmapOr of the trigram index and the foreign key's index, and the page may walk the list's
order index and stop after its rows when the matches are many. The ids are values, so
PostgreSQL hashes the list where it tests rows one by one. It replaced ``id IN (… UNION ALL
…)`` of the ids each table matched, which the page joined back to the table row by row and, in
a deferred page, evaluated twice (the demand list searched for a value matching 4,353 of
30,000 demands: its page's statement 18.2 → 3.1 ms, the page 39.7 → 20.7 ms; the visit list
searched for a value most of its 100,000 visits match: 300 → 22 ms). An array computed in the
statement (``= ANY(ARRAY(SELECT …))``, tried first) is searched from its start for every row
PostgreSQL tests: a value that every enterprise name holds (有限公司) made the demand count 300
ms at 6,000 enterprises. Beyond RELATED_IDS_MAX related matches (a value nearly every name
holds, so nearly every row matches anyway) the condition is an EXISTS on the related row,
which PostgreSQL answers with a hashed subplan: as ``IN (SELECT …)`` it made the planner scan
every demand to join back a page's 25 keys (25.1 ms for the page's statement against 3.8).

A value shorter than a trigram ("电力", "A1") has nothing to look up in any index: each part
would scan its whole table, and the union of (perhaps) every id be built and probed twice (the
count and the page). Such a value is one OR over the columns instead, answered in the list's
own scan (141 → 42 ms for a two-character value matching all 30,000 demands of the bench).
"""

from collections.abc import Sequence

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Upper

# Below this many characters a LIKE has no trigram to look up: the index cannot help.
TRIGRAM_MIN = 3
# Up to this many related rows matched, their ids are given to the list's condition as a list
# of values (module docstring); more, and as a subquery.
RELATED_IDS_MAX = 1000


def trigram_index(field: str, *, name: str) -> GinIndex:
    """A GIN trigram index on UPPER(field): what ``field__icontains`` reads."""
    return GinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=name)


def _split(path: str) -> tuple[str, str]:
    """("enterprise__name") → ("enterprise", "name"); ("description") → ("", "description")."""
    relation, _sep, column = path.rpartition("__")
    return relation, column


def text_search(
    queryset: QuerySet, value: str, fields: Sequence[str], *, extra: Q | None = None
) -> QuerySet:
    """The rows of ``queryset`` where any of ``fields`` contains ``value`` (case-insensitive).

    ``fields`` are the model's own columns ("description") or one foreign key away
    ("enterprise__name"); ``extra`` is a further condition on the model's own columns that
    also selects a row (the id typed as "#12").
    """
    value = (value or "").strip()
    if not value:
        return queryset
    if len(value) < TRIGRAM_MIN:
        # No index serves it (module docstring): one condition, one scan.
        condition = Q(extra) if extra is not None else Q()
        for path in fields:
            condition |= Q(**{f"{path}__icontains": value})
        return queryset.filter(condition)
    model = queryset.model
    groups: dict[str, list[str]] = {}
    for path in fields:
        relation, column = _split(path)
        groups.setdefault(relation, []).append(column)
    own = Q()
    for column in groups.pop("", []):
        own |= Q(**{f"{column}__icontains": value})
    if extra is not None:
        own |= extra
    if not groups:
        return queryset.filter(own)
    condition = own
    for relation, columns in groups.items():
        field = model._meta.get_field(relation)
        match = Q()
        for column in columns:
            match |= Q(**{f"{column}__icontains": value})
        matching = field.related_model._base_manager.filter(match).order_by()
        ids = list(matching.values_list("pk", flat=True)[: RELATED_IDS_MAX + 1])
        if len(ids) <= RELATED_IDS_MAX:
            condition |= Q(**{f"{field.attname}__in": ids})
        else:
            condition |= Q(Exists(matching.filter(pk=OuterRef(field.attname))))
    return queryset.filter(condition)
