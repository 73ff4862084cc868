"""Page-number pagination with strict parameters, on the scalable paginator."""

from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

from qwensite.filtering.parameters import MAX_PAGE_SIZE, missing_page_message, positive_integer_error
from qwensite.freshness.pagination import ScalablePaginator, count_key_for
from qwensite.seo.origin import absolute


def _positive_integer(request, name, default, maximum=None):
    raw = request.query_params.get(name)
    if raw is None:
        return default
    error = positive_integer_error(raw, maximum)
    if error:
        raise exceptions.ValidationError({name: [error]})
    return int(raw)


class StrictPageNumberPagination(PageNumberPagination):
    """``page`` and ``page_size`` (1 to 100, default 20); a malformed value is a 400.

    A well-formed page number past the last page is a 404 saying which pages exist ("Page 99
    does not exist; there are 2 pages."), as a detail URL for a missing slug is.

    Pages come from ScalablePaginator (qwensite/pagination.py): the count is kept in the cache
    under the content state, so it is counted once per change of content rather than on every
    request, and a deep page reads its keys first instead of fetching and discarding every row
    before it.
    """

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()

    def django_paginator_class(self, object_list, per_page):
        """The paginator for this request (DRF calls it with the list and the page size).

        The count is kept per list and filters (the path and query string), and per audience:
        an editor's count includes drafts that a reader's must not.
        """
        user = getattr(self.request, "user", None)
        audience = f"user:{user.pk}" if user is not None and user.is_authenticated else "anonymous"
        self.paginator = ScalablePaginator(object_list, per_page, count_key=count_key_for(self.request, audience))
        return self.paginator

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound:
            number = self.get_page_number(request, self.paginator)
            raise exceptions.NotFound(missing_page_message(number, self.paginator.num_pages)) from None

    def get_next_link(self):
        if not self.page.has_next():
            return None
        return self._link(self.page.next_page_number())

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        return self._link(self.page.previous_page_number())

    def _link(self, number):
        """This list's URL at page ``number``, on the site's public address (not the Host header)."""
        url = absolute(self.request.get_full_path())
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def get_page_size(self, request):
        return _positive_integer(request, self.page_size_query_param, self.page_size, self.max_page_size)

    def get_page_number(self, request, paginator):
        return _positive_integer(request, self.page_query_param, 1)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number, from 1. A page past the last one is 404.",
                "schema": {"type": "integer", "minimum": 1, "maximum": 999_999_999},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page, from 1 to {self.max_page_size} (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
