"""Django's PostgreSQL backend, and a cursor whose statements PostgreSQL plans once per connection.

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
"""

from django.db.backends.postgresql import base

Database = base.Database


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
