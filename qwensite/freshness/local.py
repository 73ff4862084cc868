"""Values this process keeps in memory beside the shared cache, for keys that name their content.

A key that names a value's content (a digest of the content state's token and what was derived
from it, or of the versions of the entries a page's rows were drawn from) always names the same
value: the value kept in memory under it cannot go stale, so a process asks the shared cache for
it only once, and no request after that pays a read of the cache on disk (a file opened, read,
decompressed and unpickled) or a round trip to Redis for it. Each store keeps its most recently
used values, at most ``size``; ``forget_local()`` empties every store (after the cache is cleared,
as between tests: an operator's clear leaves what processes keep, as it leaves their stored
answers, until they restart or the keys fall out).

The values are shared by every request of the process: whoever reads one must not change it.
A store may also keep values that are checked at each use instead: the stored answers
(qwensite.freshness.middleware and .front) are kept with the token of the content state they
were stored under, and used only while it is current.
"""

import threading
from collections import OrderedDict

from django.core.cache import cache

_stores = []


class LocalStore:
    """The last ``size`` values kept under content-naming keys, in this process."""

    def __init__(self, size):
        self.size = size
        self._values = OrderedDict()
        self._lock = threading.Lock()  # for servers that run requests in threads
        _stores.append(self)

    def get(self, key):
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
        return value

    def put(self, key, value):
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            if len(self._values) > self.size:
                self._values.popitem(last=False)

    def through(self, key, compute, timeout):
        """The value under ``key``: kept here, else read from the shared cache, else
        ``compute()`` written there for ``timeout`` seconds; kept here from then on."""

        def shared():
            value = cache.get(key)
            if value is None:
                value = compute()
                cache.set(key, value, timeout)
            return value

        return self.made(key, shared)

    def made(self, key, make):
        """The value under ``key``: kept here, else ``make()``, kept here from then on."""
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value

    def clear(self):
        with self._lock:
            self._values.clear()


def forget_local():
    """Empty every store of this process."""
    for store in _stores:
        store.clear()
