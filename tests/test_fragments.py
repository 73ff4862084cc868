"""Rows kept per entry version are kept per page too (qwensite.freshness.fragments)."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache

from qwensite.freshness import fragments


@pytest.fixture
def reads(monkeypatch):
    """The cache's reads, as (method, number of keys)."""
    calls, inside = [], []
    get, get_many = cache.get, cache.get_many

    def spied_get(key, *args, **kwargs):
        if not inside:  # a backend's get_many may call its get for each key
            calls.append(("get", 1))
        return get(key, *args, **kwargs)

    def spied_get_many(keys, *args, **kwargs):
        calls.append(("get_many", len(keys)))
        inside.append(True)
        try:
            return get_many(keys, *args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(cache, "get", spied_get)
    monkeypatch.setattr(cache, "get_many", spied_get_many)
    cache.clear()
    yield calls
    cache.clear()


def entries(count, version=1):
    return [SimpleNamespace(pk=n, version=version) for n in range(count)]


def kept(rows, computed):
    return fragments.kept_per_entry(
        "test-rows",
        rows,
        lambda entry: f"{entry.pk}|{entry.version}",
        lambda entry: computed.append(entry.pk) or f"row {entry.pk} v{entry.version}",
    )


def test_a_page_of_kept_rows_is_one_read(reads):
    page, computed = entries(20), []
    assert kept(page, computed) == [f"row {n} v1" for n in range(20)]
    assert len(computed) == 20
    reads.clear()
    assert kept(page, computed) == [f"row {n} v1" for n in range(20)]
    assert reads == [("get", 1)]  # the page, not its 20 rows
    assert len(computed) == 20  # nothing built again


def test_a_changed_row_is_built_alone_and_the_page_kept_anew(reads):
    page, computed = entries(20), []
    kept(page, computed)
    page[7] = SimpleNamespace(pk=7, version=2)
    computed.clear()
    reads.clear()
    rows = kept(page, computed)
    assert rows[7] == "row 7 v2"
    assert rows[6] == "row 6 v1"
    assert computed == [7]  # the 19 others were read, in one round trip
    assert reads == [("get", 1), ("get_many", 20)]
    reads.clear()
    assert kept(page, computed) == rows
    assert reads == [("get", 1)]


def test_the_same_rows_in_another_order_are_another_page(reads):
    page, computed = entries(5), []
    kept(page, computed)
    assert kept(list(reversed(page)), computed) == [f"row {n} v1" for n in reversed(range(5))]
    assert len(computed) == 5


def test_no_rows_read_nothing(reads):
    assert kept([], []) == []
    assert reads == []
