"""SQLite's cursor rewrites each SQL text's placeholders once per process, as Django rewrites them
(qwensite.ops.sqlite.base.SQLiteCursorWrapper)."""

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import SQLiteCursorWrapper as DjangoCursor

from qwensite.ops.sqlite import base

TEXTS = [
    "SELECT 1",
    "SELECT %s, %s",
    "SELECT name FROM t WHERE name LIKE %s ESCAPE '\\' AND slug = %s",
    "SELECT '100%%', %s",
    "SELECT '%%s' || %s",
]


@pytest.mark.parametrize("text", TEXTS)
def test_a_text_is_rewritten_as_django_rewrites_it(text):
    assert base.SQLiteCursorWrapper.convert_query(None, text) == DjangoCursor.convert_query(None, text)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the site's SQLite backend only")
@pytest.mark.django_db
def test_the_same_text_is_rewritten_once_and_reads_the_same():
    base._qmark_style.cache_clear()
    with connection.cursor() as cursor:
        answers = [cursor.execute("SELECT %s || '%%', %s", ["100", 7]).fetchall() for _ in range(3)]

    assert answers == [[("100%", 7)]] * 3
    assert isinstance(cursor.cursor, base.SQLiteCursorWrapper)
    assert base._qmark_style.cache_info().misses == 1
    assert base._qmark_style.cache_info().hits == 2


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the site's SQLite backend only")
@pytest.mark.django_db
def test_named_placeholders_are_read_as_django_reads_them():
    with connection.cursor() as cursor:
        assert cursor.execute("SELECT %(a)s, %(b)s", {"b": 2, "a": 1}).fetchall() == [(1, 2)]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the site's SQLite backend only")
@pytest.mark.django_db
def test_a_long_text_is_rewritten_each_time_not_kept():
    base._qmark_style.cache_clear()
    values = list(range(base.KEPT_TEXT_LENGTH // 3))
    text = "SELECT count(*) FROM (SELECT 1 AS x WHERE 1 IN (" + ", ".join(["%s"] * len(values)) + "))"
    assert len(text) > base.KEPT_TEXT_LENGTH

    with connection.cursor() as cursor:
        assert cursor.execute(text, values).fetchall() == [(1,)]

    assert base._qmark_style.cache_info().currsize == 0
