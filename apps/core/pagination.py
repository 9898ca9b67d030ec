"""Pagination whose deepest page costs about what its first page costs.

``OFFSET 99950 LIMIT 50`` over a list's full query makes PostgreSQL build (joins, correlated
counts, annotations) and sort every skipped row. The deferred join reads the page's keys first,
from the list's filters and order alone, over the index that matches the default order; the
joins and annotations then run for those 50 rows only::

    SELECT … FROM visit JOIN enterprise … WHERE visit.id IN (
        SELECT id FROM visit WHERE <filters> ORDER BY visited_on DESC, id DESC
        OFFSET 99950 LIMIT 50)
    ORDER BY visited_on DESC, id DESC

One statement, as before (query counts do not change). Lists whose order or rows come from a
GROUP BY or DISTINCT (an aggregate to sort by) are paged the usual way: their keys cannot be
read apart from the rows.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet


def deferrable(queryset) -> bool:
    """Whether the page's keys can be read apart from its rows."""
    if not isinstance(queryset, QuerySet) or not queryset.ordered:
        return False
    query = queryset.query
    return not (
        query.distinct
        or query.combinator
        or query.group_by is not None
        or query.is_sliced
        or query.values_select
        or queryset._fields is not None
    )


def deferred_slice(queryset, bottom: int, top: int):
    """queryset[bottom:top], the keys read first (module docstring)."""
    if not deferrable(queryset):
        return queryset[bottom:top]
    keys = queryset.values("pk")[bottom:top]
    return queryset.filter(pk__in=keys)


class DeferredJoinPaginator(Paginator):
    """Django's Paginator, each page's rows read by a deferred join (module docstring)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(deferred_slice(self.object_list, bottom, top), number, self)
