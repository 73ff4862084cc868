"""Faults against the real services: a database on a closed port, Redis on a closed port."""

import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

from qwensite.freshness.redis import ResilientRedisCache
from tests.factories import ArticleFactory, ReleaseFactory

PROJECT = Path(__file__).resolve().parents[2]


def closed_port():
    """A local TCP port nothing listens on: bound by the OS, then released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Database down: a separate process whose DATABASE_URL points at a closed port.

OUTAGE_PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
results = {}
requests = [(url, client.get) for url in ["/", "/releases/", "/releases/qwen-2/", "/articles/the-history-of-qwen/",
                                          "/admin/", "/admin/login/"]]
requests.append(("/api/v1/auth/token/", client.post))
for url, send in requests:
    response = send(url, {"username": "editor", "password": "x"} if send == client.post else None, secure=True)
    results[url] = {"status": response.status_code, "headers": dict(response.headers),
                    "body": response.content.decode()}
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def outage():
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="qwensite.test_settings",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed_port()}/qwensite",
        DJANGO_CONN_MAX_AGE="0",
        DJANGO_ALLOWED_HOSTS="testserver",
        PYTHONPATH=str(PROJECT),
    )
    result = subprocess.run(
        [sys.executable, "-c", OUTAGE_PROBE], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return {"responses": json.loads(result.stdout), "log": result.stderr}


@pytest.mark.parametrize("url", ["/", "/releases/", "/releases/qwen-2/", "/articles/the-history-of-qwen/"])
def test_pages_answer_503_with_friendly_page_when_database_is_down(outage, url):
    response = outage["responses"][url]

    assert response["status"] == 503
    assert "Back shortly" in response["body"]
    assert response["headers"]["Retry-After"] == "30"
    assert response["headers"]["Cache-Control"] == "no-store"


@pytest.mark.parametrize("url", ["/admin/", "/admin/login/"])
def test_admin_answers_503_when_database_is_down(outage, url):
    assert outage["responses"][url]["status"] == 503


def test_api_answers_json_503_when_database_is_down(outage):
    response = outage["responses"]["/api/v1/auth/token/"]

    assert response["status"] == 503
    assert json.loads(response["body"])["detail"].startswith("The service is temporarily unavailable")


def test_no_traceback_or_connection_detail_reaches_a_reader_when_database_is_down(outage):
    for response in outage["responses"].values():
        assert "Traceback" not in response["body"]
        assert "OperationalError" not in response["body"]
        assert "127.0.0.1" not in response["body"]


def test_database_outage_is_logged(outage):
    assert "Database unavailable while serving /releases/" in outage["log"]


def test_outage_in_middleware_falls_back_to_the_503_page_not_a_500(rf):
    from django.db import OperationalError

    from qwensite.ops.errors import server_error

    request = rf.get("/releases/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)

    assert response.status_code == 503


def test_other_errors_still_get_the_ordinary_500_page(rf):
    from qwensite.ops.errors import server_error

    request = rf.get("/releases/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)

    assert response.status_code == 500


# Redis down: the resilient backend pointed at a closed port.


@pytest.fixture
def dead_redis_settings(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "qwensite.freshness.redis.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
    return settings


@pytest.fixture
def dead_redis():
    return ResilientRedisCache(
        f"redis://127.0.0.1:{closed_port()}/0", {"OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}}
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/releases/", "release", "article"])
def test_site_keeps_serving_when_redis_is_down(client, dead_redis_settings, url):
    article = ArticleFactory()
    release = ReleaseFactory(source_article=article)
    url = {"release": release.get_absolute_url(), "article": article.get_absolute_url()}.get(url, url)

    response = client.get(url, secure=True)

    assert response.status_code == 200


@pytest.mark.django_db
def test_edits_still_save_when_redis_is_down(dead_redis_settings):
    article = ArticleFactory()
    article.title = "Edited while Redis is down"

    article.save()

    article.refresh_from_db()
    assert article.title == "Edited while Redis is down"


def test_cache_reads_are_misses_when_redis_is_down(dead_redis):
    assert dead_redis.get("anything", "fallback") == "fallback"
    assert dead_redis.get_many(["a", "b"]) == {}
    assert dead_redis.has_key("anything") is False


def test_cache_writes_are_no_ops_when_redis_is_down(dead_redis):
    assert dead_redis.set("key", "value") is None
    assert dead_redis.add("key", "value") is False
    assert dead_redis.delete("key") is False
    assert dead_redis.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert dead_redis.get_or_set("key", lambda: "computed") == "computed"


def test_cache_incr_is_a_missing_key_when_redis_is_down(dead_redis):
    with pytest.raises(ValueError, match="not found"):
        dead_redis.incr("counter")


def test_redis_outage_is_logged_once_then_skipped(dead_redis, caplog):
    with caplog.at_level(logging.WARNING, logger="qwensite.freshness.redis"):
        for _ in range(5):
            dead_redis.get("key")

    warnings = [r for r in caplog.records if r.name == "qwensite.freshness.redis"]
    assert len(warnings) == 1
    assert "Redis cache unavailable" in warnings[0].getMessage()


def test_redis_is_retried_after_the_interval(dead_redis, monkeypatch, caplog):
    dead_redis.get("key")
    dead_redis._down_until = 0.0001  # the interval has passed

    with caplog.at_level(logging.WARNING, logger="qwensite.freshness.redis"):
        dead_redis.get("key")

    assert any("Redis cache unavailable" in r.getMessage() for r in caplog.records)


def test_configured_cache_answers_normally():
    cache.set("hardening-probe", "value", 30)

    assert cache.get("hardening-probe") == "value"


def test_content_state_is_dropped_once_when_redis_comes_back(dead_redis, monkeypatch, caplog):
    from django.core.cache.backends.redis import RedisCache

    from qwensite.freshness.state import STATE_KEY

    dead_redis.get("key")
    dead_redis._down_until = 0.0001  # the interval has passed, and Redis answers again:
    deleted, cleared = [], []
    monkeypatch.setattr(RedisCache, "get", lambda self, key, default=None, version=None: "fresh")
    monkeypatch.setattr(RedisCache, "delete", lambda self, key, version=None: deleted.append(key))
    monkeypatch.setattr(RedisCache, "clear", lambda self: cleared.append(True))

    with caplog.at_level(logging.WARNING, logger="qwensite.freshness.redis"):
        first, second = dead_redis.get("key"), dead_redis.get("key")

    assert (first, second) == ("fresh", "fresh")
    assert deleted == [STATE_KEY]
    assert cleared == []  # throttle counts and other keys survive
    assert any("reachable again" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_the_anonymous_api_throttle_holds_per_process_while_redis_is_down(client, dead_redis_settings):
    from qwensite.rest.throttling import AnonymousBurstThrottle

    AnonymousBurstThrottle.process_cache.clear()
    dead_redis_settings.REST_FRAMEWORK = {
        **dead_redis_settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "5/minute"},
    }

    statuses = [client.get("/api/v1/releases/", REMOTE_ADDR="203.0.113.7").status_code for _ in range(8)]

    assert statuses == [200] * 5 + [429] * 3
    assert client.get("/api/v1/releases/", REMOTE_ADDR="203.0.113.8").status_code == 200  # another client
