"""HTML (and JSON) compressed only where compression can leak no secret.

BREACH recovers a secret from a compressed response that also reflects what an attacker
sends (a search term, a query parameter): each guess that matches the secret compresses a
little better. A page for an anonymous reader carries no secret, so it is compressed; a
response that carries a CSRF token, or goes to a visitor with a session or credentials, is
sent as it is. (Django's own GZipMiddleware pads each response with random bytes as well,
and masks the CSRF token anew on each response: both only slow an attack down.)

Sits below WhiteNoise, which serves static files precompressed, and above the response
cache, so a stored page is stored once, uncompressed, and compressed on its way out.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware


def carries_secret(request, response):
    """Whether ``response`` may hold something of this visitor's: a CSRF token was rendered
    (get_token() flags it), it sets a cookie, or the visitor sent a session or credentials."""
    return bool(
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or response.cookies
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or settings.CSRF_COOKIE_NAME in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
    )


class AnonymousGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if carries_secret(request, response):
            return response
        return super().process_response(request, response)
