"""A mark every process of one machine sees change, through a memory-mapped file.

With the cache on disk (the embedded default: no Redis, several worker processes of one
machine), reading the content state is a file read per key on every request: opened, read,
unpickled, decompressed. The state changes only with an edit, so each process keeps the state
it read last beside the mark it read just before (qwensite.freshness.state), and reads the files
again only once the mark has moved. Whoever writes the state writes its files first and then a
new mark: a reader that sees the old mark after that write is one that read it before; the
next request of every process sees the new one.

A mark is 8 random bytes, not a counter: two writers at once need no lock (whichever mark
stays, it is new to every reader), and a read that races a write (a torn read, half old and
half new) is a value no one kept, which costs one more read of the files and nothing else.
A page of shared memory is read without a system call, so the check costs next to nothing.
"""

import mmap
import os
import threading

SIZE = 8


class SharedMark:
    """The mark in the file at ``path`` (made, with its folder, on first use)."""

    def __init__(self, path):
        self.path = path
        self._map = None
        self._pid = None
        self._lock = threading.Lock()

    def _mapped(self):
        if self._map is None or self._pid != os.getpid():
            with self._lock:
                if self._map is None or self._pid != os.getpid():
                    os.makedirs(os.path.dirname(self.path), exist_ok=True)
                    fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                    try:
                        if os.fstat(fd).st_size < SIZE:
                            os.ftruncate(fd, SIZE)  # a new file reads as zeros, a mark no writer makes
                        self._map = mmap.mmap(fd, SIZE)
                    finally:
                        os.close(fd)  # the mapping keeps the file
                    self._pid = os.getpid()
        return self._map

    def read(self):
        """The mark as it stands (bytes)."""
        return self._mapped()[:SIZE]

    def move(self):
        """A new mark, after the shared data it stands for was written."""
        self._mapped()[:SIZE] = os.urandom(SIZE)

    written = move  # what the content state calls after each write of its keys
