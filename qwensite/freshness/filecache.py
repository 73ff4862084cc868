"""The cache on disk that every worker process of one machine shares (the embedded default).

Django's FileBasedCache lists every file of its directory on each write, to decide whether to
cull: with thousands of entries (stored pages, rows, representations, the API throttle's counts)
that listing cost more than the write, and an API answer writes once (its throttle count).
Here each process looks at the count once every ``CULL_EVERY`` writes instead, so the directory
may hold up to that many entries more per process than MAX_ENTRIES before a cull brings it back.

Its directory is in memory where the machine has a memory file system for it (/dev/shm on
Linux), else under the project's var/: the cache is disposable (the content state is rebuilt
from the database), and on a journalled disk a write, a file renamed over another, now and then
waits for the journal: stalls of 70 to 700 ms were measured under load here, against none in
memory.
"""

import hashlib
import os
from pathlib import Path

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 200
MEMORY = Path("/dev/shm")


def default_directory(base_dir):
    """The cache's directory when DJANGO_CACHE_DIR names none: in memory, one per user and
    project, or ``var/cache`` in the project."""
    if MEMORY.is_dir() and os.access(MEMORY, os.W_OK):
        project = hashlib.blake2b(str(base_dir).encode(), digest_size=4).hexdigest()
        return str(MEMORY / f"qwensite-{os.getuid()}-{project}")
    return str(Path(base_dir) / "var" / "cache")


class SharedFileCache(FileBasedCache):
    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._writes = 0

    def _cull(self):
        self._writes += 1
        if self._writes % CULL_EVERY == 1:
            super()._cull()
