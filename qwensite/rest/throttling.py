"""The anonymous clients' throttle, counted once per request, before the response cache answers.

A stored copy or a 304 never reaches a view, so an anonymous API request is counted before the
response cache (qwensite.freshness.middleware), once: by FrontCount when the front of the cache
answers it (the count is read in the cache's own round trip), else by ThrottleMiddleware; the
views' own throttle lets a counted request through.

The counts live in the configured cache (Redis: one count per client across every worker).
While that cache is unreachable they are kept in each process's memory instead: the limit then
holds per process (with N workers a client gets at most N times the rate) rather than not at all.
"""

import math

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache as configured_cache
from django.core.cache.backends.locmem import LocMemCache
from django.http import JsonResponse
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from qwensite.freshness.middleware import carries_credentials


class AnonymousBurstThrottle(AnonRateThrottle):
    """Requests per anonymous client, counted in the configured cache (Redis: shared by every worker).

    The client is REMOTE_ADDR, or the address the trusted proxies saw when ``NUM_PROXIES`` says
    how many there are, so a made-up ``X-Forwarded-For`` never earns a fresh allowance. The
    rate is read at each request, so that settings changes (and tests) take effect at once.
    """

    scope = "anon"
    process_cache = LocMemCache("qwensite-anonymous-throttle", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
    read = None  # (key, history) already read from the configured cache (FrontCount)

    @property
    def cache(self):
        """The configured cache, or this process's own while it is unreachable; with the
        client's history already read, that read is not made again."""
        if self.read is not None:
            return _AlreadyRead(configured_cache, *self.read)
        return configured_cache if getattr(configured_cache, "available", True) else self.process_cache

    def get_rate(self):
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError as exc:
            raise exceptions.ImproperlyConfigured(f"No throttle rate set for scope {self.scope!r}.") from exc

    def allow_request(self, request, view):
        if was_counted(getattr(request, "_request", request)):
            return True  # already counted by ThrottleMiddleware, before the response cache
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class _AlreadyRead:
    """A cache whose value at one key was read already (in the response cache's round trip)."""

    def __init__(self, cache, key, value):
        self._cache, self._key, self._value = cache, key, value

    def get(self, key, default=None):
        if key != self._key:
            return self._cache.get(key, default)
        return default if self._value is None else self._value

    def set(self, *args, **kwargs):
        return self._cache.set(*args, **kwargs)


COUNTED = "anonymous_throttle_counted"  # the request attribute that says ThrottleMiddleware counted it


def was_counted(request):
    """Whether ThrottleMiddleware already counted this request against the client's rate."""
    return getattr(request, COUNTED, False)


class ThrottleMiddleware:
    """Counts each anonymous GET or HEAD under the API's prefix once, before the response cache.

    Returns the 429 when the client is over its rate; otherwise marks the request counted, and
    the view's own throttle (AnonymousBurstThrottle) lets it through. Requests that carry
    credentials, and writes, are throttled by the view as usual.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_counted_anonymously(request) and not was_counted(request):
            refused = self.count(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    @staticmethod
    def count(request):
        _anonymous(request)
        throttle = AnonymousBurstThrottle()
        allowed = throttle.allow_request(request, None)
        setattr(request, COUNTED, True)
        if allowed:
            return None
        wait = math.ceil(throttle.wait() or 1)
        response = JsonResponse({"detail": f"Request was throttled. Expected available in {wait} seconds."}, status=429)
        response["Retry-After"] = str(wait)
        return response


def is_counted_anonymously(request):
    """An anonymous GET or HEAD under the API's prefix: counted before the response cache."""
    return (
        request.method in ("GET", "HEAD")
        and request.path.startswith(settings.API_PREFIX)
        and not carries_credentials(request)
    )


def _anonymous(request):
    if not hasattr(request, "user"):  # before AuthenticationMiddleware: no credentials, so anonymous
        request.user = AnonymousUser()


class FrontCount:
    """The throttle's count in the front of the response cache (settings.RESPONSE_CACHE_COMPANIONS):
    the client's history is read in the cache's one round trip; a request within the rate is
    counted and may be answered there; one over it goes down the chain to ThrottleMiddleware's 429."""

    def front_key(self, request):
        if not is_counted_anonymously(request) or not getattr(configured_cache, "available", True):
            return None
        _anonymous(request)
        return AnonymousBurstThrottle().get_cache_key(request, None)

    def front_answer(self, request, history):
        throttle = AnonymousBurstThrottle()
        throttle.read = (throttle.get_cache_key(request, None), history)
        if not throttle.allow_request(request, None):
            return False
        setattr(request, COUNTED, True)
        return True
