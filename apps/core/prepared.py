"""Selectors whose queryset is built once and cloned for each caller.

Building a list's queryset resolves each of its annotations, conditions and joins (Django's
``resolve_expression``, ``build_filter``, ``setup_joins``) before anything is compiled: for
the demand list's three overdue flags about 0.9 ms of an 8 ms API request, as much as the
rest of the serializer (bench/README.md, "Session 9"). The statement is the same for
every request of a day, so a selector decorated with ``@prepared(key)`` builds it once per
value of ``key(*args, **kwargs)`` and returns a clone (``.all()``): the clone shares the
resolved expressions and copies the query's own lists and trees, so a caller's filters,
ordering or evaluation never reach the kept queryset (tests/core/test_prepared.py).

The key must name everything the queryset depends on besides the database: today's date when
it compares with today, a setting it reads. Resolve such values once, in a plain function that
passes them to the prepared one (``services.selectors.demand_list``), so that the key and the
statement cannot see two different days at midnight. A few keys are kept per selector, the
most recently used last.
"""

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable

from django.db.models import QuerySet

KEPT_KEYS = 4


def prepared(key: Callable[..., object]):
    """Decorate a selector returning a QuerySet: built once per ``key(*args, **kwargs)``, a
    fresh clone returned on every call. ``selector.build`` is the undecorated function."""

    def decorate(build: Callable[..., QuerySet]):
        kept: OrderedDict[object, QuerySet] = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(build)
        def selector(*args, **kwargs) -> QuerySet:
            at = key(*args, **kwargs)
            with lock:
                queryset = kept.get(at)
                if queryset is not None:
                    kept.move_to_end(at)
            if queryset is None:
                queryset = build(*args, **kwargs)
                with lock:
                    kept[at] = queryset
                    while len(kept) > KEPT_KEYS:
                        kept.popitem(last=False)
            clone = queryset.all()
            # The one attribute a clone shares rather than copies: a merge (``&``, ``|``) with a
            # related manager's queryset writes into it.
            clone._known_related_objects = {
                field: dict(objects) for field, objects in queryset._known_related_objects.items()
            }
            return clone

        selector.build = build
        selector.forget = kept.clear
        return selector

    return decorate
