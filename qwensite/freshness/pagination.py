"""Pagination that stays cheap as a list grows from a thousand rows to a hundred thousand.

Two costs grow with the rows behind a page, and both are removed here:

- the count: ``COUNT(*)`` over every matching row, on every page. It is kept in the
  configured cache under the site's content state (qwensite/freshness/state.py), which every
  save renews, so it is counted once per change of content and never served stale;
- the offset: ``OFFSET 90000`` makes the database fetch and discard 90,000 table rows.
  Deep pages take their keys first (an index-only walk when the ordering index covers the
  filter, as ``release_catalogue_order`` does) and then fetch only the page's rows by key.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from qwensite.freshness.state import remember

DEFERRED_JOIN_FROM = 500  # offsets below this read the rows directly: as cheap, one query fewer


class ScalablePaginator(Paginator):
    """A Paginator with a cached count and key-first deep pages.

    ``count_key`` names what is counted (the list and its filters, e.g. the query string
    without the page); without it the count is not cached.
    """

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, count_key=None):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.count_key = count_key

    @cached_property
    def count(self):
        if self.count_key is None:
            return Paginator.count.func(self)
        return remember(f"page-count|{self.count_key}", lambda: Paginator.count.func(self))

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < DEFERRED_JOIN_FROM or not isinstance(self.object_list, QuerySet):
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=keys)}
        return self._get_page([rows[key] for key in keys if key in rows], number, self)


def count_key_for(request, *parts):
    """A count key from the request's path and query string, the page number left out."""
    query = sorted((name, value) for name, value in request.GET.lists() if name != "page")
    return "|".join([request.path, repr(query), *map(str, parts)])
