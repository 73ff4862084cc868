"""Page-number pagination with strict parameters, on the scalable paginator, and cursors beside it.

A cursor names the row a page starts after (or ends before): its key in the list's ordering
(qwensite/freshness/keyset.py). A page by cursor is sought from that row, so it costs the same
at the end of a list of 100,000 as at its start, and a row added or removed earlier in the list
moves no row into or out of the next page twice (as it can between page numbers).

DRF's CursorPagination keys on the first ordering field only and steps over the rows that tie
with it by an offset held in the cursor: in a catalogue where many releases share a release
date, that offset grows with the ties and the seek is no longer by key. Here the cursor holds
every term of the ordering, the primary key last, so it never needs an offset.
"""

import base64
import binascii
import datetime as dt
import hashlib
import json
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from qwensite.filtering.parameters import MAX_PAGE_SIZE, missing_page_message, positive_integer_error
from qwensite.freshness.keyset import field_at, key_of, ordered, seek
from qwensite.freshness.pagination import ScalablePaginator, count_key_for
from qwensite.freshness.state import kinds_shown_at
from qwensite.seo.origin import absolute

CURSOR_PARAMETER = "cursor"
CURSOR_START = "start"  # the cursor of a list's first page: a client's way into cursor pages
MAX_CURSOR_LENGTH = 2000
CURSOR_INVALID = "This cursor is not one this list gave: follow the next and previous links, or give cursor=start."
CURSOR_OTHER_ORDERING = "This cursor belongs to another ordering of the list: start again with cursor=start."
CURSOR_AND_PAGE = "Give cursor or page, not both."
CURSOR_UNORDERED = "This ordering cannot be paged by cursor: use page, or another ordering."


def _checksum(body):
    return hashlib.blake2b(body, digest_size=6, person=b"qwensite-cursor").hexdigest().encode()


def _plain(value):
    """A key's value as JSON holds it (dates and times in ISO 8601, decimals as written)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if isinstance(value, Decimal) else value


def encode_cursor(terms, key, *, backwards=False):
    """The cursor for the rows after ``key`` (before it, if ``backwards``) in the ordering ``terms``.

    URL-safe base64 of the ordering, the key and the direction, behind a checksum. The checksum
    is no signature: a cursor holds nothing secret (only values of a row the client was shown)
    and a forged one can only point elsewhere in the same list; it tells a cursor that was cut
    short or edited from one this list gave.
    """
    payload = {"o": [term.label for term in terms], "k": [_plain(value) for value in key], "b": int(backwards)}
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(_checksum(body) + body).rstrip(b"=").decode()


def decode_cursor(raw, terms, model):
    """(key, backwards) from a cursor this list gave, for the ordering ``terms`` of ``model``'s rows.

    A malformed or edited cursor, or one of another ordering, is a ValidationError (a 400).
    """
    invalid = exceptions.ValidationError({CURSOR_PARAMETER: [CURSOR_INVALID]})
    if len(raw) > MAX_CURSOR_LENGTH:
        raise invalid
    try:
        data = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        check, body = data[:12], data[12:]
        if check != _checksum(body):
            raise invalid
        payload = json.loads(body)
        labels, values, backwards = payload["o"], payload["k"], payload["b"]
    except (binascii.Error, ValueError, UnicodeDecodeError, KeyError, TypeError):
        raise invalid from None
    if labels != [term.label for term in terms]:
        raise exceptions.ValidationError({CURSOR_PARAMETER: [CURSOR_OTHER_ORDERING]})
    if backwards not in (0, 1) or not isinstance(values, list) or len(values) != len(terms):
        raise invalid
    key = []
    for term, value in zip(terms, values, strict=True):
        if not (value is None or isinstance(value, str | int | float) and not isinstance(value, bool)):
            raise invalid
        field, _ = field_at(model, term.path)
        target = getattr(field, "target_field", field)
        try:
            key.append(None if value is None else target.to_python(value))
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            raise invalid from None
    return tuple(key), bool(backwards)


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

    Pages come from ScalablePaginator (qwensite/freshness/pagination.py): the count is kept in
    the cache under the content state, so it is counted once per change of content rather than
    on every request, and a deep page is sought by the key of its first row instead of fetching
    and discarding every row before it.
    """

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()
    view = None  # the view whose list is paginated (paginate_queryset)

    @property
    def query_parameters(self):
        """The query parameters this pagination reads."""
        return {self.page_query_param, self.page_size_query_param}

    def django_paginator_class(self, object_list, per_page):
        """The paginator for this request (DRF calls it with the list and the page size).

        The count is kept per list and filters (the path and query string), and per audience:
        an editor's count includes drafts that a reader's must not. A view whose list, as
        asked, changes only with the present moment says so with ``prepared_list()``
        (qwensite.freshness.prepared): its shallow pages are read by SQL kept per process; and
        with ``kept_rows()`` (qwensite.freshness.fragments.KeptRows) such a page whose rows are
        all kept is answered from them, its entries read for their versions alone.
        """
        user = getattr(self.request, "user", None)
        audience = f"user:{user.pk}" if user is not None and user.is_authenticated else "anonymous"
        prepared_list = getattr(self.view, "prepared_list", None)
        prepared = prepared_list() if prepared_list is not None else None
        kept_rows = getattr(self.view, "kept_rows", None)
        self.paginator = ScalablePaginator(
            object_list,
            per_page,
            count_key=count_key_for(self.request, audience),
            shown=kinds_shown_at(self.request.path),
            prepared=prepared,
            kept=kept_rows() if prepared is not None and kept_rows is not None else None,
        )
        return self.paginator

    def paginate_queryset(self, queryset, request, view=None):
        self.view = view
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


class PageNumberOrCursorPagination(StrictPageNumberPagination):
    """StrictPageNumberPagination, and pages by ``cursor`` instead of ``page`` (the module's docstring).

    The same shape of answer (``count``, ``next``, ``previous``, ``results``), with cursor
    links; ``cursor=start`` is the first page. In any ``ordering`` the list offers, since the
    cursor holds every term. Without ``cursor``, exactly StrictPageNumberPagination.
    """

    cursor_query_param = CURSOR_PARAMETER
    cursor_links = None  # (next, previous) of a page read by cursor; None for a page by number

    @property
    def query_parameters(self):
        return super().query_parameters | {self.cursor_query_param}

    def paginate_queryset(self, queryset, request, view=None):
        raw_cursor = request.query_params.get(self.cursor_query_param)
        if raw_cursor is None:
            return super().paginate_queryset(queryset, request, view)
        return self.paginate_by_cursor(queryset, request, raw_cursor)

    def paginate_by_cursor(self, queryset, request, raw_cursor):
        """The page after (or before) the cursor's row, sought by key, with cursor links on.

        One row more than the page is read in the direction of travel, which tells whether
        there is a page beyond; the other way there is one when the cursor names a row.
        """
        self.request = request
        if self.page_query_param in request.query_params:
            raise exceptions.ValidationError({self.cursor_query_param: [CURSOR_AND_PAGE]})
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        terms = paginator.terms
        if terms is None:
            raise exceptions.ValidationError({self.cursor_query_param: [CURSOR_UNORDERED]})
        key, backwards = (None, False)
        if raw_cursor != CURSOR_START:
            key, backwards = decode_cursor(raw_cursor, terms, paginator.object_list.model)
        travel = tuple(term.reversed() for term in terms) if backwards else terms
        rows = ordered(paginator.object_list, travel)
        if key is not None:
            rows = rows.filter(seek(travel, key))
        rows = list(rows[: page_size + 1])
        beyond, rows = len(rows) > page_size, rows[:page_size]
        if backwards:
            rows.reverse()
        after, before = (key is not None, beyond) if backwards else (beyond, key is not None)
        self.cursor_links = (
            self._cursor_link(terms, rows[-1], backwards=False) if after and rows else None,
            self._cursor_link(terms, rows[0], backwards=True) if before and rows else None,
        )
        return rows

    def _cursor_link(self, terms, row, *, backwards):
        """This list's URL with the cursor after (or before) ``row``, on the site's public address."""
        cursor = encode_cursor(terms, key_of(row, terms), backwards=backwards)
        return replace_query_param(absolute(self.request.get_full_path()), self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        if self.cursor_links is None:
            return super().get_paginated_response(data)
        following, preceding = self.cursor_links
        return Response({"count": self.paginator.count, "next": following, "previous": preceding, "results": data})

    def get_next_link(self):
        return super().get_next_link() if self.cursor_links is None else self.cursor_links[0]

    def get_previous_link(self):
        return super().get_previous_link() if self.cursor_links is None else self.cursor_links[1]

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": f"A page by cursor instead of by number: `{CURSOR_START}` for the first page, then the "
                "`next` and `previous` links as given (opaque values). As cheap at the end of a long list as at its "
                "start, in any `ordering`; not with `page`.",
                "schema": {"type": "string", "minLength": 1, "maxLength": MAX_CURSOR_LENGTH},
            },
        ]
