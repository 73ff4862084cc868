"""A friendly 503 instead of a traceback when the database cannot be reached.

A lost or refused database connection (``OperationalError``, ``InterfaceError``) is an
outage, not a bug: readers get templates/503.html (API clients a JSON message) with
``Retry-After``, and the error is logged. The page is rendered without the request, so
rendering it never touches the database (no session, no user).

``DatabaseOutageMiddleware`` handles errors raised by views and template rendering;
``qwensite.ops.errors.server_error`` (the site's handler500) handles the same errors raised
anywhere else, such as in another middleware.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger("qwensite.ops.outages")

OUTAGE_ERRORS = (OperationalError, InterfaceError)


def outage_response(request):
    if request.path.startswith(settings.API_PREFIX):
        response = JsonResponse(
            {"detail": "The service is temporarily unavailable. Please try again shortly."}, status=503
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(settings.OUTAGE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OUTAGE_ERRORS):
            return log_outage(request, exception)
        return None


def log_outage(request, exception):
    logger.error("Database unavailable while serving %s: %s", request.path, exception)
    return outage_response(request)
