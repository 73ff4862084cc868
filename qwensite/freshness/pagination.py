"""Pagination that stays cheap as a list grows from a thousand rows to a hundred thousand.

Two costs grow with the rows behind a page, and both are removed here:

- the count: ``COUNT(*)`` over every matching row, on every page. It is kept in the
  configured cache under the site's content state (qwensite/freshness/state.py), which every
  save renews, so it is counted once per change of content and never served stale;
- the offset: ``OFFSET 97000`` makes the database read 97,000 rows in order only to discard
  them (even from an index alone, some 30 ms at 100,000 releases; with the list's display
  joins and a sort, some 190 ms). Deep pages are sought by key instead
  (qwensite/freshness/keyset.py): the keys of the page boundaries are read once per content
  state, in one query, and kept beside the count; a page then starts its index scan at its
  first row.
"""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from qwensite.freshness.keyset import Unkeyable, boundary_keys, ordered, ordering_of, seek
from qwensite.freshness.state import remember

DEFERRED_JOIN_FROM = 500  # offsets below this read the rows directly: as cheap, one query fewer
KEPT_BOUNDARIES = 1000  # keys kept per list at most; past that, a page seeks the boundary before it and skips on


class ScalablePage(Page):
    """A page, and its rows as kept (``kept``) when it was answered from them without its
    entries read whole (its ``object_list`` then holds ``Entry`` objects: each entry's key,
    version fields and annotations, qwensite.freshness.prepared)."""

    kept = None


def _total_ordering(queryset):
    """The queryset's ordering made total (qwensite.freshness.keyset), or None if a key cannot express it."""
    try:
        return ordering_of(queryset)
    except Unkeyable:
        return None


class ScalablePaginator(Paginator):
    """A Paginator with a cached count and deep pages sought by key.

    ``prepared`` (qwensite.freshness.prepared.PreparedList), for a list whose SQL changes
    only with the present moment, reads its shallow pages by SQL compiled once per process.
    With ``kept`` too (qwensite.freshness.fragments.KeptRows), such a page's rows are first made
    into entries with the fields that tell their kept fragments alone: when every row of it is
    kept, the page is answered with them (``page.kept``) and no entry is made whole; else the
    same rows are made whole, as without ``kept`` (one query either way).

    ``count_key`` names what is counted (the list and its filters, e.g. the query string
    without the page); without it neither the count nor the page keys are kept, and a deep
    page is read by offset. ``shown`` names the kinds of content the list shows
    (qwensite.freshness.state): only their edits renew the count and the keys.

    A queryset's ordering is made total (the primary key closes it, qwensite/freshness/keyset.py)
    for every page, shallow or deep, so that both read the same rows in the same order.

    ``object_list`` may be None with ``prepared``: the list is then ``prepared``'s at the present,
    built as a queryset only when it is needed (a count not kept, a deep page, a list whose SQL
    cannot be kept), not for a page its prepared SQL reads; its ordering is read from the list
    built once per process (``PreparedList.sample``).
    """

    def __init__(
        self,
        object_list,
        per_page,
        orphans=0,
        allow_empty_first_page=True,
        *,
        count_key=None,
        shown=None,
        prepared=None,
        kept=None,
    ):
        self.terms, self.shown, self.prepared, self.kept, self.unbuilt = None, shown, None, kept, None
        shape = object_list
        if object_list is None:  # a prepared list: built at the present only if a page or its count needs it
            self.unbuilt, shape = prepared, prepared.sample()
        if isinstance(shape, QuerySet):
            # A prepared list's ordering is its sample's: worked out once per process.
            self.terms = _total_ordering(shape) if object_list is not None else prepared.of_sample(_total_ordering)
            if self.terms is not None:
                if object_list is not None:
                    object_list = ordered(object_list, self.terms)
                if prepared is not None:
                    terms = self.terms
                    self.prepared = prepared.arranged(lambda queryset: ordered(queryset, terms), shape.db, *terms)
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.count_key = count_key

    @property
    def object_list(self):
        """The list paginated; a prepared list given as None is built (at the present) here."""
        if self._object_list is None and self.unbuilt is not None:
            built = self.unbuilt.build(None)
            self._object_list = built if self.terms is None else ordered(built, self.terms)
        return self._object_list

    @object_list.setter
    def object_list(self, value):
        self._object_list = value

    def _check_object_list_is_ordered(self):
        if self._object_list is not None:  # a prepared list is ordered by its own build, made total here
            super()._check_object_list_is_ordered()

    @cached_property
    def count(self):
        if self.count_key is None:
            return Paginator.count.func(self)
        return remember(f"page-count|{self.count_key}", lambda: Paginator.count.func(self), shown=self.shown)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:  # the last page takes its orphans, as Paginator.page
            top = self.count
        if bottom < DEFERRED_JOIN_FROM and self.prepared is not None:
            fetched = self.prepared.fetch(bottom, top)
            if fetched is not None:
                page = self.kept_page(fetched, number)  # a page is falsy when empty: compared with None
                return page if page is not None else self._get_page(fetched.instances(), number, self)
        if bottom < DEFERRED_JOIN_FROM or self.terms is None or self.count_key is None:
            return super().page(number)
        step = self.boundary_step()
        keys = remember(
            f"page-keys|{self.count_key}|{self.per_page}|{step}",
            lambda: boundary_keys(self.object_list, self.terms, step),
            shown=self.shown,
        )
        index, skip = divmod(bottom, step)
        if index >= len(keys):  # fewer rows than counted: cannot be, as both follow the content state
            return super().page(number)
        rows = self.object_list.filter(seek(self.terms, keys[index], inclusive=True))[skip : skip + top - bottom]
        return self._get_page(list(rows), number, self)

    def kept_page(self, fetched, number):
        """The page of the rows ``fetched`` answered from their kept fragments, its entries made
        with the fields that tell them alone; None unless every row is kept."""
        if self.kept is None:
            return None
        entries = fetched.entries(self.kept.fields)
        rows = self.kept.get(entries, fetched.named(self.kept.fields))
        if rows is None:
            return None
        page = self._get_page(entries, number, self)
        page.kept = rows
        return page

    def _get_page(self, *args, **kwargs):
        return ScalablePage(*args, **kwargs)

    def boundary_step(self):
        """Rows between two kept keys: a page's length, or a multiple of it that keeps at most
        KEPT_BOUNDARIES keys (a page of one row of 100,000 skips at most 99 rows after its key)."""
        pages = -(-self.count // self.per_page)
        return self.per_page * max(1, -(-pages // KEPT_BOUNDARIES))


POSITION_PARAMETERS = frozenset({"page", "cursor"})  # where in a list, not which list: no part of its count key


def count_key_for(request, *parts):
    """A count key from the request's path and query string, the position (page or cursor) left out."""
    query = sorted((name, value) for name, value in request.GET.lists() if name not in POSITION_PARAMETERS)
    return "|".join([request.path, repr(query), *map(str, parts)])
