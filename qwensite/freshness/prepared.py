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
reads its rows, which make the same instances, with the same annotations and deferred fields, as
the queryset would (its compiled columns are kept with its SQL).

The rows read are made into instances only when asked: a page can first be told by a few
fields of each row (``Fetched.entries``), which cost a fraction of whole instances, and made
whole (``Fetched.instances``) only if that does not answer it: one query either way. The rows a
page reads name its entries (``Fetched.named``: the values of the columns they are made of, as
the database gave them, and the SQL that read them), so the same entries are made once per process
(a page is read again unchanged until one of its rows changes or the present passes a
publication time it compares, both of which change its rows).

On PostgreSQL the SQL is also prepared on each connection the first time it is read there
(qwensite.ops.postgresql), so the server plans it once per connection too: planning was most of
the server's time for a page (0.5 of 0.8 ms).

The caller names the list (its key must cover everything that shapes its SQL besides the time:
the view, the audience's visibility, the ordering) and says how to build it for a given time.
"""

import datetime as dt
import threading
import weakref

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models.query import ModelIterable, get_related_populators
from django.utils import timezone

from qwensite.freshness.local import LocalStore

MARKERS = (
    dt.datetime(1971, 2, 3, 4, 5, 6, 7089, tzinfo=dt.UTC),
    dt.datetime(1972, 3, 4, 5, 6, 7, 8091, tzinfo=dt.UTC),
)
# A value's marker: capitals, LIKE's wildcards and escape, and spaces at both ends, so that a value
# changed on its way into the SQL (lowered, stripped, escaped for a LIKE) does not stand there as given.
VALUE_MARKER = " \x00Prepared_%\\Value {n} {year} "
KEPT_LISTS = 256  # compiled lists kept per process at most (a few per view and audience are in use)

_kept = {}
_samples = {}
_derived = {}  # what was derived from a sample (PreparedList.of_sample)
CONVERTERS_KEPT = "_prepared_converters"  # the connection's attribute keeping them (Compiled.converters)
_entries = LocalStore(256)  # the entries (Fetched.entries) of the pages this process read last, by their rows
_lock = threading.Lock()


class PreparedList:
    """The list ``build(now)`` (a queryset), read page by page through SQL kept under ``key``."""

    def __init__(self, key, build):
        self.key, self.build = key, build

    def arranged(self, arrange, *shape):
        """This list with ``arrange(queryset)`` applied to each build (the paginator's total
        ordering), kept apart by ``shape`` (what the arrangement depends on)."""
        return PreparedList((*self.key, *shape), lambda now: arrange(self.build(now)))

    def sample(self):
        """The list built once per process, at a marker time, and never read: what is the same
        at any time (its model, its database, its ordering), known without building it again."""
        return _once(_samples, self.key, lambda: self.build(MARKERS[0]))

    def of_sample(self, derive):
        """``derive(sample)`` (what depends only on the list's shape: its ordering, say), worked
        out once per process for this list; a None answer is worked out again each time."""
        return _once(_derived, (*self.key, derive), lambda: derive(self.sample()))

    def page(self, bottom, top, now=None):
        """The model instances of ``build(now)[bottom:top]``; None when the list cannot be kept."""
        fetched = self.fetch(bottom, top, now)
        return None if fetched is None else fetched.instances()

    def fetch(self, bottom, top, now=None):
        """The rows of ``build(now)[bottom:top]``, read and not yet made into instances
        (``Fetched``); None when the list cannot be kept."""
        if top <= bottom:
            return Fetched(None, [])  # as the ORM's empty slice (no LIMIT 0 would bound the SQL)
        compiled = self.compiled()
        if compiled is None:
            return None
        return compiled.rows(bottom, top, now or timezone.now())

    def compiled(self):
        return _compiled(self.key, lambda: Compiled.of(self.build))


class PreparedGet:
    """The entry ``build(now, value)`` (a queryset narrowed by ``value`` to one entry, such as a
    slug's), read through SQL kept under ``key``: as a DetailView's object, with the entries it
    joins (``select_related``) made as the queryset makes them."""

    def __init__(self, key, build):
        self.key, self.build = key, build

    def matching(self, value, now=None):
        """The entries ``build(now, value)`` finds, two at most (as many as tell one from
        several); None when it cannot be kept (its SQL holds the value otherwise than as given)."""
        compiled = _compiled(self.key, lambda: Compiled.of(self.build, joins=True, values=1))
        if compiled is None:
            return None
        return compiled.rows(0, 2, now or timezone.now(), (value,)).instances()


def _compiled(key, compile):
    return _once(_kept, key, compile) or None  # False: a list that cannot be kept, known as such


def _once(kept, key, make):
    """``make()``, made once per process under ``key`` in ``kept`` (KEPT_LISTS at most)."""
    with _lock:
        made = kept.get(key)
    if made is None:
        made = make()
        with _lock:
            if len(kept) >= KEPT_LISTS:
                kept.clear()
            kept[key] = made
    return made


class Compiled:
    """The SQL of a queryset and the places of the present moment (and of the values it was
    built for) among its parameters."""

    def __init__(self, queryset, compiler, sql, params, places):
        self.model, self.db, self.query = queryset.model, queryset.db, compiler.query
        self.sql, self.params, self.places = sql, params, places
        # Where the model's fields, the joined models' and the annotations stand among the
        # columns, as ModelIterable reads them.
        self.columns = [expression for expression, _, _ in compiler.select]
        start, *_, end = compiler.klass_info["select_fields"]
        self.fields = slice(start, end + 1)
        self.init_names = [expression.target.attname for expression in self.columns[self.fields]]
        self.annotations = tuple(compiler.annotation_col_map.items())
        self.populators = get_related_populators(compiler.klass_info, compiler.select, self.db)
        self._entry_columns = {}  # fields: the names and positions of an entry's columns (entry_columns)

    def converters(self, positions):
        """A compiler on this thread's connection, and the converters of the columns at
        ``positions`` as the queryset applies them: worked out once per connection (Django's
        take a tenth of a release page's time when worked out for each read). They are kept
        on the connection, and go with it."""
        connection = connections[self.db]
        kept = connection.__dict__.setdefault(CONVERTERS_KEPT, weakref.WeakKeyDictionary()).setdefault(self, {})
        positions = tuple(positions)
        found = kept.get(positions)
        if found is None:
            compiler = self.query.get_compiler(connection=connection)
            found = kept[positions] = (compiler, compiler.get_converters([self.columns[p] for p in positions]))
        return found

    def entry_columns(self, fields):
        """The names and positions of the columns an ``Entry`` of ``fields`` is made of: the
        key, those of ``fields`` that are the model's own, and the annotations."""
        found = self._entry_columns.get(fields)
        if found is None:
            meta = self.model._meta
            present = {field.name: field.attname for field in meta.concrete_fields}
            wanted = {meta.pk.attname, *(present[name] for name in fields if name in present)}
            chosen = [
                (name, position)
                for position, name in enumerate(self.init_names, start=self.fields.start)
                if name in wanted
            ] + list(self.annotations)
            found = self._entry_columns[fields] = (
                tuple(name for name, _ in chosen),
                tuple(position for _, position in chosen),
            )
        return found

    @classmethod
    def of(cls, build, joins=False, values=0):
        """``build`` compiled at two sets of markers, a time and ``values`` texts; False when the
        two differ in more than where the markers stand, or when the queryset makes what its
        rows alone cannot (``reproducible``; ``joins`` allows ``select_related``)."""
        arguments = [
            (marker, *(VALUE_MARKER.format(n=n, year=marker.year) for n in range(values))) for marker in MARKERS
        ]
        first, second = (build(*given) for given in arguments)
        if not reproducible(first, joins=joins):
            return False
        compiler = first.query.get_compiler(first.db)
        try:
            (sql, params), (other_sql, other_params) = (compiler.as_sql(), _compile(second))
        except EmptyResultSet:
            return False  # a list that can match nothing: the ORM answers it without a query
        if sql != other_sql or len(params) != len(other_params):
            return False
        adapt = connections[first.db].ops.adapt_datetimefield_value
        marks = [(adapt(time), *texts) for time, *texts in arguments]
        pairs = list(zip(*marks, strict=True))  # each argument's two markers
        places = [[] for _ in pairs]
        for index, pair in enumerate(zip(params, other_params, strict=True)):
            if pair in pairs:
                places[pairs.index(pair)].append(index)
            elif pair[0] != pair[1]:
                return False
        if values and not all(places[1:]):
            return False  # a value that stands nowhere as given (searched in, say): not kept
        return cls(first, compiler, sql, tuple(params), tuple(map(tuple, places)))

    def rows(self, bottom, top, now, values=()):
        connection = connections[self.db]
        params = list(self.params)
        for places, value in zip(self.places, (connection.ops.adapt_datetimefield_value(now), *values), strict=True):
            for index in places:
                params[index] = value
        bounds = connection.ops.limit_offset_sql(bottom, top)
        sql = f"{self.sql} {bounds}" if bounds else self.sql
        # A backend that can prepare it (qwensite.ops.postgresql) plans it once per connection.
        with getattr(connection, "prepared_cursor", connection.cursor)() as cursor:
            cursor.execute(sql, params)
            return Fetched(self, cursor.fetchall())


class Fetched:
    """The rows of a page as the database gave them, made into model instances only when asked."""

    def __init__(self, compiled, rows):
        self.compiled, self.rows = compiled, rows
        self._names = {}  # fields: named(fields)

    def named(self, fields):
        """What tells the entries of ``fields`` these rows make from any others in this process:
        the SQL that read them, the connection's zone (their converters read it), and the values
        of the columns the entries are made of, as the database gave them. The same name is the
        same entries, so what is made of them alone (the entries, their kept rows' key) is made
        once for it. None for no rows, or for a value that cannot be compared so."""
        if not self.rows:
            return None
        if fields not in self._names:
            positions = self.compiled.entry_columns(fields)[1]
            values = tuple(tuple(row[position] for position in positions) for row in self.rows)
            name = (self.compiled, positions, connections[self.compiled.db].timezone, values)
            try:
                hash(name)
            except TypeError:  # a column of a type without a hash: a JSON list, say
                name = None
            self._names[fields] = name
        return self._names[fields]

    def instances(self):
        """The rows as the queryset makes them: each field it reads, each entry it joins, each annotation."""
        if not self.rows:
            return []
        compiled = self.compiled
        model, db, populators, annotations = compiled.model, compiled.db, compiled.populators, compiled.annotations
        made = []
        for row in self._values(range(len(compiled.columns))):
            instance = model.from_db(db, compiled.init_names, row[compiled.fields])
            for populator in populators:
                populator.populate(row, instance)
            for name, position in annotations:
                setattr(instance, name, row[position])
            made.append(instance)
        return made

    def entries(self, fields):
        """The rows as ``Entry``s of ``fields`` alone (with the key and the annotations): a
        fraction of the cost of model instances, enough to tell each row's version. Made once
        per process for the same values (``named``); the entries are shared, the list is the caller's."""
        if not self.rows:
            return []
        fields = tuple(fields)
        name = self.named(fields)
        if name is None:
            return self._entries(fields)
        return list(_entries.made(name, lambda: self._entries(fields)))

    def _entries(self, fields):
        names, positions = self.compiled.entry_columns(fields)
        meta = self.compiled.model._meta
        return [Entry(meta, zip(names, row, strict=True)) for row in self._values(positions)]

    def _values(self, positions):
        """Each row's values at ``positions``, converted as the queryset converts them."""
        compiler, converters = self.compiled.converters(positions)  # this thread's connection's
        values = ([row[position] for position in positions] for row in self.rows)
        return compiler.apply_converters(values, converters) if converters else values


class Entry:
    """A row of a model told by a few of its fields (attributes named as the model's), its key
    (``pk``) and its annotations: what a row's version is made of (``_meta`` is its model's), at
    a fraction of the cost of a model instance, deferred fields and all. The entries of a page
    read again are the same objects (``Fetched.entries``): read them, never change them."""

    def __init__(self, meta, values):
        self._meta = meta
        self.__dict__.update(values)
        self.pk = getattr(self, meta.pk.attname)

    def __repr__(self):
        return f"<Entry of {self._meta.label}: {self.pk}>"


def reproducible(queryset, joins=False):
    """Whether its rows make what ``queryset`` makes: model instances of its own rows, with
    nothing prefetched or sliced that reading its rows alone would drop, and nothing joined in
    (``select_related``) unless ``joins``: a list's page is kept unjoined, its entries told by
    their own columns."""
    query = queryset.query
    return (
        queryset._iterable_class is ModelIterable
        and not queryset._fields
        and not queryset._prefetch_related_lookups
        and (joins or not query.select_related)
        and not query.is_sliced
        and not queryset._known_related_objects  # a related manager's: ModelIterable sets them on each row
    )


def _compile(queryset):
    return queryset.query.get_compiler(queryset.db).as_sql()


def forget():
    """Forget every compiled list (for tests: a process otherwise keeps them for its life)."""
    with _lock:
        _kept.clear()
        _samples.clear()
        _derived.clear()
