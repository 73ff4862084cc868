import json

import pytest
from django.conf import settings
from django.db.utils import ConnectionHandler
from django.test import override_settings

from benchmarks.harness import free_port
from qwensite.ops import health
from qwensite.ops.querycount import HEADER as QUERY_COUNT_HEADER

pytestmark = pytest.mark.django_db


def test_healthz_answers_a_constant_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok"}


def test_healthz_makes_no_database_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get("/healthz")


def test_healthz_is_answered_before_any_other_middleware(client):
    response = client.get("/healthz")

    assert settings.MIDDLEWARE[0] == "qwensite.ops.health.HealthCheckMiddleware"
    assert "Set-Cookie" not in response
    assert "Vary" not in response
    assert "X-Frame-Options" not in response  # added by a later middleware, which never ran


@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["qwensite.example.org"])
def test_healthz_answers_plain_http_probes_from_any_host(client):
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200


def test_readyz_is_ok_when_database_and_cache_answer(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_readyz_is_never_cached(client):
    response = client.get("/readyz")

    assert "no-store" in response["Cache-Control"]


@override_settings(SECURE_SSL_REDIRECT=True)
def test_readyz_answers_plain_http_probes(client):
    response = client.get("/readyz")

    assert response.status_code == 200


def test_readyz_is_503_with_the_reason_when_the_cache_is_unreachable(client):
    closed = f"redis://127.0.0.1:{free_port()}/0"
    caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": closed}}

    with override_settings(CACHES=caches):
        response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"].startswith("cache unreachable: ConnectionError")


def unreachable_database(port):
    """Connections to a PostgreSQL server that is not there (nothing listens on ``port``)."""
    return ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "qwensite",
                "USER": "postgres",
                "HOST": "127.0.0.1",
                "PORT": port,
                "OPTIONS": {"connect_timeout": 3},
            }
        }
    )


def test_readyz_is_503_with_the_reason_when_the_database_is_unreachable(client, monkeypatch):
    unreachable = unreachable_database(free_port())
    monkeypatch.setattr(health, "connections", unreachable)

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["cache"] == "ok"
    assert body["checks"]["database"].startswith("database unreachable: OperationalError")
    unreachable.close_all()


def test_readyz_names_no_host_or_port_to_the_public_but_logs_them(client, monkeypatch, caplog):
    port = free_port()
    unreachable = unreachable_database(port)
    monkeypatch.setattr(health, "connections", unreachable)

    with caplog.at_level("WARNING", logger="qwensite.ops.health"):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "database unreachable: OperationalError"
    assert "127.0.0.1" not in response.text
    assert str(port) not in response.text
    assert str(port) in caplog.text
    unreachable.close_all()


def test_query_count_header_counts_the_queries_of_a_request(client):
    middleware = [settings.MIDDLEWARE[0], "qwensite.ops.querycount.QueryCountMiddleware", *settings.MIDDLEWARE[1:]]

    with override_settings(MIDDLEWARE=middleware):
        response = client.get("/readyz", headers={QUERY_COUNT_HEADER: "1"})
        unasked = client.get("/readyz")

    assert response[QUERY_COUNT_HEADER] == "1"
    assert QUERY_COUNT_HEADER not in unasked  # the benchmark's timed requests are not counted
