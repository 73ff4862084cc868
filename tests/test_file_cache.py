"""The cache on disk of the embedded default culls once every few writes (qwensite.freshness.filecache)."""

import os

from qwensite.freshness import filecache
from qwensite.freshness.filecache import SharedFileCache


def test_the_directory_is_listed_once_every_few_writes_not_on_each(tmp_path, monkeypatch):
    monkeypatch.setattr(filecache, "CULL_EVERY", 10)
    cache = SharedFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 1000}})
    listings = []
    real = SharedFileCache._list_cache_files
    monkeypatch.setattr(SharedFileCache, "_list_cache_files", lambda self: listings.append(1) or real(self))

    for n in range(25):
        cache.set(f"key-{n}", n)

    assert len(listings) == 3  # the 1st, 11th and 21st writes
    assert cache.get("key-24") == 24


def test_entries_past_the_maximum_are_culled_at_the_next_look(tmp_path, monkeypatch):
    monkeypatch.setattr(filecache, "CULL_EVERY", 5)
    cache = SharedFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 8, "CULL_FREQUENCY": 2}})

    for n in range(30):
        cache.set(f"key-{n}", n)

    assert len(list(tmp_path.glob("*.djcache"))) <= 8 + 5


def test_the_default_directory_is_in_memory_one_per_user_and_project(monkeypatch, tmp_path):
    memory = tmp_path / "shm"
    memory.mkdir()
    monkeypatch.setattr(filecache, "MEMORY", memory)

    here, there = filecache.default_directory("/srv/site"), filecache.default_directory("/srv/other")

    assert here.startswith(f"{memory}/qwensite-{os.getuid()}-")
    assert there != here
    assert filecache.default_directory("/srv/site") == here


def test_without_a_memory_file_system_the_default_directory_is_in_the_project(monkeypatch, tmp_path):
    monkeypatch.setattr(filecache, "MEMORY", tmp_path / "none")

    assert filecache.default_directory("/srv/site") == "/srv/site/var/cache"
