"""A kept PostgreSQL connection is checked by its socket before each request, and the server is
asked only when it has said something (qwensite.ops.postgresql.base.DatabaseWrapper.is_usable)."""

import select

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.db.backends.postgresql.base import DatabaseWrapper as DjangoWrapper
from django.urls import reverse

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the site's PostgreSQL backend only"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def asked(calls_of):
    """The times Django's own check (a SELECT 1 on the server) ran."""
    return calls_of(DjangoWrapper, "is_usable")


def ended_by_the_server(wrapper):
    """End ``wrapper``'s connection from another one, as a restart does, and wait until its
    socket has the server's last word."""
    pid = wrapper.connection.info.backend_pid
    settings = wrapper.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    pending, _, _ = select.select([wrapper.connection.fileno()], [], [], 5)
    assert pending, "the server's end of the connection never reached its socket"


def test_a_quiet_kept_connection_is_used_without_asking_the_server(asked):
    connection.ensure_connection()

    assert connection.is_usable() is True
    assert asked == []


def test_a_connection_the_server_ended_is_found_unusable_and_replaced(asked):
    connection.ensure_connection()
    ended = connection.connection

    ended_by_the_server(connection)
    connection.health_check_enabled, connection.health_check_done = True, False
    connection.close_if_health_check_failed()

    assert asked  # something was on the socket: the server was asked, and did not answer
    assert connection.connection is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert connection.connection is not ended


def test_a_request_after_the_server_ended_the_connection_is_answered(client, cold, asked):
    from tests.factories import ReleaseFactory

    ReleaseFactory.create_batch(3)
    url = reverse("releases:list")
    assert client.get(url).status_code == 200
    connection.ensure_connection()
    ended_by_the_server(connection)
    close_old_connections()  # what a server does as each request starts (the test client does not)

    assert client.get(url).status_code == 200
    assert asked  # the server was asked, once there was something to read


def test_a_closed_connection_is_not_usable():
    connection.ensure_connection()
    connection.connection.close()

    assert connection.is_usable() is False
    connection.close()


def test_a_connection_in_a_transaction_is_asked(asked):
    from django.db import transaction

    with transaction.atomic():
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        assert connection.is_usable() is True

    assert asked  # not idle: the socket alone does not tell
