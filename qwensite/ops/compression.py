"""HTML (and JSON) compressed only where compression can leak no secret.

BREACH recovers a secret from a compressed response that also reflects what an attacker
sends (a search term, a query parameter): each guess that matches the secret compresses a
little better. A page for an anonymous reader carries no secret, so it is compressed; a
response that carries a CSRF token, or goes to a visitor with a session or credentials, is
sent as it is. (Django's own GZipMiddleware pads each response with random bytes as well,
and masks the CSRF token anew on each response: both only slow an attack down.)

Sits above the stored answers (StoredAnswerMiddleware), so a page is stored once,
uncompressed, and compressed on its way out for each reader who accepts gzip. Streaming
responses (WhiteNoise's static files, precompressed where that pays, and file downloads)
are left as they are.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers


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
        if response.streaming or carries_secret(request, response):
            return response
        if response.status_code == 304:
            # The 304 stands for the representation a 200 would send: it varies the same way.
            patch_vary_headers(response, ("Accept-Encoding",))
            return response
        return super().process_response(request, response)
