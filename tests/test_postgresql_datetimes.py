"""PostgreSQL's datetimes are read by psycopg's own loader in a UTC session, the same values as
Django's loader reads (qwensite.ops.postgresql.base.UTCTimestamptzLoader)."""

import datetime as dt

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the site's PostgreSQL backend only"),
    pytest.mark.django_db,
]

VALUES = [
    "2026-03-08 09:30:15.123456+00",
    "2026-03-08 09:30:15+08",
    "2023-09-25 00:00:00-05:30",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
]
READ = "SELECT " + ", ".join(f"'{value}'::timestamptz" for value in VALUES) + ", NULL::timestamptz"
READ_EARLIER = "SELECT " + ", ".join(f"'{value}'::timestamptz" for value in VALUES[:-1])  # none past 9999 anywhere


def read_by_django(sql=READ):
    """The values as Django's own loader reads them, on a cursor it is registered on."""
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    with connection.cursor() as cursor:
        register_tzloader(connection.timezone, cursor.cursor)
        cursor.execute(sql)
        return cursor.fetchone()


def test_a_datetime_read_is_the_one_django_reads():
    with connection.cursor() as cursor:
        cursor.execute(READ)
        read = cursor.fetchone()

    assert read == read_by_django()
    assert [value.tzinfo for value in read[:-1]] == [dt.UTC] * len(VALUES)
    assert read[0] == dt.datetime(2026, 3, 8, 9, 30, 15, 123456, tzinfo=dt.UTC)
    assert read[1] == dt.datetime(2026, 3, 8, 1, 30, 15, tzinfo=dt.UTC)
    assert read[-1] is None


def test_a_utc_session_reads_by_psycopgs_own_loader():
    from qwensite.ops.postgresql.base import PSYCOPG_TIMESTAMPTZ, UTCTimestamptzLoader

    connection.ensure_connection()
    registered = connection.connection.adapters.get_loader(1184, 0)

    assert registered is UTCTimestamptzLoader
    assert UTCTimestamptzLoader(1184, connection.connection).load.__self__.__class__ is PSYCOPG_TIMESTAMPTZ


def test_a_session_in_another_zone_reads_as_django_does():
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'Asia/Shanghai'")
        try:
            cursor.execute(READ_EARLIER)
            read = cursor.fetchone()
            assert read == read_by_django(READ_EARLIER)
            # as Django reads it: UTC put on the local time
            assert read[0] == dt.datetime(2026, 3, 8, 17, 30, 15, 123456, tzinfo=dt.UTC)
        finally:
            cursor.execute("SET TIME ZONE 'UTC'")


def test_without_use_tz_datetimes_are_naive_as_django_reads_them(settings):
    settings.USE_TZ = False

    with connection.cursor() as cursor:
        cursor.execute("SELECT '2026-03-08 09:30:15+00'::timestamptz")
        (read,) = cursor.fetchone()

    assert read.tzinfo is None
    assert read == read_by_django("SELECT '2026-03-08 09:30:15+00'::timestamptz")[0]
