"""Stored answers sent again in front of Django: the bytes a process last sent, while current.

StoredAnswerMiddleware answers an anonymous reader from a stored copy only once Django's handler
has built the request, sent its signals and run the middleware above it (the compression): more
than half of a stored answer's time, which ``/healthz`` pays too. StoredAnswersFront wraps the
WSGI application (qwensite.wsgi), as the static files' front does. When the chain answered a
request from a stored copy (a 200, or the 304 or 412 its preconditions called for), the front
keeps what the chain sent (status, headers and body, compressed or not) under what the request
said that the chain read to answer it (``signature``), with the token of the content state the
copy was stored under. A request that says the same is sent those bytes again while that token
is current: the content state is read as the middleware reads it (of the kinds the address
shows, with no round trip while nothing was written), and the middleware's companions (the API
throttle) count the request in the same round trip. An edit in any process makes the answer
unusable at the next request, as it makes the stored copy.

It stands aside, and the chain answers, for whatever the chain must decide with more than the
signature: a request with a cookie or credentials (``STANDS_ASIDE``), a request the companions
refuse (the throttle's 429 comes from the chain), a token that moved, a state that cannot be
read. Nothing is kept of a response the chain rendered, only of the answers it gave from a copy,
so the front serves nothing the chain would not have served from the same copy. Each process
keeps the answers it sent last (ANSWERS_KEPT), a LocalStore (qwensite.freshness.local).
"""

import logging

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.db import close_old_connections

from qwensite.freshness.local import LocalStore
from qwensite.freshness.middleware import ANSWERED_FROM_COPY, PRECONDITIONS, companion_keys, companions_allow
from qwensite.freshness.state import content_state_and, outside_a_request

logger = logging.getLogger("qwensite.freshness.front")

# Answers each process keeps to send again, the last sent last; a larger body is not kept (the
# chain sends it each time). So a process keeps 64 MB of them at most, some 13 MB with this
# site's pages (about 50 KB each), whatever variants of a request a client makes up.
ANSWERS_KEPT = 256
ANSWER_BYTES_KEPT = 256 * 1024
SAID_KEPT = 1024  # nor is the answer to a request that says more than this in one of its values
# What a request says that the chain reads to answer it from a stored copy: the address and how
# it was reached (the representation's scheme, host and path), what it accepts (the
# representation; the compression) and its preconditions. The proxy's headers the settings
# trust (SECURE_PROXY_SSL_HEADER, USE_X_FORWARDED_HOST and _PORT) are added from them.
SIGNATURE = (
    "REQUEST_METHOD",
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "SCRIPT_URL",
    "REDIRECT_URL",
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_ACCEPT",
    "HTTP_ACCEPT_ENCODING",
    *PRECONDITIONS,
)
# A request carrying one of these goes to the chain: a session, a CSRF token or other cookies
# (the compression and the stored answers read them), credentials, and the benchmark's request
# for its query count (qwensite.ops.querycount), which the chain counts.
STANDS_ASIDE = ("HTTP_COOKIE", "HTTP_AUTHORIZATION", "HTTP_X_QUERY_COUNT")

_sent = LocalStore(ANSWERS_KEPT)  # {signature: (token, kinds shown, status, headers, body)}


def signature_names():
    """The environ's names whose values the signature is made of, under the settings."""
    proxy = settings.SECURE_PROXY_SSL_HEADER
    return (
        *SIGNATURE,
        *([proxy[0]] if proxy else []),
        *(["HTTP_X_FORWARDED_HOST"] if settings.USE_X_FORWARDED_HOST else []),
        *(["HTTP_X_FORWARDED_PORT"] if settings.USE_X_FORWARDED_PORT else []),
    )


class StoredAnswersFront:
    def __init__(self, application):
        self.application = application
        self.signature = signature_names()

    def __call__(self, environ, start_response):
        outside_a_request()  # this thread's last request has ended, whatever it left behind
        if any(name in environ for name in STANDS_ASIDE):
            return self.application(environ, start_response)
        signature = tuple(environ.get(name) for name in self.signature)
        kept = _sent.get(signature)
        if kept is not None and self._is_current(environ, kept):
            start_response(kept[2], list(kept[3]))
            return [kept[4]]
        said = []

        def starting(status, headers, exc_info=None):
            said.append((status, headers))
            return start_response(status, headers) if exc_info is None else start_response(status, headers, exc_info)

        response = self.application(environ, starting)
        answered = getattr(response, ANSWERED_FROM_COPY, None)
        if answered is not None and said and not response.streaming and self._may_keep(signature, response):
            token, shown = answered
            status, headers = said[-1]
            _sent.put(signature, (token, shown, status, tuple(headers), response.content))
        return response

    @staticmethod
    def _may_keep(signature, response):
        return len(response.content) <= ANSWER_BYTES_KEPT and all(
            value is None or len(value) <= SAID_KEPT for value in signature
        )

    @staticmethod
    def _is_current(environ, kept):
        """Whether the kept answer's token is current, and the companions let it be sent (the
        throttle counts the request then). Anything that goes wrong sends the request down the
        chain, which answers for it (a database or cache outage, say)."""
        # Django's request writes its decoded path into the environ it is given: the chain gets
        # the environ as the server made it.
        request = WSGIRequest(environ.copy())  # what the companions read: the method, the path, the client
        # A request answered here reads the state as a request does: with connections Django's
        # handler would have closed (too old, or broken) closed first.
        close_old_connections()
        try:
            state, values = content_state_and(*companion_keys(request), shown=kept[1])
            return state["token"] == kept[0] and companions_allow(request, values)
        except Exception:  # noqa: BLE001 - the chain meets the same error, and reports it
            logger.debug("The stored answers' front leaves a request to the chain", exc_info=True)
            return False
