"""Django's SQLite backend, with the planner's statistics kept current before a connection closes,
its datetimes made aware at a third of the cost (``DatabaseOperations``), and each SQL text's
placeholders rewritten once per process (``SQLiteCursorWrapper``).

Without statistics SQLite's planner counts the conditions an index matches, not the rows it
leaves: for the catalogue's list (published, newest first) it picks the index on status and
publication time, sorts every published release and keeps 25, where the index in the list's
order would stop after 25 rows (5.5 ms against 0.14 ms at 1,000 releases). SQLite's answer is
``PRAGMA optimize`` before each connection closes (https://sqlite.org/lang_analyze.html): it
runs ``ANALYZE`` on the tables this connection queried that have no statistics yet, or have
grown 25-fold since theirs, and costs a few microseconds otherwise.

Twenty-five-fold is too late for a small table that steers a join: statistics taken when the
site held the fixture's one article told the planner to read the articles first and sort every
release of theirs (2.2 ms against 0.09 ms for the API's list of 1,000 releases, 21 articles). So
the close also re-analyzes each table that has more than doubled since its statistics (its
largest rowid says so at the cost of an index lookup; its row count confirms). Statistics are
approximate (``analysis_limit``), so analyzing costs about the same at any size.

The site's SQLite connections live ``CONN_MAX_AGE`` seconds (settings), as PostgreSQL's do, so
this upkeep runs about once a minute in each process, after a request, and the statistics
follow the content as it grows, whether it came from fixtures, an import or the admin.

A process that ends with its connection open (a management command: Django does not close
its connections when a command ends, so ``generate_content`` or ``loaddata`` left the tables
they filled without statistics until a later connection closed) closes it at exit, so the
upkeep runs then too.

``ANALYZE`` writes, so it does not wait for another writer: a locked database leaves it to the
next connection to close.
"""

import atexit
import contextlib
import datetime as dt
import os
import weakref
from functools import lru_cache

from django.db.backends.sqlite3 import base, operations

Database = base.Database

ANALYSIS_LIMIT = 1000  # rows examined per index by ANALYZE (SQLite recommends 100 to 1000)
GROWTH = 2  # a table re-analyzed once it holds this many times the rows of its statistics
KEPT_TEXT_LENGTH = 8192  # SQL texts longer than this are rewritten each time, not kept


def stale_tables(connection):
    """The tables whose statistics count fewer than 1/GROWTH of the rows they hold now."""
    try:
        recorded = connection.execute(
            "SELECT tbl, max(CAST(stat AS INTEGER)) FROM sqlite_stat1 GROUP BY tbl"
        ).fetchall()
    except Database.OperationalError:
        return []  # no statistics yet: PRAGMA optimize analyzes the tables that have none
    stale = []
    for table, rows in recorded:
        quoted = '"' + table.replace('"', '""') + '"'
        try:
            (largest,) = connection.execute(f"SELECT max(rowid) FROM {quoted}").fetchone()
            if (largest or 0) > GROWTH * rows:  # deleted rows leave gaps: the count decides
                (count,) = connection.execute(f"SELECT count(*) FROM {quoted}").fetchone()
                if count > GROWTH * rows:
                    stale.append(quoted)
        except Database.OperationalError:
            continue  # a table without rowid, or gone since
    return stale


_open_at_exit = weakref.WeakSet()  # the wrappers of this process that have opened a connection


@atexit.register
def _close_at_exit():
    for wrapper in list(_open_at_exit):
        if wrapper.connection is not None and wrapper.opened_in == os.getpid():
            # Another thread's connection, or one already broken: the process is exiting anyway.
            with contextlib.suppress(Exception):
                wrapper.close()


class DatabaseOperations(operations.DatabaseOperations):
    def convert_datetimefield_value(self, value, expression, connection):
        """Django's conversion of a datetime read: SQLite's module has parsed it already (naive,
        Django's converter of the column's type), so it is only made aware in the connection's
        time zone, which is None without USE_TZ (Django renews it when the setting changes).
        Django's own asks the settings, then timezone.is_aware and make_aware, at each value:
        7 us, a tenth of a cache-cold API list's time for its 20 rows."""
        if value.__class__ is not dt.datetime:  # None, or text SQLite's module left as it is
            return super().convert_datetimefield_value(value, expression, connection)
        zone = self.connection.timezone
        return value if zone is None or value.tzinfo is not None else value.replace(tzinfo=zone)


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    """Django's cursor, its ``%s`` placeholders rewritten as SQLite's ``?`` once per SQL text.

    Django rewrites them by a regular expression at every execution: 40 us for a list's SQL of
    26 columns, a sixth of the time SQLite takes to answer it. A site runs the same few hundred
    texts again and again (the ORM compiles the same query to the same text), so the rewritten
    text is kept by the text it was rewritten from: texts of a page's length at most, not a bulk
    insert's or a long ``IN`` list's, which are rarely the same twice."""

    def convert_query(self, query, *, param_names=None):
        if param_names is None and len(query) <= KEPT_TEXT_LENGTH:
            return _qmark_style(query)
        return super().convert_query(query, param_names=param_names)


@lru_cache(maxsize=1024)
def _qmark_style(query):
    return base.SQLiteCursorWrapper.convert_query(None, query)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    opened_in = None  # the process that opened the connection: a forked child leaves it alone

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        self.opened_in = os.getpid()
        _open_at_exit.add(self)
        return connection

    def create_cursor(self, name=None):
        return self.connection.cursor(factory=SQLiteCursorWrapper)

    def _close(self):
        if self.connection is not None and not self.is_in_memory_db():
            try:
                self.connection.execute("PRAGMA busy_timeout = 0")
                self.connection.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
                self.connection.execute("PRAGMA optimize")
                for table in stale_tables(self.connection):
                    self.connection.execute(f"ANALYZE {table}")
            except Database.Error:
                pass  # busy, or a broken connection: closing is what matters now
        super()._close()
