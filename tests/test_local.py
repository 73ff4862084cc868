"""What a process keeps in memory beside the shared cache, under keys that name their content
(qwensite.freshness.local): derived values of a content state, and pages of kept rows."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache

from qwensite.freshness.fragments import KeptRows, kept_per_entry
from qwensite.freshness.local import LocalStore, forget_local
from qwensite.freshness.state import forget_state, remember
from tests.factories import ReleaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reads(monkeypatch):
    """The shared cache's reads of single keys."""
    calls = []
    get = cache.get
    monkeypatch.setattr(cache, "get", lambda key, *args, **kwargs: calls.append(key) or get(key, *args, **kwargs))
    return calls


def test_a_store_keeps_its_last_used_values():
    store = LocalStore(2)
    store.put("a", 1)
    store.put("b", 2)
    assert store.get("a") == 1  # used: "b" is now the oldest
    store.put("c", 3)

    assert (store.get("a"), store.get("b"), store.get("c")) == (1, None, 3)
    forget_local()
    assert store.get("a") is None


def test_a_remembered_value_is_read_from_the_cache_once_per_process_and_state(reads):
    computed = []

    def compute():
        computed.append(1)
        return ["the value"]

    assert remember("test-local", compute) == ["the value"]
    reads.clear()

    assert remember("test-local", compute) == ["the value"]
    assert [key for key in reads if key.startswith("derived:")] == []  # kept by the process
    assert computed == [1]

    ReleaseFactory()  # an edit: another state, another key
    assert remember("test-local", compute) == ["the value"]
    assert computed == [1, 1]


def test_a_state_rebuilt_from_the_data_forgets_what_the_process_keeps():
    computed = []
    remember("test-rebuilt", lambda: computed.append(1) or "value")
    cache.clear()
    forget_state()  # the next read finds no state: it is rebuilt from the data

    remember("test-rebuilt", lambda: computed.append(1) or "value")

    assert computed == [1, 1]


def test_a_page_of_kept_rows_is_read_from_the_cache_once_per_process(reads):
    entries = [SimpleNamespace(pk=n, version=1) for n in range(3)]
    version = lambda entry: f"{entry.pk}|{entry.version}"  # noqa: E731
    kept_per_entry("test-local-rows", entries, version, lambda entry: f"row {entry.pk}")
    rows = KeptRows("test-local-rows", version, ())
    reads.clear()

    first, again = rows.get(entries), rows.get(entries)

    assert first == again == ["row 0", "row 1", "row 2"]
    assert first.name == again.name
    assert len(reads) == 1  # the first lookup only
    changed = [SimpleNamespace(pk=0, version=2), *entries[1:]]
    assert rows.get(changed) is None  # another version of a row: another page, not kept
