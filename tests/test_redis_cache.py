"""The Redis cache's client (qwensite.freshness.redis): built once per server and process."""

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
