"""Pagination whose deepest page costs about what its first page costs.

``OFFSET 99950 LIMIT 50`` over a list's full query makes PostgreSQL build (joins, correlated
counts, annotations) and sort every skipped row. The deferred join reads the page's keys first,
from the list's filters and order alone, over the index that matches the default order; the
joins and annotations then run for those 50 rows only::

    SELECT … FROM visit JOIN enterprise … WHERE visit.id IN (
        SELECT id FROM visit WHERE <filters> ORDER BY visited_on DESC, id DESC
        OFFSET 99950 LIMIT 50)
    ORDER BY visited_on DESC, id DESC

One statement, as before (query counts do not change). The first pages (fewer than
``DEFER_FROM`` rows skipped) of an unfiltered list are sliced plainly: PostgreSQL walks the
order's index and stops after the page, and the semi-join would cost more than it saves. A
filtered list (a search, a status, a user's scope) is deferred from the first page: there the
plain plan joins every matching row before sorting them (the demand search matching 4,352 of
30,000 demands: page 55.5 → 47.7 ms, other filtered lists unchanged within 5 %).
Lists whose order or rows come from a GROUP BY or DISTINCT (an aggregate to sort by) are paged
the usual way: their keys cannot be read apart from the rows.

Keyset (cursor) pages (``Keyset``, the API's ``?cursor=``) go further: no OFFSET at all, the
rows after the last row's key values in the list's order, read the same way (keys first, then
the joins for those rows), in one statement and without a COUNT.
"""

import base64
import datetime
import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, OrderBy, Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.db.models.query import ValuesIterable
from django.utils import timezone
from django.utils.functional import cached_property

from apps.core.counts import kept_count


def deferrable(queryset) -> bool:
    """Whether the page's keys can be read apart from its rows."""
    if not isinstance(queryset, QuerySet) or not queryset.ordered:
        return False
    query = queryset.query
    # A .values() list is deferred like its model's: its keys are the same rows' (values_list's
    # tuples are not taken: nothing pages them). RowSerializer lists page the model's list and
    # read the page's values after the slice (DeferredJoinPaginator's ``rows``).
    return not (
        query.distinct
        or query.combinator
        or query.group_by is not None
        or query.is_sliced
        or (queryset._fields is not None and queryset._iterable_class is not ValuesIterable)
    )


# The keys of a page are read with at least this LIMIT, even for a last page of fewer rows (no
# row past the count is there to be read): under a LIMIT of one or two rows PostgreSQL, told to
# expect some fifty matches (a search's estimate), walks the order's index to find them and
# reads the whole table when they are fewer or at its end (a search matching one demand of
# 30,000: 35 ms against 1 ms for the page of 25, bench).
KEYS_LIMIT_FLOOR = 25

# Pages starting before this row are sliced plainly: skipping a few hundred rows costs less
# than the semi-join (the enterprise API's first page read in 1.0 ms plainly, 3.1–3.6 ms
# deferred; from about 500 rows skipped on, the deferred join is the cheaper, and from 2,000 on
# several times so: bench/README.md).
DEFER_FROM = 500


def deferred_slice(queryset, bottom: int, top: int, count: int | None = None):
    """queryset[bottom:top], the keys read first when the list is filtered or the page starts
    deep enough to gain (module docstring). Given the list's `count`, a deep page nearer the end
    than the start reads its keys from the end, in the reverse order (a total order: the
    last page skips nothing instead of every row before it)."""
    if not deferrable(queryset) or (bottom < DEFER_FROM and not queryset.query.where):
        return queryset[bottom:top]
    if (
        count is not None
        and bottom >= DEFER_FROM
        and count - top < bottom
        and _total_order(queryset)
    ):
        keys = queryset.reverse().values("pk")[count - top : count - bottom]
    else:
        # The last page (`top` is the count): a LIMIT of a whole page at least.
        limit = max(top, bottom + KEYS_LIMIT_FLOOR) if count is not None and top >= count else top
        keys = queryset.values("pk")[bottom:limit]
        if limit > top:
            # Rows past a count that lags a write stay off the page.
            return queryset.filter(pk__in=keys)[: top - bottom]
    return queryset.filter(pk__in=keys)


def _total_order(queryset) -> bool:
    """Whether the order ends with the primary key, so that its reverse is exactly the rows
    in the opposite order (ties in the other columns broken the same way)."""
    ordering = queryset.query.order_by or (
        queryset.model._meta.ordering if queryset.query.default_ordering else ()
    )
    if not ordering or not isinstance(ordering[-1], str):
        return False
    last = ordering[-1].lstrip("-")
    return last == "pk" or last == queryset.model._meta.pk.name


class DeferredJoinPaginator(Paginator):
    """Django's Paginator, each page's rows read by a deferred join (module docstring).

    ``rows`` (a function of a queryset) makes the page's rows from its slice: ``.values()``
    rows (apps.core.api.RowSerializer) are made from the page alone, so that the count stays
    the model's (a values queryset's COUNT keeps the joins its columns needed: 25 ms instead
    of 1 at 30,000 demands)."""

    def __init__(self, *args, rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows

    @cached_property
    def count(self):
        """The list's COUNT, kept until a write changes its rows (apps.core.counts)."""
        if isinstance(self.object_list, QuerySet):
            return kept_count(self.object_list)
        return super().count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        page_rows = deferred_slice(self.object_list, bottom, top, self.count)
        if self.rows is not None:
            page_rows = self.rows(page_rows)
        return self._get_page(page_rows, number, self)


# --- Keyset (cursor) pages -------------------------------------------------------------------


class NotKeysetOrder(Exception):
    """The list's order cannot be walked by keyset: an expression or aggregate, a nullable
    column, a relation that fans out."""


class BadCursor(Exception):
    """The cursor does not decode, or holds values its list's key columns cannot take."""


class ForeignCursor(BadCursor):
    """The cursor was made for another order (another ``ordering=``, another list)."""


class _CursorEncoder(DjangoJSONEncoder):
    # DjangoJSONEncoder keeps milliseconds only: a position truncated to the millisecond would
    # skip (or repeat) the rows that share that millisecond with the page's last row.
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


@dataclass(frozen=True)
class Key:
    """One column of the order: a field path from the list's model, and its direction."""

    path: str
    field: models.Field
    descending: bool

    @property
    def order_by(self) -> str:
        return f"-{self.path}" if self.descending else self.path

    def beyond(self, value, *, inclusive: bool = False) -> Q:
        lookup = ("lt" if self.descending else "gt") + ("e" if inclusive else "")
        return Q(**{f"{self.path}__{lookup}": value})


# A cursor longer than this was not made here (a page's position is a few dozen characters;
# a 128-character Chinese name is about 520).
CURSOR_MAX_LENGTH = 2000


class Keyset:
    """A list's order made total, and the positions in it.

    The order is the queryset's own (``order_by``, else the model's ``Meta.ordering``), a
    relation standing for its model's ordering as Django reads it; the primary key is appended
    unless the order already reaches a unique column, so that no two rows tie. Only plain
    columns that cannot be NULL, on the model or across to-one relations that cannot be NULL,
    can hold a position: anything else raises NotKeysetOrder.

    "After (v1, v2, …)" is the expanded form ``f1 > v1 OR (f1 = v1 AND f2 > v2) OR …`` (``<``
    for a descending column), AND the redundant ``f1 >= v1``: PostgreSQL reads that one as a
    range on the index of the first column (visits: ``visited_on <= v1`` on
    ``(visited_on DESC, id DESC)``), so a deep page is an index scan from the position, not a
    sort of every row before it.
    """

    def __init__(self, model, keys: list[Key]):
        self.model = model
        self.keys = keys
        signature = f"{model._meta.label_lower}:{','.join(k.order_by for k in keys)}"
        self.fingerprint = hashlib.sha256(signature.encode()).hexdigest()[:8]

    @classmethod
    def of(cls, queryset: QuerySet) -> "Keyset":
        query = queryset.query
        if query.extra_order_by or query.combinator:
            raise NotKeysetOrder
        opts = queryset.model._meta
        items = query.order_by or (opts.ordering if query.default_ordering else ())
        keys: list[Key] = []
        for item in items:
            name, descending = _order_name(item, query)
            for key in _expand(queryset.model, name, descending):
                keys.append(key)
                if _unique(key):
                    return cls(queryset.model, keys)
        pk = opts.pk
        if pk.null:
            raise NotKeysetOrder
        last_descending = keys[-1].descending if keys else False
        return cls(queryset.model, [*keys, Key(pk.name, pk, last_descending)])

    def ordered(self, queryset: QuerySet) -> QuerySet:
        return queryset.order_by(*(key.order_by for key in self.keys))

    def after(self, position: list) -> Q:
        """The rows after the position, in this order (class docstring)."""
        expanded = Q()
        equal = Q()
        for key, value in zip(self.keys, position, strict=True):
            expanded |= equal & key.beyond(value)
            equal &= Q(**{key.path: value})
        return expanded & self.keys[0].beyond(position[0], inclusive=True)

    def annotations(self) -> dict:
        return {f"_keyset_{index}": F(key.path) for index, key in enumerate(self.keys)}

    def position_of(self, row) -> list:
        names = [f"_keyset_{index}" for index in range(len(self.keys))]
        if isinstance(row, dict):
            return [row[name] for name in names]
        return [getattr(row, name) for name in names]

    def encode(self, position: list) -> str:
        text = json.dumps(
            {"o": self.fingerprint, "k": position}, cls=_CursorEncoder, separators=(",", ":")
        )
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def decode(self, cursor: str) -> list:
        """The position a cursor holds, as values of the key columns (BadCursor otherwise)."""
        if len(cursor) > CURSOR_MAX_LENGTH:
            raise BadCursor
        try:
            text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            payload = json.loads(text)
        except (ValueError, UnicodeError) as exc:  # binascii.Error is a ValueError
            raise BadCursor from exc
        if not isinstance(payload, dict) or set(payload) != {"o", "k"}:
            raise BadCursor
        if payload["o"] != self.fingerprint:
            raise ForeignCursor
        values = payload["k"]
        if not isinstance(values, list) or len(values) != len(self.keys):
            raise BadCursor
        return [
            _column_value(key.field, value) for key, value in zip(self.keys, values, strict=True)
        ]

    def page(
        self, queryset: QuerySet, position: list | None, size: int, reader=None
    ) -> tuple[list, bool]:
        """Up to `size` rows after the position (from the start when None), and whether more
        follow: one statement reading size + 1 rows, the keys first where the list allows
        (module docstring), never a COUNT or an OFFSET. ``reader`` makes the rows from the
        queryset (DeferredJoinPaginator's ``rows``)."""
        reader = reader or (lambda rows: rows)
        ordered = self.ordered(queryset)
        remaining = ordered if position is None else ordered.filter(self.after(position))
        if deferrable(ordered):
            keys = remaining.values("pk")[: size + 1]
            rows = reader(ordered.filter(pk__in=keys)).annotate(**self.annotations())
        else:
            rows = reader(remaining).annotate(**self.annotations())[: size + 1]
        rows = list(rows)
        return rows[:size], len(rows) > size


def _order_name(item, query) -> tuple[str, bool]:
    """An order_by item as (field path, descending); NotKeysetOrder for an expression."""
    if isinstance(item, OrderBy):
        descending, item = item.descending, item.expression
        if not isinstance(item, F):
            raise NotKeysetOrder
        name = item.name
    elif isinstance(item, F):
        name, descending = item.name, False
    elif isinstance(item, str):
        if item == "?":
            raise NotKeysetOrder
        name, descending = item.removeprefix("-"), item.startswith("-")
    else:
        raise NotKeysetOrder
    if name.split(LOOKUP_SEP)[0] in query.annotations:
        raise NotKeysetOrder
    return name, descending


def _expand(model, name: str, descending: bool, seen: frozenset = frozenset()) -> list[Key]:
    """The columns `name` orders by, as Django reads it: a relation (not its ``_id``) stands
    for its model's Meta.ordering, which is followed with the direction combined."""
    opts = model._meta
    field = None
    path = []
    for piece in name.split(LOOKUP_SEP):
        if field is not None:
            if not (field.concrete and (field.many_to_one or field.one_to_one)):
                raise NotKeysetOrder  # a reverse or many-to-many relation repeats rows
            opts = field.related_model._meta
        try:
            field = opts.pk if piece == "pk" else opts.get_field(piece)
        except FieldDoesNotExist as exc:
            raise NotKeysetOrder from exc  # a transform (name__lower) or an unknown name
        if getattr(field, "null", True) or not field.concrete:
            raise NotKeysetOrder  # NULL has no place in a keyset order
        # "pk" spelt as the column's name, so that ordering=pk and ordering=id are one order.
        path.append(field.name if piece == "pk" else piece)
    target = field.related_model if field.is_relation else None
    if target is not None and path[-1] != field.attname:
        if target._meta.ordering:
            if target in seen:
                raise NotKeysetOrder  # Django itself refuses such a loop
            keys = []
            for item in target._meta.ordering:
                if not isinstance(item, str):
                    raise NotKeysetOrder
                sub = LOOKUP_SEP.join([*path, item.removeprefix("-")])
                sub_descending = descending != item.startswith("-")
                keys += _expand(model, sub, sub_descending, seen | {target})
            return keys
        path[-1] = field.attname
    return [Key(LOOKUP_SEP.join(path), field, descending)]


def _unique(key: Key) -> bool:
    """Whether no two rows of the list share this column's value."""
    return LOOKUP_SEP not in key.path and (key.field.primary_key or key.field.unique)


def _column_value(field: models.Field, value):
    """A cursor's JSON value as the column's Python value, or BadCursor: a value the column
    cannot take must not reach the database (a date that is not one, an integer out of range,
    a NUL character). Only the value's canonical form, as encode() writes it, is taken: 5.7 is
    not the integer 5, nor true the integer 1."""
    if value is None or isinstance(value, dict | list):
        raise BadCursor
    if isinstance(value, str) and "\x00" in value:
        raise BadCursor
    try:
        result = field.to_python(value)
        field.run_validators(result)
        canonical = json.loads(json.dumps(result, cls=_CursorEncoder))
    except (ValidationError, ValueError, TypeError, ArithmeticError) as exc:
        raise BadCursor from exc
    if type(canonical) is not type(value) or canonical != value:
        raise BadCursor
    if isinstance(result, datetime.datetime) and timezone.is_naive(result):
        raise BadCursor  # cursors made here carry their offset
    return result
