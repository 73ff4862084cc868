"""The machine's mark (qwensite.freshness.mark): with the cache on disk, each process reads the
content state's keys again only once the mark moved, and every write of the state moves it."""

import multiprocessing

import pytest
from django.core.cache import caches

from qwensite.freshness.mark import SharedMark
from qwensite.freshness.state import (
    KIND_KEY,
    STATE_KEY,
    STATE_TIMEOUT,
    content_changed,
    content_state,
    content_state_and,
)
from tests.factories import ArticleFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


def _move_in_a_child(path):
    SharedMark(path).move()


def test_a_mark_moved_in_another_process_is_read_here(tmp_path):
    path = str(tmp_path / "marks" / "content-state.mark")
    here = SharedMark(path)
    before = here.read()

    child = multiprocessing.get_context("fork").Process(target=_move_in_a_child, args=(path,))
    child.start()
    child.join(10)

    assert child.exitcode == 0
    assert here.read() != before


def test_a_new_mark_reads_as_zeros_and_each_move_is_new(tmp_path):
    mark = SharedMark(str(tmp_path / "content-state.mark"))
    seen = {mark.read()}
    for _ in range(20):
        mark.move()
        seen.add(mark.read())

    assert bytes(8) in seen
    assert len(seen) == 21


@pytest.fixture
def state_reads(settings, tmp_path, record_state_reads):
    """The state's keys each get_many of the configured cache asks for, with a machine's mark."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "mark"}}
    settings.CONTENT_STATE_MARK = str(tmp_path / "content-state.mark")
    caches["default"].clear()  # local memory of one name is one store, whichever test made it
    return record_state_reads(caches["default"])


def test_the_state_is_read_once_until_the_mark_moves(state_reads, settings):
    ReleaseFactory()
    first = content_state()
    state_reads.clear()

    again = [content_state() for _ in range(3)]

    assert again == [first] * 3
    assert state_reads == []

    SharedMark(settings.CONTENT_STATE_MARK).move()  # another process wrote the state
    assert content_state() == first
    assert len(state_reads) == 1
    assert STATE_KEY in state_reads[0]


def test_an_edit_in_another_process_is_seen_at_the_next_read(state_reads, settings):
    release = ReleaseFactory()
    entry, before = content_state()["kinds"]["releases"], content_state()["token"]
    # Another process's edit: its keys written in the shared cache, then its mark moved.
    caches["default"].set(KIND_KEY + "releases", {**entry, "token": "elsewhere"}, STATE_TIMEOUT)
    SharedMark(settings.CONTENT_STATE_MARK).move()

    assert content_state()["kinds"]["releases"]["token"] == "elsewhere"
    release.save()
    assert content_state()["token"] not in (before, "elsewhere")


def test_every_write_of_the_state_moves_the_mark(state_reads, settings):
    mark = SharedMark(settings.CONTENT_STATE_MARK)
    content_state()
    seen = mark.read()

    ArticleFactory()
    assert mark.read() != seen
    seen = mark.read()

    content_changed(kinds_changed=["releases"])
    assert mark.read() != seen


def test_only_the_keys_not_read_under_this_mark_are_read(state_reads):
    content_state()  # built and written: the mark moved
    content_state_and(shown=("releases",))  # read under the new mark
    state_reads.clear()

    _state, values = content_state_and("response:v3:some-page", shown=("articles",))

    assert values == {}
    assert state_reads == [[KIND_KEY + "articles"]]  # with the page's key, in the same round trip


def test_without_a_mark_every_read_asks_the_cache(settings, state_reads):
    settings.CONTENT_STATE_MARK = ""
    content_state()
    state_reads.clear()

    content_state()
    content_state()

    assert len(state_reads) == 2


class CountingWatch:
    """A watch that has seen ``word`` messages (as each thread's own Redis watch counts its own)."""

    def __init__(self, word):
        self.word = word

    def read(self):
        return self.word

    def written(self):
        pass


def test_what_was_read_under_one_watch_is_not_used_under_another_with_the_same_word(monkeypatch, state_reads):
    from qwensite.freshness import state

    first, second = CountingWatch(5), CountingWatch(5)
    monkeypatch.setattr(state, "_watch", lambda: first)
    content_state()
    content_state()
    state_reads.clear()

    monkeypatch.setattr(state, "_watch", lambda: second)
    content_state()

    assert len(state_reads) == 1  # the other watch's word says nothing of what the first one saw
