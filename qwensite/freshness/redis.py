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

``watch(prefix)`` gives each process Redis's own word that keys under a prefix were written
(InvalidationWatch: Redis's client-side caching, in broadcast mode), so that what changes only
with an edit, such as the content state, is read again only after a write.
"""

import functools
import logging
import os
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
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


class InvalidationWatch:
    """Redis's word, on a connection of this process's own, that keys under a prefix were written.

    The connection asks Redis to track the prefix in broadcast mode (``CLIENT TRACKING ON BCAST
    PREFIX``; with RESP2, redirected to its own subscription of ``__redis__:invalidate``): Redis
    then sends it a message for every write of such a key by anyone, and one for a flush.
    ``read()`` takes the messages already arrived (a poll of the socket, no round trip) and
    answers a number that changes with each, or None while the watch is not connected (the
    caller then reads Redis).
    Redis sends a write's invalidation in the same pass of its event loop as the writer's reply,
    so any request that follows an edit finds it waiting on the socket.

    A connection lost (or never made: a server that refuses CLIENT TRACKING) answers None, and is
    tried again ``retry_interval`` seconds later; each new connection changes the number, since
    messages may have been missed while it was away. A forked process makes its own.
    """

    CHANNEL = b"__redis__:invalidate"

    def __init__(self, pool, prefix, retry_interval):
        self.pool = pool
        self.prefix = prefix
        self.retry_interval = retry_interval
        self.connection = None
        self.client_id = None  # the connection's id on the server (CLIENT ID)
        self.pid = None
        self.seen = 0
        self.retry_at = 0.0

    def read(self):
        if (self.connection is None or self.pid != os.getpid()) and not self._connect():
            return None
        try:
            while self.connection.can_read(timeout=0):
                # Nothing else is ever sent on this connection: whatever arrives is an invalidation
                # (RESP3 delivers them as pushes, which redis-py's parser reads as None).
                self.connection.read_response(push_request=True)
                self.seen += 1
        except (*UNAVAILABLE, OSError) as error:
            self._lost(error)
            return None
        return self.seen

    def written(self):
        """Redis tells every watch itself, this process's too: nothing to do."""

    def _connect(self):
        if time.monotonic() < self.retry_at:
            return False
        self.connection, self.pid = None, os.getpid()
        connection = self.pool.connection_class(**self.pool.connection_kwargs)
        try:
            connection.connect()
            connection.send_command("CLIENT", "ID")
            client_id = connection.read_response()
            if str(connection.protocol) == "2":  # RESP2: invalidations redirected to this connection's own subscription
                connection.send_command(
                    "CLIENT", "TRACKING", "ON", "REDIRECT", client_id, "BCAST", "PREFIX", self.prefix
                )
                connection.read_response()
                connection.send_command("SUBSCRIBE", self.CHANNEL)
                connection.read_response()
            else:  # RESP3 (redis-py's default): invalidations are pushed on this connection
                connection.send_command("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", self.prefix)
                connection.read_response()
        except (*UNAVAILABLE, OSError, RedisError) as error:
            connection.disconnect()
            self._lost(error)
            return False
        self.connection, self.client_id = connection, client_id
        self.seen += 1  # whatever was read before this connection may have been written since
        return True

    def _lost(self, error):
        logger.warning(
            "Redis invalidations unavailable for %ss; the state is read at every request: %s",
            self.retry_interval,
            error,
        )
        if self.connection is not None:
            self.connection.disconnect()
        self.connection = None
        self.seen += 1
        self.retry_at = time.monotonic() + self.retry_interval


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
        self._watches = {}

    def watch(self, prefix):
        """The InvalidationWatch of the keys under ``prefix`` (made once per backend)."""
        watch = self._watches.get(prefix)
        if watch is None:
            pool = self._cache._get_connection_pool(write=True)  # the server every write goes to
            watch = self._watches[prefix] = InvalidationWatch(pool, self.make_key(prefix), self.retry_interval)
        return watch

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

    @_degrades_to(lambda key, delta, timeout: delta)
    def add_to_count(self, key, delta, timeout):
        """Add ``delta`` to the count at ``key``, which is made with ``timeout`` seconds to live
        when there is none: the sum, in one round trip (``SET NX`` then ``INCRBY``, pipelined),
        where Django's ``add`` and ``incr`` take three. While Redis is unavailable: ``delta``,
        as for a count just made."""
        key = self.make_and_validate_key(key)
        pipeline = self._cache.get_client(key, write=True).pipeline(transaction=False)
        pipeline.set(key, 0, ex=self.get_backend_timeout(timeout), nx=True)
        pipeline.incrby(key, delta)
        return pipeline.execute()[1]

    @_degrades_to(lambda data, *args, **kwargs: list(data))
    def set_many(self, *args, **kwargs):
        return super().set_many(*args, **kwargs)

    @_degrades_to(lambda *args, **kwargs: None)
    def delete_many(self, *args, **kwargs):
        return super().delete_many(*args, **kwargs)

    @_degrades_to(lambda *args, **kwargs: None)
    def clear(self):
        return super().clear()
