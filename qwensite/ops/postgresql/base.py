"""Django's PostgreSQL backend, a cursor whose statements PostgreSQL plans once per connection,
a health check that asks the server only when it has said something, and datetimes read by
psycopg's own loader.

Planning is most of what PostgreSQL does for a query of a few rows: 0.5 ms of the 0.8 ms the
catalogue's page costs the server at 1,000 releases (0.3 ms prepared). A statement prepared on a
connection is planned once there, for any values, when it runs by a generic plan; PostgreSQL's
default (``plan_cache_mode=auto``) keeps planning each run when the generic plan is estimated
dearer, as it is for a list whose publication time is a parameter, so the site's statements run
by the generic plan (``connection_options``).

Only what the site asks to prepare is prepared (``prepared_cursor``: the SQL a list compiles once
per process, qwensite.freshness.prepared): a generic plan for a query whose best plan depends on
its values (a deep page's bounds, a filter) is slower than planning it each time (2 ms against
0.5 ms for the API's deep page at 100,000 releases). psycopg prepares statements only for a
cursor whose parameters the server binds; Django's cursors bind them on the client, so nothing
else is prepared.

With ``CONN_HEALTH_CHECKS`` Django checks a kept connection before each request's first query
by a ``SELECT 1``: a round trip, and 8 per cent of a cache-cold API list's time. A connection
the server ended (a restart, ``pg_terminate_backend``, an idle timeout) has it said on its
socket: the server's last message, then the end of the stream. One it has not ended has nothing
to read between queries. So the socket is looked at first, a system call, and the server is
asked only when there is something to read (``is_usable``). A server gone without a word (its
machine lost) is found by the request's first query, as it is between Django's probe and that
query: its error closes the connection at the end of the request.

Django reads a ``timestamptz`` with a loader of its own (``psycopg_any.BaseTzLoader``) that
subclasses psycopg's pure-Python one, so each value costs a regular expression and a
``replace`` of its zone: 8 us, half a millisecond for the 60 datetimes of an API list's page.
With ``USE_TZ`` and the database's zone left to Django, the session's zone is UTC, and psycopg's
own loader (in C, with psycopg's binary package) reads the same aware datetimes, in
``datetime.UTC``: the connection reads them so (``UTCTimestamptzLoader``).
"""

import datetime as dt
import select

from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from psycopg.adapt import Loader
from psycopg.pq import Format, TransactionStatus

Database = base.Database
# psycopg's own timestamptz loader: its C one, where psycopg's binary package is installed.
PSYCOPG_TIMESTAMPTZ = Database.adapters.get_loader(Database.adapters.types["timestamptz"].oid, Format.TEXT)


class DjangosUTCLoader(BaseTzLoader):
    """Django's loader, as it registers it for UTC (psycopg_any.register_tzloader)."""

    timezone = dt.UTC


class UTCTimestamptzLoader(Loader):
    """A ``timestamptz`` read by psycopg's own loader when the session's zone is UTC (its values
    are then in ``datetime.UTC``, as Django's), else by Django's. ``timezone`` is the zone
    Django's cursors compare with the connection's, as they do for its own loaders."""

    timezone = dt.UTC

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        utc = self.connection is not None and self.connection.info.timezone is dt.UTC
        self.load = (PSYCOPG_TIMESTAMPTZ if utc else DjangosUTCLoader)(oid, context).load

    def load(self, data):  # the loader chosen above takes its place on each instance
        raise NotImplementedError


class PreparingCursor(base.ServerBindingCursor):
    """A cursor whose parameters the server binds: psycopg prepares what it runs (the connection's
    ``prepare_threshold`` of 0: at its first run)."""


class DatabaseOperations(base.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        """The query as Django logs it: for a preparing cursor, composed from the SQL and its
        parameters (Django reads the client-bound query psycopg keeps, which that cursor has not)."""
        if isinstance(cursor, PreparingCursor):
            try:
                return self.compose_sql(sql, params)
            except Database.DataError:
                return None
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if self.timezone is dt.UTC:  # USE_TZ, the database's zone left to Django: a UTC session
            connection.adapters.register_loader("timestamptz", UTCTimestamptzLoader)
        return connection

    def is_usable(self):
        """Whether the kept connection can be used: not closed nor broken, idle (outside a
        transaction), and nothing to read on its socket (the server has not ended it); else
        Django's ``SELECT 1`` decides."""
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.info.transaction_status != TransactionStatus.IDLE:
            return super().is_usable()
        try:
            poller = select.poll()  # poll, not select: any descriptor number
            poller.register(connection.fileno(), select.POLLIN)
            pending = poller.poll(0)
        except (OSError, ValueError):
            return super().is_usable()
        return not pending or super().is_usable()

    def prepared_cursor(self):
        """A cursor (through Django's wrappers, so query counts and logs see it) whose statements
        are prepared on this connection and planned once, where the connection prepares any
        (settings: ``DJANGO_DB_PREPARED``); else a cursor as any other."""
        self.close_if_health_check_failed()  # its probe, when due, is one of Django's own queries
        self.ensure_connection()
        if self.connection.prepare_threshold is None:
            return self.cursor()
        made_by, self.connection.cursor_factory = self.connection.cursor_factory, PreparingCursor
        try:
            return self.cursor()
        finally:
            self.connection.cursor_factory = made_by
