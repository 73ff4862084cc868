"""The one rule for query parameters a page or endpoint does not know: a 400 naming each of them."""

UNKNOWN_PARAMETER = "Unknown query parameter. Accepted parameters: {accepted}."
PAGINATION_PARAMETERS = frozenset({"page", "page_size", "format"})


def unknown_parameter_errors(given, accepted):
    """``{name: [message]}`` for each name in ``given`` that is not ``accepted``; empty when all are known."""
    unknown = sorted(set(given) - set(accepted))
    if not unknown:
        return {}
    message = UNKNOWN_PARAMETER.format(accepted=", ".join(sorted(accepted)))
    return {name: [message] for name in unknown}
