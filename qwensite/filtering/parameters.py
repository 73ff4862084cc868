"""The rules every page and endpoint applies to its query parameters.

One rule for names it does not know (a 400 naming each of them), one for page numbers and
sizes (whole numbers written in ASCII digits), and one for empty values in the API.
"""

import re

UNKNOWN_PARAMETER = "Unknown query parameter. Accepted parameters: {accepted}."
EMPTY_VALUE = "Give a value, or leave the parameter out."
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
