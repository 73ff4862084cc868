"""The cache on disk that every worker process of one machine shares (the embedded default).

Django's FileBasedCache lists every file of its directory on each write, to decide whether to
cull: with thousands of entries (stored pages, rows, representations, the API throttle's counts)
that listing cost more than the write, and an API answer writes once (its throttle count).
Here each process looks at the count once every ``CULL_EVERY`` writes instead, so the directory
may hold up to that many entries more per process than MAX_ENTRIES before a cull brings it back.
"""

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 200


class SharedFileCache(FileBasedCache):
    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._writes = 0

    def _cull(self):
        self._writes += 1
        if self._writes % CULL_EVERY == 1:
            super()._cull()
