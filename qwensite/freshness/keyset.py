"""Pages found by the key of a row in the list's ordering, instead of by counting rows.

``OFFSET 97000`` makes the database read 97,000 rows in order only to discard them. A seek —
"the rows that come after this one in this ordering" — lets it start reading the ordering's
index at that row. It needs a total ordering (one that no two rows tie on), so the primary key
closes every ordering here, and it needs the values of that ordering for the boundary row: its
*key*. The API's cursors (qwensite.rest.pagination) carry a key to the client and back; the
page-number paginator (qwensite.freshness.pagination) keeps the key of page boundaries itself.
Both build their seek with ``seek()``: the rule is written once.

Mixed directions (``-release_date, name, pk``) rule out a row-value comparison
``(a, b, c) > (x, y, z)``, so the seek is written term by term, with a bound on the first term
alone in front, which lets the database start its index scan at D rather than at the top::

    release_date <= D AND (release_date < D OR (release_date = D AND (name > N OR (name = N AND pk > P))))

NULLs are placed where the ordering puts them (``nulls_last``/``nulls_first``, or where the
database puts them by default), so a nullable column such as ``max_size_b`` seeks too.
"""

from dataclasses import dataclass

from django.db import connections
from django.db.models import F, OrderBy, Q
from django.db.models.expressions import Col, Window
from django.db.models.functions import RowNumber
from django.db.models.lookups import Exact


class Unkeyable(ValueError):
    """An ordering that cannot be sought by key: random, or by an expression rather than a field."""


@dataclass(frozen=True)
class Term:
    """One term of an ordering: a field path (an ORM lookup path, ``pk`` for the key)."""

    path: str
    descending: bool = False
    nulls_last: bool = True
    nullable: bool = False

    @property
    def label(self):
        """The term as written in an ``ordering`` (the nulls' place only where there can be NULLs)."""
        nulls = ("|nulls-last" if self.nulls_last else "|nulls-first") if self.nullable else ""
        return f"{'-' if self.descending else ''}{self.path}{nulls}"

    def reversed(self):
        return Term(self.path, not self.descending, not self.nulls_last, self.nullable)

    def expression(self):
        """The ORM ordering for this term (NULLs placed explicitly only where there can be any)."""
        if not self.nullable:
            return F(self.path).desc() if self.descending else F(self.path).asc()
        place = {"nulls_last": True} if self.nulls_last else {"nulls_first": True}
        return F(self.path).desc(**place) if self.descending else F(self.path).asc(**place)

    def _after(self, value):
        """Rows strictly after ``value`` on this term."""
        isnull = f"{self.path}__isnull"
        if value is None:
            return Q(pk__in=[]) if self.nulls_last else Q(**{isnull: False})
        after = Q(**{f"{self.path}__{'lt' if self.descending else 'gt'}": value})
        return after | Q(**{isnull: True}) if self.nullable and self.nulls_last else after

    def _equal(self, value):
        return Q(**{f"{self.path}__isnull": True}) if value is None else Q(**{self.path: value})

    def _from(self, value):
        """Rows at or after ``value`` on this term: the bound the index scan starts from."""
        isnull = f"{self.path}__isnull"
        if value is None:
            return Q(**{isnull: True}) if self.nulls_last else Q()
        bound = Q(**{f"{self.path}__{'lte' if self.descending else 'gte'}": value})
        return bound | Q(**{isnull: True}) if self.nullable and self.nulls_last else bound


def field_at(model, path):
    """The field at the end of ``path`` and whether the path can give NULL (a nullable field or hop)."""
    nullable = False
    field = None
    for part in path.split("__"):
        if field is not None:
            if not field.is_relation:
                raise Unkeyable(f"{path} is not a field path.")
            model = field.related_model
        try:
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        except Exception as error:  # FieldDoesNotExist, or an annotation's name
            raise Unkeyable(f"{path} is not a field of {model._meta.label}.") from error
        nullable = nullable or field.null or (field.is_relation and not field.concrete)
        if field.many_to_many or field.one_to_many:
            raise Unkeyable(f"{path} names several rows per row.")
    return field, nullable


def _term(model, item, nulls_order_largest):
    if isinstance(item, str):
        if item == "?" or "." in item:
            raise Unkeyable(f"The ordering {item!r} has no key.")
        descending, path, nulls_last, nulls_first = item.startswith("-"), item.lstrip("-"), None, None
    elif isinstance(item, F):
        descending, path, nulls_last, nulls_first = False, item.name, None, None
    elif isinstance(item, OrderBy) and isinstance(item.expression, F):
        descending, path = item.descending, item.expression.name
        nulls_last, nulls_first = item.nulls_last, item.nulls_first
    else:
        raise Unkeyable(f"The ordering {item!r} is not by a field.")
    field, nullable = field_at(model, path)
    if path == field.name and field.primary_key:
        path = "pk"
    if nulls_last is None and nulls_first is None:
        # The database's own place for NULLs: the largest values on PostgreSQL, the smallest on SQLite.
        nulls_last = descending != nulls_order_largest
    return Term(path, descending, bool(nulls_last) and not nulls_first, nullable)


def ordering_of(queryset):
    """The queryset's ordering as Terms, made total: closed by the primary key (added when absent).

    Raises Unkeyable for an ordering that a key cannot express.
    """
    query = queryset.query
    items = list(query.order_by or (query.get_meta().ordering if query.default_ordering else ()))
    largest = connections[queryset.db].features.nulls_order_largest
    terms = []
    for item in items:
        term = _term(queryset.model, item, largest)
        if term.path not in {t.path for t in terms}:
            terms.append(term)
        if term.path == "pk":
            break
    else:
        terms.append(Term("pk"))
    return tuple(terms)


def ordered(queryset, terms):
    """``queryset`` in the order of ``terms`` (its own ordering, made total)."""
    return queryset.order_by(*(term.expression() for term in terms))


def seek(terms, key, *, inclusive=False):
    """A filter for the rows after the row whose key is ``key`` in the ordering ``terms``
    (and that row too if ``inclusive``). Reverse the terms to seek the rows before it."""
    *leading, last = list(zip(terms, key, strict=True))
    term, value = last
    rest = term._after(value) | term._equal(value) if inclusive else term._after(value)
    for term, value in reversed(leading):
        rest = term._after(value) | (term._equal(value) & rest)
    first, value = terms[0], key[0]
    return first._from(value) & rest


def key_of(row, terms):
    """The values of ``terms`` on a row already read (related rows through select_related)."""
    values = []
    for term in terms:
        value = row
        for part in term.path.split("__"):
            value = None if value is None else getattr(value, part)
        values.append(value)
    return tuple(values)


def _columns(node):
    """Every column an expression or a filter (a WHERE tree of lookups) reads, once per reference."""
    if isinstance(node, Col):
        yield node
        return
    children = node.children if hasattr(node, "children") else node.get_source_expressions()
    for child in children:
        if hasattr(child, "children") or hasattr(child, "get_source_expressions"):
            yield from _columns(child)


def without_unused_joins(queryset):
    """``queryset`` without the annotations that neither its filter nor its ordering reads, and
    without the joins only they needed.

    A list annotated for display (the slug of each release's article, through a join) would
    otherwise keep those joins when only its keys are read: the database then reads every row
    of the table and of the joined one, where the ordering's index alone has the keys (an
    index-only scan). The joins are released as Django's own trimming does (their reference
    counts), and the queryset is returned unchanged if anything it filters on is not left.
    """
    query = queryset.query
    if not query.annotations or query.combinator or query.group_by is not None:
        return queryset
    ordering_names = {
        (item.lstrip("-") if isinstance(item, str) else getattr(getattr(item, "expression", item), "name", ""))
        for item in query.order_by
    }
    trimmed = queryset.all()
    inner = trimmed.query
    base = inner.get_initial_alias()
    for name, annotation in list(inner.annotations.items()):
        if name in ordering_names or annotation.contains_aggregate or isinstance(annotation, Window):
            continue
        del inner.annotations[name]
        for column in _columns(annotation):
            alias = column.alias
            while alias is not None and alias != base:
                inner.unref_alias(alias)
                alias = inner.alias_map[alias].parent_alias
    inner.set_annotation_mask(set(inner.annotations))
    needed = {column.alias for column in _columns(inner.where)}
    if any(inner.alias_refcount.get(alias, 0) <= 0 for alias in needed):
        return queryset
    return trimmed


def boundary_query(queryset, terms, step):
    """The keys of rows 0, ``step``, 2 × ``step``, … of ``queryset`` in the order ``terms``, as one
    query: the rows are numbered by the ordering (``ROW_NUMBER()``) and only every ``step``-th
    leaves the database. Without the display joins, the numbering reads the ordering's index alone.

    A DISTINCT list (a filter through a join to several rows per row) is numbered as the rows it
    names, each once: ROW_NUMBER() runs before DISTINCT, so it would number every joined copy."""
    walk = without_unused_joins(queryset.order_by())
    if walk.query.distinct:
        walk = walk.model._base_manager.filter(pk__in=walk.values("pk"))
    number = Window(RowNumber(), order_by=[term.expression() for term in terms])
    numbered = walk.annotate(keyset_row=number).filter(Exact((F("keyset_row") - 1) % step, 0))
    return numbered.order_by("keyset_row").values_list(*(term.path for term in terms))


def boundary_keys(queryset, terms, step):
    """boundary_query's keys, as a list of tuples (what the page-number paginator keeps)."""
    return [tuple(key) for key in boundary_query(queryset, terms, step)]
