"""With Redis, each process reads the content state again only once Redis says it was written
(qwensite.freshness.redis.InvalidationWatch). These tests run on the suite's Redis in both runs
(settings.TEST_REDIS_URL: REDIS_TEST_URL, which `make test` sets, or REDIS_URL)."""

import pytest
from django.conf import settings
from django.core.cache import caches

from qwensite.freshness.redis import ResilientRedisCache
from qwensite.freshness.state import KIND_KEY, STATE_KEY, STATE_TIMEOUT, content_state
from tests.factories import ReleaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache(settings):
    """This process's cache on the suite's Redis, emptied."""
    assert settings.TEST_REDIS_URL, "these tests need Redis: set REDIS_TEST_URL (`make test` does)"
    settings.CACHES = {
        "default": {
            "BACKEND": "qwensite.freshness.redis.ResilientRedisCache",
            "LOCATION": settings.TEST_REDIS_URL,
            "KEY_PREFIX": settings.TEST_CACHE_KEY_PREFIX,
        }
    }
    backend = caches["default"]
    backend.clear()
    return backend


@pytest.fixture
def other_process(redis_cache):
    """Another app server's cache: the same Redis and prefix, its own connections."""
    return ResilientRedisCache(settings.TEST_REDIS_URL, {"KEY_PREFIX": settings.TEST_CACHE_KEY_PREFIX})


@pytest.fixture
def state_reads(redis_cache, record_state_reads):
    """The state's keys each get_many of this process's cache asks Redis for."""
    return record_state_reads(redis_cache)


def arrived(redis_cache):
    """Wait (a second at most) until Redis's message is on the watch's socket, as it is for any
    request that follows an edit's response."""
    return redis_cache.watch(STATE_KEY).connection.can_read(timeout=1)


def test_the_state_is_read_once_until_another_process_writes_it(redis_cache, other_process, state_reads):
    ReleaseFactory()
    content_state()
    first = content_state()
    state_reads.clear()

    assert [content_state() for _ in range(3)] == [first] * 3
    assert state_reads == []

    entry = first["kinds"]["releases"]
    other_process.set(KIND_KEY + "releases", {**entry, "token": "written elsewhere"}, STATE_TIMEOUT)
    assert arrived(redis_cache)

    assert content_state()["kinds"]["releases"]["token"] == "written elsewhere"
    assert len(state_reads) == 1


def test_a_flush_of_redis_is_a_new_state_at_the_next_read(redis_cache, other_process, state_reads):
    ReleaseFactory()
    content_state()
    content_state()
    state_reads.clear()

    other_process.clear()
    assert arrived(redis_cache)
    content_state()

    assert state_reads
    assert redis_cache.get(STATE_KEY) is not None  # rebuilt from the data and written again


def test_a_lost_watch_reads_the_state_at_every_request(redis_cache, other_process, state_reads):
    ReleaseFactory()
    content_state()
    content_state()
    watch = redis_cache.watch(STATE_KEY)
    other_process._cache.get_client(write=True).client_kill_filter(_id=watch.client_id)
    state_reads.clear()

    content_state()
    content_state()

    assert len(state_reads) == 2
    assert watch.connection is None
