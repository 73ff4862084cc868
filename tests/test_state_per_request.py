"""A request reads the content state as it began: the watch that says whether the state was
written is asked once per request, and at every read outside one (qwensite.freshness.state)."""

import pytest

from qwensite.freshness import state
from tests.factories import ReleaseFactory

pytestmark = pytest.mark.django_db


class CountingWatch:
    """A watch whose word moves with each write of the state, counting how often it is asked."""

    def __init__(self):
        self.asked = 0
        self.word = 0

    def read(self):
        self.asked += 1
        return self.word

    def written(self):
        self.word += 1


@pytest.fixture
def watch(monkeypatch, settings):
    settings.RESPONSE_CACHE_ENABLED = False  # every page drawn: a catalogue reads the state three times
    counting = CountingWatch()
    monkeypatch.setattr(state, "_watch", lambda: counting)
    ReleaseFactory()
    return counting


def test_a_request_asks_the_watch_once_however_often_it_reads_the_state(client, watch):
    client.get("/releases/")  # the state built and written
    watch.asked = 0

    for _ in range(2):
        assert client.get("/releases/").status_code == 200

    assert watch.asked == 2


def test_a_request_reads_what_another_process_wrote_before_it_began(client, watch):
    from django.core.cache import cache

    etag = client.get("/releases/")["ETag"]
    # Another process renews the catalogue's tokens: the cache holds them, and the watch moves.
    key = state.KIND_KEY + "releases"
    cache.set(key, {**cache.get(key), "token": "written-by-another-process"}, state.STATE_TIMEOUT)
    watch.word += 1

    assert client.get("/releases/")["ETag"] != etag


def test_outside_a_request_the_watch_is_asked_at_every_read(watch):
    state.content_state()
    watch.asked = 0

    state.content_state()
    state.content_state()

    assert watch.asked == 2
