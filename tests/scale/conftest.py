"""Scale-out tests: real gunicorn servers sharing a database and a cache.

Two app servers on separate machines share state through a server database and Redis, so
test_two_instances.py is collected only when the suite runs on PostgreSQL with Redis
(``DATABASE_URL=postgres://...`` and ``REDIS_URL`` set, as in ``make test-postgres``); on
SQLite it is left out at collection time (``collect_ignore``), not skipped. The embedded
default (one machine, SQLite, the cache on disk) is tested on every run.
"""

import os

import pytest
from django.conf import settings
from django.db import connection

from benchmarks.harness import GunicornServer, manage, production_env

SHARED_SERVICES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")) and bool(
    os.environ.get("REDIS_URL")
)
collect_ignore_glob = [] if SHARED_SERVICES else ["test_two_instances.py"]


# Low enough for a test to cross it, high enough for the other tests' reads.
ANON_RATE = 40


def shared_database_url():
    params = connection.settings_dict
    credentials = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    return f"postgres://{credentials}@{params['HOST']}:{params['PORT']}/{params['NAME']}"


@pytest.fixture(scope="module")
def two_servers(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two gunicorn instances (production settings) on the test database and the test's Redis."""
    with django_db_blocker.unblock():
        env = production_env(
            shared_database_url(),
            settings.CACHES["default"]["LOCATION"],
            DJANGO_CACHE_PREFIX=settings.CACHES["default"]["KEY_PREFIX"],
            DJANGO_CONN_MAX_AGE="0",
            DJANGO_API_ANON_RATE=f"{ANON_RATE}/minute",
            DJANGO_STATIC_ROOT=str(tmp_path_factory.mktemp("static")),
            # Only Redis tells a server of an edit made elsewhere (its keys, and its invalidation
            # messages to each server's watch), not the database, which each server otherwise
            # compares with the cached state once a second.
            DJANGO_CONTENT_STATE_RECHECK="3600",
        )
    manage(env, "collectstatic", "--noinput")  # production serves hashed static files from a manifest
    with GunicornServer(env, workers=1, name="a") as first, GunicornServer(env, workers=1, name="b") as second:
        yield first, second
