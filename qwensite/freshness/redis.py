"""A Redis cache that degrades to cache misses when Redis is unreachable.

Django's RedisCache raises on a refused or timed-out connection, which would turn a
cache outage into a site outage. ResilientRedisCache treats those errors as misses
(reads return the default, writes do nothing), logs a warning, and for
``retry_interval`` seconds afterwards does not try Redis at all, so a dead server costs
each request nothing rather than a socket timeout per cache call. Pair it with short
``socket_connect_timeout``/``socket_timeout`` OPTIONS (see settings).

Django's client builds a new ``redis.Redis`` for every cache call (its command table copied
each time: about 60-100 microseconds, as much as a round trip on loopback). Here each server's
client is built once per process and shared by its threads, as redis-py allows: the
connections stay in the server's pool, which redis-py resets in a forked child.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("qwensite.freshness.redis")

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)


def _degrades_to(fallback):
    """Run the operation against Redis; while Redis is unavailable, answer fallback(args) instead."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if self._down_until > time.monotonic():
                return fallback(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except UNAVAILABLE as error:
                self._mark_down(error)
                return fallback(*args, **kwargs)
            if self._down_until:
                self._recovered()
            return result

        return wrapper

    return decorate


def _missing_key(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found (cache unavailable).")


class ReusedClients(RedisCacheClient):
    """Django's Redis cache client, with one ``redis.Redis`` per server (per connection pool)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    retry_interval = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClients
        self._down_until = 0.0

    @property
    def available(self):
        """False while Redis is treated as unreachable (for ``retry_interval`` after a failure)."""
        return self._down_until <= time.monotonic()

    def _mark_down(self, error):
        logger.warning("Redis cache unavailable, serving without it for %ss: %s", self.retry_interval, error)
        self._down_until = time.monotonic() + self.retry_interval

    def _recovered(self):
        """Redis answers again. Invalidations written while it was away were lost, so drop the
        content state: it is rebuilt from the data, and every key built on the old token
        (stored pages, page counts) becomes unreachable. Other keys (throttle counts) stay."""
        from qwensite.freshness.state import STATE_KEY

        self._down_until = 0.0
        try:
            super().delete(STATE_KEY)
        except UNAVAILABLE as error:
            self._mark_down(error)
            return
        logger.warning("Redis cache reachable again; the content state is rebuilt from the data.")

    @_degrades_to(lambda key, default=None, *args, **kwargs: default)
    def get(self, *args, **kwargs):
        return super().get(*args, **kwargs)

    @_degrades_to(lambda *args, **kwargs: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_degrades_to(lambda *args, **kwargs: None)
    def set(self, *args, **kwargs):
        return super().set(*args, **kwargs)

    @_degrades_to(lambda *args, **kwargs: False)
    def add(self, *args, **kwargs):
        return super().add(*args, **kwargs)

    @_degrades_to(lambda *args, **kwargs: False)
    def touch(self, *args, **kwargs):
        return super().touch(*args, **kwargs)

    @_degrades_to(lambda *args, **kwargs: False)
    def delete(self, *args, **kwargs):
        return super().delete(*args, **kwargs)

    @_degrades_to(lambda *args, **kwargs: False)
    def has_key(self, *args, **kwargs):
        return super().has_key(*args, **kwargs)

    @_degrades_to(_missing_key)
    def incr(self, *args, **kwargs):
        return super().incr(*args, **kwargs)

    @_degrades_to(lambda data, *args, **kwargs: list(data))
    def set_many(self, *args, **kwargs):
        return super().set_many(*args, **kwargs)

    @_degrades_to(lambda *args, **kwargs: None)
    def delete_many(self, *args, **kwargs):
        return super().delete_many(*args, **kwargs)

    @_degrades_to(lambda *args, **kwargs: None)
    def clear(self):
        return super().clear()
