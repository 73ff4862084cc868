"""Conditional GET and a shared response cache for every public page and API response.

For each GET or HEAD outside the admin, the ETag and Last-Modified are known before the
view runs: they come from the content state (qwensite.freshness.state), which every save renews.
So a client that already holds the current representation gets 304 without any work, and
an anonymous request for a representation already rendered since the last edit is answered
from the configured cache (Redis when several app servers share it). Each stored copy records
the content token it was rendered under and is served only while that token is current, so an
edit makes every stale copy unusable at once: no purge needed. The state and the copy are read
in one round trip.

``DJANGO_RESPONSE_CACHE=false`` (RESPONSE_CACHE_ENABLED) turns the stored copies off and keeps the
validators, which is how the benchmark measures a page's cache-cold cost. Without a content
state shared by every process (CONTENT_STATE_SHARED: Redis, or the cache on disk of one
machine) the middleware stands aside entirely.

Only plain anonymous 200 responses are stored, with a query string only where the view checked
it (``parameters_checked``): nothing that sets a cookie, uses the visitor's
CSRF token or session, carries a CSP nonce, or says ``Cache-Control: private/no-store``; such
responses are marked private so that no proxy keeps them either.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from qwensite.freshness.state import content_state_and

CACHE_PREFIX = "response:v2:"
CACHE_TIMEOUT = 600
EXCLUDED_PREFIXES = ("/admin/", "/healthz", "/readyz", "/preview/", "/static/")
PARAMETERS_CHECKED = "response_cache_parameters_checked"  # the request attribute parameters_checked() sets
UNCACHEABLE_CONTROL = ("private", "no-store", "no-cache")


def _representation(request):
    """What distinguishes one representation of this URL from another."""
    return "|".join(
        [
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            request.headers.get("Accept", "")[:200],
        ]
    )


def carries_credentials(request):
    """Whether the request carries a session cookie or an Authorization header.

    Known from the request alone, without the session store or the user table, so that an
    anonymous request is answered before the session, CSRF and auth middleware run.
    """
    return settings.SESSION_COOKIE_NAME in request.COOKIES or "Authorization" in request.headers


def _audience(request):
    """``anonymous``, or a digest of the credentials the request carries (session or token)."""
    if not carries_credentials(request):
        return "anonymous"
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    return "credentials:" + _digest(session or "", request.headers.get("Authorization") or "")


def _digest(*parts):
    return hashlib.blake2b("|".join(parts).encode(), digest_size=16).hexdigest()


def _is_personal(request, response):
    """Whether the response belongs to this visitor: a cookie, their CSRF token, their session."""
    session = getattr(request, "session", None)
    return bool(
        response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or (session is not None and session.modified)
    )


def parameters_checked(request):
    """Mark a request whose view recognised and validated every query parameter.

    Only such a request may leave a stored copy when it has a query string, so that made-up
    strings (``/?x=1``, ``/?x=2``, ...) cannot fill the cache: views that ignore parameters
    are still rendered and validated, just not stored.
    """
    setattr(request, PARAMETERS_CHECKED, True)


def _is_storable(request, response):
    if response.status_code != 200 or response.streaming or _is_personal(request, response):
        return False
    if request.GET and not getattr(request, PARAMETERS_CHECKED, False):
        return False
    if isinstance(getattr(request, "_csp_nonce", None), str):
        return False
    control = response.get("Cache-Control", "")
    return not any(word in control for word in UNCACHEABLE_CONTROL)


class ConditionalCacheMiddleware:
    """Answers 304 or a cached copy before the view runs; otherwise tags and stores the response.

    Sits before the session, CSRF and auth middleware, so that a stored copy or a 304 costs
    none of them, and after the API's throttle (qwensite.rest.throttling.ThrottleMiddleware),
    which counts the anonymous requests it answers. Requests carrying credentials (a session
    cookie or an Authorization header) get validators of their own (their credentials are part
    of the ETag) but are never served from or stored in the shared cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not settings.CONTENT_STATE_SHARED
            or request.method not in ("GET", "HEAD")
            or request.path.startswith(EXCLUDED_PREFIXES)
        ):
            return self.get_response(request)

        representation = _representation(request)
        audience = _audience(request)
        shared = audience == "anonymous"
        key = CACHE_PREFIX + (_digest(representation) if shared else _digest(representation, audience))
        # One round trip for both: the content state and what is stored for this representation.
        state, stored = content_state_and(key)
        # Readers' validators move only with changes they can see; editors' with every change.
        token, modified = (
            (state["token"], state["last_modified"]) if shared else (state["draft_token"], state["draft_modified"])
        )
        etag = f'"{_digest(token, representation, audience)}"'
        last_modified = int(modified.timestamp())

        # What is stored is (token, copy or None): this URL answered 200 under ``token``, and its
        # copy when the copy may be shared. Only then are conditional headers answered before the
        # view: a missing or draft URL is its 404 whatever If-None-Match or If-Match says.
        if stored is not None and stored[0] == token:
            answered = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if answered is not None:
                return self._tag(answered, etag, last_modified, shared)
            if stored[1] is not None and settings.RESPONSE_CACHE_ENABLED:
                return stored[1]

        response = self.get_response(request)
        if response.status_code != 200 or response.streaming:
            return response
        self._tag(response, etag, last_modified, shared and not _is_personal(request, response))
        copy = response if shared and settings.RESPONSE_CACHE_ENABLED and _is_storable(request, response) else None
        if stored is None or stored[0] != token or (copy is not None and stored[1] is None):
            cache.set(key, (token, copy), CACHE_TIMEOUT)
        answered = get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)
        return answered if answered is response else self._tag(answered, etag, last_modified, shared)

    @staticmethod
    def _tag(response, etag, last_modified, shared):
        response.headers.setdefault("ETag", etag)
        response.headers.setdefault("Last-Modified", http_date(last_modified))
        patch_vary_headers(response, ("Accept", "Cookie", "Authorization"))
        if shared:
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_MAX_AGE, must_revalidate=True)
        else:
            patch_cache_control(response, private=True, max_age=0)
        return response
