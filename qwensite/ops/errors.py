"""The site's error handlers (handler400, handler500): a page for readers, JSON for the API.

A view that cannot read its query raises ``BadRequest`` with a message for the reader; the
400 page shows that message (other bad requests, such as a forbidden Host header, get the page
without echoing what was sent). Likewise a view raises ``ReaderNotFound`` for a 404 that says
what is missing ("No release called “x”", "Page 99 does not exist; there are 2 pages") with
links to what exists; any other 404 gets the page without the exception's text.
A 500 is the friendly page, or JSON under the API's prefix;
a lost database is the outage's 503 (qwensite.ops.outages).
"""

import sys

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponseBadRequest, HttpResponseNotFound, JsonResponse
from django.template.loader import render_to_string
from django.views.defaults import server_error as default_server_error

from qwensite.ops.outages import OUTAGE_ERRORS, log_outage


def _is_api(request):
    return request.path.startswith(settings.API_PREFIX)


class ReaderNotFound(Http404):
    """A 404 whose message is written for readers; ``links`` are ``(label, url)`` pairs of what
    the reader may have meant."""

    def __init__(self, message, *, links=()):
        super().__init__(message)
        self.message = message
        self.links = list(links)


def page_not_found(request, exception, template_name="404.html"):
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    context = {}
    if isinstance(exception, ReaderNotFound):
        context = {"message": exception.message, "links": exception.links}
    return HttpResponseNotFound(render_to_string(template_name, context, request=request))


def bad_request(request, exception, template_name="400.html"):
    message = str(exception) if type(exception) is BadRequest and exception.args else ""
    if _is_api(request):
        return JsonResponse({"detail": message or "Bad request."}, status=400)
    return HttpResponseBadRequest(render_to_string(template_name, {"message": message}, request=request))


def server_error(request, template_name="500.html"):
    exception = sys.exc_info()[1]
    if isinstance(exception, OUTAGE_ERRORS):
        return log_outage(request, exception)
    if _is_api(request):
        return JsonResponse({"detail": "A server error occurred."}, status=500)
    return default_server_error(request, template_name=template_name)
