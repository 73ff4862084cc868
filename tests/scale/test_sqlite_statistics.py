"""The SQLite backend keeps the planner's statistics current (qwensite.ops.sqlite).

Each test opens the site's backend on an SQLite file of its own, as a request does (the suite's
own database is in memory, where statistics are never kept, or PostgreSQL): on both runs."""

import os
import sqlite3
import subprocess
import sys
import time

import pytest
from django.db import connections
from django.db.utils import ConnectionHandler

from qwensite.ops.sqlite import CONNECTION_OPTIONS, ENGINE
from qwensite.ops.sqlite.base import DatabaseWrapper

pytestmark = pytest.mark.django_db  # lets the tests open connections of their own

# Two indexes as the catalogue's table has them: one on status and publication time, one in
# the list's order. Without statistics SQLite takes the first (more conditions matched) and
# sorts; with them it walks the second and stops at the limit.
SCHEMA = """
CREATE TABLE entry (id INTEGER PRIMARY KEY, status TEXT, published_at TEXT, day TEXT, name TEXT);
CREATE INDEX entry_published ON entry (status, published_at, day);
CREATE INDEX entry_order ON entry (status, day DESC, name, id);
"""
LIST = (
    "SELECT id FROM entry WHERE status = 'published' AND published_at <= '2026-12-01' "
    "ORDER BY day DESC, name, id LIMIT 25"
)


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "site.sqlite3"
    with sqlite3.connect(path) as setup:
        setup.execute("PRAGMA journal_mode=WAL")  # as the site's connections set it
        setup.executescript(SCHEMA)
        setup.executemany(
            "INSERT INTO entry (status, published_at, day, name) VALUES (?, ?, ?, ?)",
            [(("draft", "published")[n % 2], "2026-01-01", f"2025-{n % 12 + 1:02}-01", f"n{n}") for n in range(1000)],
        )
    setup.close()
    return path


def wrapper_for(path):
    """The site's SQLite backend on ``path``, configured as settings configure it."""
    handler = ConnectionHandler({"default": {"ENGINE": ENGINE, "NAME": str(path), "OPTIONS": dict(CONNECTION_OPTIONS)}})
    return handler["default"]


def plan(path):
    with sqlite3.connect(path) as reader:
        return " ".join(row[3] for row in reader.execute("EXPLAIN QUERY PLAN " + LIST))


def statistics(path):
    with sqlite3.connect(path) as reader:
        if not reader.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            return []
        return sorted(row[0] for row in reader.execute("SELECT DISTINCT idx FROM sqlite_stat1 WHERE tbl = 'entry'"))


def test_the_settings_choose_the_backend_for_sqlite():
    default = connections["default"]
    assert (default.vendor == "sqlite") == (default.settings_dict["ENGINE"] == ENGINE)
    assert (default.vendor == "sqlite") == isinstance(default, DatabaseWrapper)


def test_a_connection_that_queried_a_table_leaves_its_statistics_when_it_closes(database):
    assert "TEMP B-TREE" in plan(database)  # the sort SQLite does without statistics
    wrapper = wrapper_for(database)
    with wrapper.cursor() as cursor:
        cursor.execute(LIST)
        assert len(cursor.fetchall()) == 25
    assert statistics(database) == []  # nothing written while the connection is open
    wrapper.close()
    assert statistics(database) == ["entry_order", "entry_published"]
    assert "entry_order" in plan(database)
    assert "TEMP B-TREE" not in plan(database)


def test_a_busy_database_does_not_hold_up_the_close(database):
    writer = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")  # another process is writing
    wrapper = wrapper_for(database)
    with wrapper.cursor() as cursor:
        cursor.execute(LIST)
    started = time.monotonic()
    wrapper.close()
    assert time.monotonic() - started < 5, "the close waited for the writer (the connection's timeout is 20 s)"
    assert wrapper.connection is None
    writer.execute("COMMIT")
    writer.close()
    assert statistics(database) == []  # left to a later connection
    later = wrapper_for(database)
    with later.cursor() as cursor:
        cursor.execute(LIST)
    later.close()
    assert statistics(database) == ["entry_order", "entry_published"]


# A join a small table steers (the site's API list read the articles first, with the statistics
# of the fixture's one article, and sorted every release of theirs).
JOINED = (
    "SELECT entry.id FROM entry JOIN article ON article.id = entry.article_id "
    "WHERE entry.status = 'published' ORDER BY entry.day DESC, entry.name, entry.id LIMIT 25"
)


@pytest.fixture
def joined_database(database):
    with sqlite3.connect(database) as setup:
        setup.executescript(
            "CREATE TABLE article (id INTEGER PRIMARY KEY, title TEXT);"
            "ALTER TABLE entry ADD COLUMN article_id INTEGER REFERENCES article (id);"
            "CREATE INDEX entry_article ON entry (article_id);"
            "INSERT INTO article (title) VALUES ('the first');"
            "UPDATE entry SET article_id = 1;"
            "ANALYZE;"  # statistics of the one article
            # and of 600 entries: the 1,000 there are do not make them stale
            "UPDATE sqlite_stat1 SET stat = '600' || substr(stat, instr(stat, ' ')) WHERE tbl = 'entry';"
        )
        setup.executemany("INSERT INTO article (title) VALUES (?)", [(f"a{n}",) for n in range(20)])
        setup.execute("UPDATE entry SET article_id = 1 + id % 21")
    setup.close()
    return database


def recorded_rows(path, table):
    with sqlite3.connect(path) as reader:
        return reader.execute("SELECT max(CAST(stat AS INTEGER)) FROM sqlite_stat1 WHERE tbl = ?", [table]).fetchone()[
            0
        ]


def test_a_table_grown_past_double_its_statistics_is_analyzed_again_when_a_connection_closes(joined_database):
    assert recorded_rows(joined_database, "article") == 1
    wrapper = wrapper_for(joined_database)
    with wrapper.cursor() as cursor:
        cursor.execute(JOINED)
        assert len(cursor.fetchall()) == 25
    wrapper.close()
    assert recorded_rows(joined_database, "article") == 21  # 21-fold: SQLite's own rule waits for 25
    assert recorded_rows(joined_database, "entry") == 600  # not doubled: left as it was


def test_a_table_with_deleted_rows_is_not_analyzed_again_for_its_gaps(joined_database):
    with sqlite3.connect(joined_database) as setup:
        setup.execute("DELETE FROM article WHERE id BETWEEN 2 AND 20")  # 2 left, the largest id 21
        setup.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'article'")
        setup.execute("INSERT INTO sqlite_stat1 VALUES ('article', NULL, '1')")  # as if taken at 1
    setup.close()
    wrapper = wrapper_for(joined_database)
    with wrapper.cursor() as cursor:
        cursor.execute(JOINED)
    wrapper.close()
    assert recorded_rows(joined_database, "article") == 1  # two rows: not more than double


def test_sqlite_connections_are_kept_as_long_as_postgresql_ones():
    """A request does not open its own SQLite connection (and pay for its pragmas and upkeep)."""
    from qwensite import settings as site_settings

    assert site_settings.DATABASES["default"]["CONN_MAX_AGE"] == int(os.environ.get("DJANGO_CONN_MAX_AGE", "60"))


EXITING_OPEN = """
import sys
import django
from django.conf import settings
settings.configure()
django.setup()
from django.db.utils import ConnectionHandler
from qwensite.ops.sqlite import CONNECTION_OPTIONS, ENGINE
handler = ConnectionHandler({"default": {"ENGINE": ENGINE, "NAME": sys.argv[1], "OPTIONS": dict(CONNECTION_OPTIONS)}})
with handler["default"].cursor() as cursor:
    cursor.execute(sys.argv[2])
    assert len(cursor.fetchall()) == 25
"""  # and exits with the connection open, as a management command does


def test_a_process_that_exits_with_its_connection_open_keeps_the_statistics_current(joined_database):
    assert recorded_rows(joined_database, "article") == 1

    subprocess.run([sys.executable, "-c", EXITING_OPEN, str(joined_database), JOINED], check=True, timeout=60)

    assert recorded_rows(joined_database, "article") == 21
