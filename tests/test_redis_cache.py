"""The Redis cache's client (qwensite.freshness.redis): built once per server and process; its
counts (the API throttle's) added to in one round trip."""

import pytest
from django.conf import settings
from redis.client import Pipeline

from qwensite.freshness.redis import ResilientRedisCache

NO_SERVER = "redis://127.0.0.1:9/0"  # a client connects only when it sends a command


def test_a_servers_client_is_built_once_and_shared_by_every_call():
    client = ResilientRedisCache(NO_SERVER, {})._cache

    first = client.get_client("a key")

    assert client.get_client("another key") is first
    assert client.get_client("a key", write=True) is first
    assert first.connection_pool is client._get_connection_pool(write=False)


def test_each_server_has_its_own_client():
    client = ResilientRedisCache([NO_SERVER, "redis://127.0.0.1:9/1"], {})._cache

    writer = client.get_client(write=True)  # the first server
    reader = client.get_client()  # the other one: reads go to the servers after the first

    assert reader is not writer
    assert reader.connection_pool.connection_kwargs["db"] == 1
    assert client.get_client() is reader


@pytest.fixture
def suite_redis():
    """A cache on the suite's Redis (settings.TEST_REDIS_URL), emptied."""
    assert settings.TEST_REDIS_URL, "these tests need Redis: set REDIS_TEST_URL (`make test` does)"
    cache = ResilientRedisCache(settings.TEST_REDIS_URL, {"KEY_PREFIX": settings.TEST_CACHE_KEY_PREFIX})
    cache.clear()
    return cache


def test_a_count_is_made_with_its_time_to_live_and_added_to_in_one_round_trip(suite_redis, monkeypatch):
    round_trips = []
    execute = Pipeline.execute

    def counted(pipeline, *args, **kwargs):
        round_trips.append(len(pipeline))
        return execute(pipeline, *args, **kwargs)

    monkeypatch.setattr(Pipeline, "execute", counted)

    assert suite_redis.add_to_count("count", 5, 60) == 5
    assert suite_redis.add_to_count("count", 3, 600) == 8
    assert round_trips == [2, 2]  # each addition: one pipeline of two commands
    assert suite_redis.get("count") == 8  # an integer to Django's get, as its incr leaves it
    assert suite_redis.incr("count", 2) == 10
    ttl = suite_redis._cache.get_client(write=True).ttl(suite_redis.make_key("count"))
    assert 0 < ttl <= 60  # set when the count was made, not moved by the additions


def test_a_count_while_redis_is_unreachable_is_what_was_added():
    cache = ResilientRedisCache(NO_SERVER, {"OPTIONS": {"socket_connect_timeout": 0.5}})

    assert cache.add_to_count("count", 7, 60) == 7
    assert not cache.available
