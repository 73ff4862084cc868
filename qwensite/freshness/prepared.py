"""A list's page read by SQL compiled once per process, not built and compiled per request.

On an unfiltered list the database answers a page of 20 rows in about 0.1 ms; Django spends
some ten times that building the queryset (its joins, its visibility rules on each joined
entry), compiling it to SQL and turning the rows into model instances through the queryset's
machinery. The SQL of such a list changes with one value only, the present moment its
visibility rules compare publication times with, and with the page's bounds. So it is compiled
once per process and list: the queryset is built for a marker time, compiled, and compiled again
for a second marker time, which shows where the time goes among the parameters (a list whose SQL
differs in anything else is not kept: it is read by the ORM as before). A page then substitutes
the present moment, appends its bounds (``LIMIT``/``OFFSET``, written by the database backend) and
reads its rows as a raw query of the model, which makes the same instances, with the same
annotations and deferred fields, as the queryset would.

The caller names the list (its key must cover everything that shapes its SQL besides the time:
the view, the audience's visibility, the ordering) and says how to build it for a given time.
"""

import datetime as dt
import threading

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models.query import ModelIterable
from django.utils import timezone

MARKERS = (
    dt.datetime(1971, 2, 3, 4, 5, 6, 7089, tzinfo=dt.UTC),
    dt.datetime(1972, 3, 4, 5, 6, 7, 8091, tzinfo=dt.UTC),
)
KEPT_LISTS = 256  # compiled lists kept per process at most (a few per view and audience are in use)

_kept = {}
_lock = threading.Lock()


class PreparedList:
    """The list ``build(now)`` (a queryset), read page by page through SQL kept under ``key``."""

    def __init__(self, key, build):
        self.key, self.build = key, build

    def arranged(self, arrange, *shape):
        """This list with ``arrange(queryset)`` applied to each build (the paginator's total
        ordering), kept apart by ``shape`` (what the arrangement depends on)."""
        return PreparedList((*self.key, *shape), lambda now: arrange(self.build(now)))

    def page(self, bottom, top, now=None):
        """The model instances of ``build(now)[bottom:top]``; None when the list cannot be kept."""
        if top <= bottom:
            return []  # as the ORM's empty slice (no LIMIT 0 would bound the SQL)
        compiled = self.compiled()
        if compiled is None:
            return None
        return compiled.rows(bottom, top, now or timezone.now())

    def compiled(self):
        with _lock:
            compiled = _kept.get(self.key)
        if compiled is None:
            compiled = Compiled.of(self.build)
            with _lock:
                if len(_kept) >= KEPT_LISTS:
                    _kept.clear()
                _kept[self.key] = compiled
        return compiled or None


class Compiled:
    """The SQL of a queryset and the places of the present moment among its parameters."""

    def __init__(self, queryset, sql, params, times):
        self.model, self.db = queryset.model, queryset.db
        self.sql, self.params, self.times = sql, params, times

    @classmethod
    def of(cls, build):
        """``build`` compiled at both markers; False when the two differ in more than the time."""
        first, second = (build(marker) for marker in MARKERS)
        if not reproducible(first):
            return False
        try:
            (sql, params), (other_sql, other_params) = (_compile(first), _compile(second))
        except EmptyResultSet:
            return False  # a list that can match nothing: the ORM answers it without a query
        if sql != other_sql or len(params) != len(other_params):
            return False
        connection = connections[first.db]
        marks = [connection.ops.adapt_datetimefield_value(marker) for marker in MARKERS]
        times = []
        for index, (value, other) in enumerate(zip(params, other_params, strict=True)):
            if value == marks[0] and other == marks[1]:
                times.append(index)
            elif value != other:
                return False
        return cls(first, sql, tuple(params), tuple(times))

    def rows(self, bottom, top, now):
        connection = connections[self.db]
        params = list(self.params)
        present = connection.ops.adapt_datetimefield_value(now)
        for index in self.times:
            params[index] = present
        bounds = connection.ops.limit_offset_sql(bottom, top)
        sql = f"{self.sql} {bounds}" if bounds else self.sql
        return list(self.model._default_manager.raw(sql, params, using=self.db))


def reproducible(queryset):
    """Whether the model's raw query makes what ``queryset`` makes: model instances of its own
    rows, with nothing joined in, prefetched or sliced that a raw query would drop."""
    query = queryset.query
    return (
        queryset._iterable_class is ModelIterable
        and not queryset._fields
        and not queryset._prefetch_related_lookups
        and not query.select_related
        and not query.is_sliced
    )


def _compile(queryset):
    return queryset.query.get_compiler(queryset.db).as_sql()


def forget():
    """Forget every compiled list (for tests: a process otherwise keeps them for its life)."""
    with _lock:
        _kept.clear()
