"""The anonymous clients' throttle, counted once per request, before the response cache answers.

A stored copy or a 304 never reaches a view, so an anonymous API request is counted before the
response cache (qwensite.freshness.middleware), once: by FrontCount when the front of the cache
answers it (the counts, when they must be read, in the cache's own round trip), else by
ThrottleMiddleware; the views' own throttle lets a counted request through.

The count is a sliding-window counter: a client's requests in the current fixed window of the
rate's duration, plus those of the previous window weighted by the share of it that the window
ending now still covers. That is two integers per client, whatever the rate, where DRF's
SimpleRateThrottle keeps, and writes back on every request, the time of each request in the
window (at a high rate, thousands of them). Each process adds its own requests to the shared
count every ``batch_of(rate)`` requests of a client (each request up to 63 per duration, then a
32nd of the rate, at most 64 at a time), and learns the shared count from that write (the
cache's incr answers the sum; with Redis the write is one round trip, ResilientRedisCache's
add_to_count). Between its writes it decides with the counts it last learnt and
its own unwritten requests, and it reads the counts only for a client it knows nothing of in
the current window. So with P processes a client may get up to P x batch requests more than its
rate (a 32nd of the rate per process: each may admit one batch on a count the others have raised
since), and a process answers most requests with neither a read nor a write of the cache.

The counts live in the configured cache (Redis: one count per client across every worker).
While that cache is unreachable they are kept in each process's memory instead: the limit then
holds per process (with N workers a client gets at most N times the rate) rather than not at all.
"""

import functools
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

PENDING_KEPT = 10_000  # clients whose unwritten counts a process keeps before it writes them all


def batch_of(num_requests):
    """Requests of one client a process counts before it adds them to the shared count."""
    return max(1, min(64, num_requests // 32))


# This process's requests not yet added to the shared counts, per client and rate (a change of
# the rate starts from the shared count), with the shared counts of the window and the one
# before it as this process last learnt them (None: read them):
# {(client key, rate): (window, requests, (previous, current) or None)}.
_pending = {}


def forget_counts():
    """Drop what this process knows of the shared counts, and its unwritten requests (after the
    cache is cleared, as between tests)."""
    _pending.clear()


class _AddressOnly:
    """What DRF's get_ident reads of a request: META, and the one header it asks for."""

    __slots__ = ("META", "headers")

    def __init__(self, meta):
        self.META = meta
        forwarded = meta.get("HTTP_X_FORWARDED_FOR")
        self.headers = {} if forwarded is None else {"x-forwarded-for": forwarded}


class AnonymousBurstThrottle(AnonRateThrottle):
    """Requests per anonymous client, counted in the configured cache (Redis: shared by every worker).

    The client is REMOTE_ADDR, or the address the trusted proxies saw when ``NUM_PROXIES`` says
    how many there are, so a made-up ``X-Forwarded-For`` never earns a fresh allowance. The
    rate is read at each request, so that settings changes (and tests) take effect at once.
    """

    scope = "anon"
    process_cache = LocMemCache("qwensite-anonymous-throttle", {"OPTIONS": {"MAX_ENTRIES": 10_000}})

    @property
    def counts(self):
        """The configured cache, or this process's own while it is unreachable."""
        return configured_cache if getattr(configured_cache, "available", True) else self.process_cache

    def __init__(self):
        """Nothing read yet: window_keys reads the rate at each request (DRF's own __init__
        parses it once more, for nothing)."""

    @staticmethod
    @functools.lru_cache(maxsize=32)
    def parse_rate(rate):
        """DRF's (requests, seconds) of a rate such as "600/minute", parsed once per rate."""
        return AnonRateThrottle.parse_rate(None, rate)

    def get_ident(self, request):
        """DRF's client address, from ``request.META`` alone: DRF reads ``request.headers``, which
        copies every header first (a third of a stored answer's time at the front)."""
        return super().get_ident(_AddressOnly(request.META))

    def get_rate(self):
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError as exc:
            raise exceptions.ImproperlyConfigured(f"No throttle rate set for scope {self.scope!r}.") from exc

    def window_keys(self, request):
        """The cache keys of the client's previous and current windows to read ([] when this process
        knows their counts already), or None when the request is not throttled (no rate, or a client
        that is not anonymous)."""
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.client = None if self.rate is None else self.get_cache_key(request, None)
        if self.client is None:
            return None
        self.now = self.timer()
        self.window = int(self.now // self.duration)
        self.elapsed = self.now - self.window * self.duration
        window, _pending_requests, known = _pending.get((self.client, self.rate), (None, 0, None))
        if window == self.window and known is not None:
            return []
        return [f"{self.client}:{self.window - 1}", f"{self.client}:{self.window}"]

    def allow_request(self, request, view):
        if was_counted(getattr(request, "_request", request)):
            return True  # already counted by ThrottleMiddleware, before the response cache
        keys = self.window_keys(request)
        return True if keys is None else self.allow_with(self.counts.get_many(keys) if keys else {})

    def allow_with(self, counts):
        """Whether the client is within its rate, given the shared ``counts`` of its two windows
        (read already, or {} when window_keys asked for none); a request allowed is counted."""
        mine = (self.client, self.rate)
        window, pending, known = _pending.pop(mine, (self.window, 0, None))
        written_since_read = 0
        if window != self.window:  # this process's requests of an earlier window: written now
            self._add(f"{self.client}:{window}", pending)
            written_since_read = pending if window == self.window - 1 else 0
            pending, known = 0, None
        if known is None:
            previous, current = (counts.get(f"{self.client}:{self.window + step}", 0) for step in (-1, 0))
            previous += written_since_read  # the counts were read before that write
            known = (previous, current)
        else:
            previous, current = known
        self.previous, self.current = previous, current + pending
        allowed = self.previous * (1 - self.elapsed / self.duration) + self.current < self.num_requests
        if allowed:
            pending += 1
            self.current += 1
            if pending >= batch_of(self.num_requests):
                known = (previous, self._add(f"{self.client}:{self.window}", pending))
                pending = 0
        if len(_pending) >= PENDING_KEPT:
            self._write_pending()
        _pending[mine] = (self.window, pending, known)
        return allowed

    def _add(self, key, requests):
        """Add ``requests`` to the shared count at ``key``: the count after the addition."""
        counts = self.counts
        # The window's count outlives the window by one more, for the window after it.
        if hasattr(counts, "add_to_count"):  # a cache that does it in one round trip (Redis's)
            return counts.add_to_count(key, requests, 2 * self.duration)
        if counts.add(key, requests, 2 * self.duration):
            return requests
        try:
            return counts.incr(key, requests)
        except ValueError:  # it expired between the two calls
            counts.set(key, requests, 2 * self.duration)
            return requests

    def _write_pending(self):
        for (client, _), (window, pending, _known) in list(_pending.items()):
            if pending:
                self._add(f"{client}:{window}", pending)
        _pending.clear()

    def wait(self):
        """Seconds until the client's count is below its rate again."""
        to_next_window = self.duration - self.elapsed
        if self.current >= self.num_requests:
            # Next window, this one is the previous: its weight must fall below rate / count.
            return to_next_window + self.duration * (1 - self.num_requests / self.current)
        # This window: the previous one's weight must fall until the sum is below the rate.
        if not self.previous:
            return 0.0
        return max(0.0, self.duration * (1 - (self.num_requests - self.current) / self.previous) - self.elapsed)


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


COUNTED_ANONYMOUSLY = "anonymous_throttle_applies"  # the request attribute keeping is_counted_anonymously's answer


def is_counted_anonymously(request):
    """An anonymous GET or HEAD under the API's prefix: counted before the response cache.
    Worked out once per request (the front, its companion and ThrottleMiddleware all ask)."""
    applies = getattr(request, COUNTED_ANONYMOUSLY, None)
    if applies is None:
        applies = (
            request.method in ("GET", "HEAD")
            and request.path.startswith(settings.API_PREFIX)
            and not carries_credentials(request)
        )
        setattr(request, COUNTED_ANONYMOUSLY, applies)
    return applies


def _anonymous(request):
    if not hasattr(request, "user"):  # before AuthenticationMiddleware: no credentials, so anonymous
        request.user = AnonymousUser()


class FrontCount:
    """The throttle's count in the front of the response cache (settings.RESPONSE_CACHE_COMPANIONS):
    the client's counts are read in the cache's one round trip when this process must read them;
    a request within the rate is counted and may be answered there; one over it goes down the
    chain to ThrottleMiddleware's 429."""

    THROTTLE = "anonymous_throttle_front"  # the request attribute holding the throttle the front read for

    def front_keys(self, request):
        if not is_counted_anonymously(request) or not getattr(configured_cache, "available", True):
            return []
        _anonymous(request)
        throttle = AnonymousBurstThrottle()
        keys = throttle.window_keys(request)
        if keys is None:
            return []
        setattr(request, self.THROTTLE, throttle)
        return keys

    def front_answer(self, request, values):
        if not is_counted_anonymously(request):
            return True
        throttle = getattr(request, self.THROTTLE, None)
        if throttle is not None:
            allowed = throttle.allow_with(values)
        else:  # the configured cache is unreachable: counted in this process's own
            _anonymous(request)
            allowed = AnonymousBurstThrottle().allow_request(request, None)
        if not allowed:
            return False
        setattr(request, COUNTED, True)
        return True
