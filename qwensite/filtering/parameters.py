"""The rules every page and endpoint applies to its query parameters.

One rule for names it does not know (a 400 naming each of them), one for a name given twice
(a list repeats, ``year=2024&year=2025`` meaning ``year=2024,2025``; a single value given twice
is a 400 naming it, never "the last one wins"), one for page numbers and sizes (whole numbers
written in ASCII digits), and one for empty values in the API.
"""

import re

UNKNOWN_PARAMETER = "Unknown query parameter. Accepted parameters: {accepted}."
EMPTY_VALUE = "Give a value, or leave the parameter out."
REPEATED_VALUE = "Give this parameter once: it takes a single value."
PAGINATION_PARAMETERS = frozenset({"page", "page_size", "format"})
POSITIVE_INTEGER = re.compile(r"[0-9]{1,9}")
MAX_PAGE_SIZE = 100  # results per page, on the reader pages and in the API


def unknown_parameter_errors(given, accepted):
    """``{name: [message]}`` for each name in ``given`` that is not ``accepted``; empty when all are known."""
    unknown = sorted(set(given) - set(accepted))
    if not unknown:
        return {}
    message = UNKNOWN_PARAMETER.format(accepted=", ".join(sorted(accepted)))
    return {name: [message] for name in unknown}


def repeated_parameter_errors(given, lists):
    """``{name: [message]}`` for each parameter of ``given`` (a QueryDict, or a dict) given more than once
    that is not one of ``lists``, the names that take several values; empty when none is."""
    if not hasattr(given, "getlist"):
        return {}  # a plain dict holds one value per name
    return {name: [REPEATED_VALUE] for name in sorted(given) if name not in lists and len(given.getlist(name)) > 1}


def empty_value_errors(given):
    """``{name: [message]}`` for each parameter given with an empty value (``?release=``).

    A page's GET form sends its empty fields, and the page redirects to the short URL instead;
    an API client that sends a parameter means a value, so an empty one is an error."""
    return {name: [EMPTY_VALUE] for name in sorted(given) if "" in given.getlist(name)}


def positive_integer_error(raw, maximum=None):
    """The message for ``raw`` when it is not a whole number from 1 (to ``maximum``), else None."""
    if POSITIVE_INTEGER.fullmatch(raw) and 1 <= int(raw) <= (maximum or int(raw)):
        return None
    return f"Enter a whole number from 1 to {maximum}." if maximum else "Enter a whole number of at least 1."


def missing_page_message(number, pages):
    """What a reader (or a client) is told for a page number past the last page."""
    there = "there is 1 page" if pages == 1 else f"there are {pages} pages"
    return f"Page {number} does not exist; {there}."


def query_without_page(request):
    """The request's query string without ``page``: the same list from its first page."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
