"""Conditional GET and a shared response cache for every public page and API response.

Two middleware share the work. StoredAnswerMiddleware sits at the front of the chain (after
the health probe only): for an anonymous GET or HEAD it reads the content state, the stored
answer and whatever its companions need (the API throttle's count) in one cache round trip,
and answers a 304 or the stored copy at once, with every header the copy was stored with
(security headers and CSP included), so a stored page costs no other middleware. Copies are
kept as bytes and headers, not as pickled responses. ConditionalCacheMiddleware, further in
(before session, CSRF and auth), tags the rendered response and decides what may be stored;
the front then stores the response as it leaves the chain, its outer headers included. Each
process also keeps the copies it answered with last (COPIES_KEPT), with the token they were
stored under: while that token is current, the front reads the content state alone (and of it
only the kinds the address shows), not the copy again. What the chain sends from a stored copy
is sent again in front of Django's handler while its token is current (qwensite.freshness.front).

For each GET or HEAD outside the admin, the ETag and Last-Modified are known before the
view runs: they come from the content state (qwensite.freshness.state), which every save renews.
So a client that already holds the current representation gets 304 without any work, and
an anonymous request for a representation already rendered since the last edit is answered
from the configured cache (Redis when several app servers share it). Each stored copy records
the content token it was rendered under (that of the kinds of content its address shows:
settings.CONTENT_KINDS_BY_PATH) and is served only while that token is current, so an edit makes
every stale copy of what it changed unusable at once, and leaves the others: no purge needed.
The state and the copy are read in one round trip.

``DJANGO_RESPONSE_CACHE=false`` (RESPONSE_CACHE_ENABLED) turns the stored copies off and keeps the
validators, which is how the benchmark measures a page's cache-cold cost. Without a content
state shared by every process (CONTENT_STATE_SHARED: Redis, or the cache on disk of one
machine) the middleware stands aside entirely.

Only plain anonymous 200 responses are stored, with a query string only where the view checked
it (``parameters_checked``): nothing that sets a cookie, uses the visitor's
CSRF token or session, carries a CSP nonce, or says ``Cache-Control: private/no-store``; such
responses are marked private so that no proxy keeps them either.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.module_loading import import_string

from qwensite.freshness.local import LocalStore
from qwensite.freshness.state import content_state_and, kinds_shown_at
from qwensite.ops.compression import CONTENT_NAME

CACHE_PREFIX = "response:v3:"
CACHE_TIMEOUT = 600
EXCLUDED_PREFIXES = ("/admin/", "/healthz", "/readyz", "/preview/", "/static/")
PARAMETERS_CHECKED = "response_cache_parameters_checked"  # the request attribute parameters_checked() sets
FRONT_READ = "response_cache_front_read"  # (state, stored, representation): what the front already read
TO_STORE = "response_cache_to_store"  # (key, token): the front stores the response as it leaves the chain
# (token, kinds shown): the response is the answer of a stored copy, kept under this token (see
# qwensite.freshness.front, which sends the same bytes again while the token is current).
ANSWERED_FROM_COPY = "response_cache_answered_from_copy"
UNCACHEABLE_CONTROL = ("private", "no-store", "no-cache")
COPIES_KEPT = 256  # stored answers each process keeps in memory, with the token they were stored under
# Headers of the representation itself, which a 304 does not repeat.
CONTENT_HEADERS = frozenset({"content-type", "content-length", "content-encoding", "content-disposition"})


def _representation(request):
    """What distinguishes one representation of this URL from another."""
    return "|".join(
        [
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            request.META.get("HTTP_ACCEPT", "")[:200],
        ]
    )


def carries_credentials(request):
    """Whether the request carries a session cookie or an Authorization header.

    Known from the request alone, without the session store or the user table, so that an
    anonymous request is answered before the session, CSRF and auth middleware run. Read from
    ``request.META`` (the WSGI environ): ``request.headers`` would copy every header first.
    """
    return "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES


def _audience(request):
    """``anonymous``, or a digest of the credentials the request carries (session or token)."""
    if not carries_credentials(request):
        return "anonymous"
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    return "credentials:" + _digest(session or "", request.META.get("HTTP_AUTHORIZATION") or "")


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


def _is_considered(request):
    return (
        settings.CONTENT_STATE_SHARED
        and request.method in ("GET", "HEAD")
        and not request.path.startswith(EXCLUDED_PREFIXES)
    )


def _validators(state, representation, audience):
    """The ETag and Last-Modified (seconds) of a representation for an audience, under ``state``."""
    shared = audience == "anonymous"
    # Readers' validators move only with changes they can see; editors' with every change.
    token, modified = (
        (state["token"], state["last_modified"]) if shared else (state["draft_token"], state["draft_modified"])
    )
    return token, f'"{_digest(token, representation, audience)}"', int(modified.timestamp())


# The stored answers this process read or stored last: {key: (token, copy or None)}. One is used
# only while its token is the current one, as the cache's own copy is, so an edit in any process
# makes it unusable at the next request; while it is, the front reads the content state alone.
_kept = LocalStore(COPIES_KEPT)


def forget_kept():
    """Drop the stored answers this process keeps (after the cache is cleared, as between tests)."""
    _kept.clear()


def _answer_from(copy):
    """A response from a stored copy: its headers and its bytes.

    The headers were checked (ASCII names, Latin-1 values, no line breaks) when the rendered
    response got them, so they are given to the answer as they are: set one by one, each would be
    checked again, 16 us for a page's 15 headers, a tenth of a stored answer's time. (Django's
    ResponseHeaders keeps them in ``_store``, lower-cased name to (name, value); the tests compare
    a stored answer's headers with the rendered response's.)
    """
    headers, content = copy
    response = HttpResponse(content)
    response.headers._store = {name.lower(): (name, value) for name, value in headers}
    return response


# The request headers of RFC 9110's preconditions, which get_conditional_response reads.
PRECONDITIONS = ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")


def _conditional_answer(request, etag, last_modified):
    """The 304 or 412 a request's preconditions call for before the view runs, or None; a request
    that states none (most) is not parsed for them."""
    if not any(name in request.META for name in PRECONDITIONS):
        return None
    return get_conditional_response(request, etag=etag, last_modified=last_modified)


def _with_headers_of(answered, copy):
    """A 304 or 412 with the stored copy's headers (security headers, validators), not its content's."""
    for name, value in copy[0]:
        if name.lower() not in CONTENT_HEADERS:
            answered.headers[name] = value
    return answered


@functools.cache
def _companions(paths):
    return [import_string(path)() for path in paths]


def _companions_now():
    """The companions of the stored answers (settings.RESPONSE_CACHE_COMPANIONS), made once."""
    return _companions(tuple(settings.RESPONSE_CACHE_COMPANIONS))


def companion_keys(request):
    """The cache keys the companions read with the state, for ``request``."""
    return [name for companion in _companions_now() for name in companion.front_keys(request)]


def companions_allow(request, values):
    """Whether every companion lets a stored answer be given, with the ``values`` read (a request
    let through is counted by them then)."""
    return all(companion.front_answer(request, values) for companion in _companions_now())


class StoredAnswerMiddleware:
    """At the front: a 304 or the stored copy for an anonymous reader, in one cache round trip.

    Companions (settings.RESPONSE_CACHE_COMPANIONS, such as the API throttle) name cache keys
    read in the same round trip (``front_keys(request)``, a list, maybe empty) and decide with
    the values read whether the stored answer may be given (``front_answer(request, values)``:
    False sends the request down the chain, as a throttled request that gets its 429 there). Anything not
    answered here goes down the chain; a response the chain marked storable is stored on its
    way out, as bytes and the headers every middleware gave it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_considered(request) or carries_credentials(request):
            return self.get_response(request)
        try:
            representation = _representation(request)
        except DisallowedHost:
            return self.get_response(request)  # its 400 comes from the chain
        key = CACHE_PREFIX + _digest(representation)
        wanted = companion_keys(request)
        # A copy this process keeps is not read again; it is checked against the state read.
        kept = _kept.get(key)
        shown = kinds_shown_at(request.path)
        try:
            state, values = content_state_and(*([] if kept is not None else [key]), *wanted, shown=shown)
            token, etag, last_modified = _validators(state, representation, "anonymous")
            if kept is None:
                stored = values.get(key)
            elif kept[0] == token:
                stored = kept
            else:  # the kept copy is of an earlier state: the current one is read (a second round trip)
                stored = cache.get(key)
        except DatabaseError:
            return self.get_response(request)  # the outage middleware answers for the database
        if stored is not None and stored[0] == token:
            _kept.put(key, stored)
        setattr(request, FRONT_READ, (state, stored, representation))
        # Only a stored copy has the headers to answer with; a URL known without a copy (its
        # response was not storable) gets its 304 further in, where the chain adds them.
        if stored is not None and stored[0] == token and stored[1] is not None and companions_allow(request, values):
            answered = _conditional_answer(request, etag, last_modified)
            if answered is not None:
                answer = _with_headers_of(answered, stored[1])
            elif settings.RESPONSE_CACHE_ENABLED:
                answer = _answer_from(stored[1])
                setattr(answer, CONTENT_NAME, (key, token))  # the same bytes under this key and token
            else:
                answer = None
            if answer is not None:
                setattr(answer, ANSWERED_FROM_COPY, (token, shown))
                return answer
        response = self.get_response(request)
        to_store = getattr(request, TO_STORE, None)
        if to_store is not None and response.status_code == 200 and not response.streaming:
            stored = (to_store[1], (list(response.items()), response.content))
            cache.set(to_store[0], stored, CACHE_TIMEOUT)
            _kept.put(to_store[0], stored)
        return response


class ConditionalCacheMiddleware:
    """Answers 304 or a cached copy before the view runs; otherwise tags the response and stores it.

    Sits before the session, CSRF and auth middleware, so that a 304 costs none of them, and
    after the API's throttle (qwensite.rest.throttling.ThrottleMiddleware), which counts the
    anonymous requests it answers. Requests carrying credentials (a session cookie or an
    Authorization header) get validators of their own (their credentials are part of the ETag)
    but are never served from or stored in the shared cache. An anonymous request reuses what
    StoredAnswerMiddleware read, and leaves its copy for it to store.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_considered(request):
            return self.get_response(request)

        audience = _audience(request)
        shared = audience == "anonymous"
        front_read = getattr(request, FRONT_READ, None) if shared else None
        if front_read is not None:
            state, stored, representation = front_read
            key = CACHE_PREFIX + _digest(representation)
        else:
            representation = _representation(request)
            key = CACHE_PREFIX + (_digest(representation) if shared else _digest(representation, audience))
            # One round trip for both: the content state and what is stored for this representation.
            state, values = content_state_and(key, shown=kinds_shown_at(request.path))
            stored = values.get(key)
        token, etag, last_modified = _validators(state, representation, audience)

        # What is stored is (token, copy or None): this URL answered 200 under ``token``, and its
        # copy (headers and bytes) when the copy may be shared. Only then are conditional headers
        # answered before the view: a missing or draft URL is its 404 whatever If-None-Match or
        # If-Match says.
        if stored is not None and stored[0] == token:
            answered = _conditional_answer(request, etag, last_modified)
            if answered is not None:
                return self._tag(answered, etag, last_modified, shared)
            if stored[1] is not None and settings.RESPONSE_CACHE_ENABLED:
                return _answer_from(stored[1])

        response = self.get_response(request)
        if response.status_code != 200 or response.streaming:
            return response
        self._tag(response, etag, last_modified, shared and not _is_personal(request, response))
        copy = shared and settings.RESPONSE_CACHE_ENABLED and _is_storable(request, response)
        answered = get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)
        if copy and front_read is not None and answered is response:
            setattr(request, TO_STORE, (key, token))  # stored by the front, with its outer headers
        elif stored is None or stored[0] != token:
            cache.set(key, (token, None), CACHE_TIMEOUT)
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
