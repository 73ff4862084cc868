"""The API's errors: a 409 for conflicts, a JSON 404 for unknown paths, JSON for every error."""

from django.http import HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Someone else changed this entry since you read it; read it again and retry."
    default_code = "conflict"


@csrf_exempt
def not_found(request, *args, **kwargs):
    """A JSON 404 for any path under the API that names no endpoint, whatever the method.

    A path that only lacks its trailing slash is sent on with a 308, which keeps the method.
    """
    with_slash = f"{request.path_info}/"
    if not request.path_info.endswith("/"):
        try:
            match = resolve(with_slash)
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            target = f"{request.path}/" + (f"?{query}" if query else "")
            return HttpResponseRedirect(target, status=308)
    return JsonResponse({"detail": "Not found."}, status=404)


def json_exception_handler(exc, context):
    """DRF's handler, with every error in JSON even when CSV or BibTeX was asked for."""
    # Imported here: rest_framework.views reads the settings that name this module's classes.
    from rest_framework.views import exception_handler

    response = exception_handler(exc, context)
    request = context.get("request")
    if response is not None and request is not None:
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is None or renderer.media_type != "application/json":
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
    return response
