"""Fast settings for the test suite: production settings with cheap hashing."""

import os
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789")

from qwensite.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
GC_FREEZE_AFTER_REQUESTS = 0  # the suite's process is not a server's: its objects come and go (qwensite.ops.memory)
SECURE_SSL_REDIRECT = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each parallel test process (pytest-xdist's gw0, gw1, ...) takes the Redis database after the
# one named, by its number, since a test's cache.clear() empties a whole database, and a key
# prefix of its own, since Redis's invalidation messages name keys, not databases (a process's
# writes must not tell the others' watches, qwensite.freshness.redis, to read again). The test
# database is one per process already (pytest-django).
_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")


def _redis_of_this_process(url):
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) + int(_worker.removeprefix("gw"))
    if database > 14:  # Redis has 16 databases; the last (15) is the restore test's own
        raise ImproperlyConfigured(f"{_worker} would use Redis database {database}: name a lower one")
    return urlunsplit(parts._replace(path=f"/{database}"))


# The Redis of the tests of Redis itself, in both runs (`make test` names it): REDIS_TEST_URL,
# else REDIS_URL; without either those tests fail and say so.
_test_redis = os.environ.get("REDIS_TEST_URL") or REDIS_URL  # noqa: F405
TEST_REDIS_URL = _redis_of_this_process(_test_redis) if _test_redis else ""
TEST_CACHE_KEY_PREFIX = f"{CACHE_KEY_PREFIX}-{_worker}"  # noqa: F405
# Without Redis, each test process keeps its cache in memory (parallel test processes must not
# share the cache on disk: each test clears it).
if not REDIS_URL:  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "qwensite"}}
    CONTENT_STATE_MARK = ""  # one process: nothing to tell other processes (tests of the mark set it)
else:
    REDIS_URL = TEST_REDIS_URL
    CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = TEST_CACHE_KEY_PREFIX  # noqa: F405
# The test process is the only process: its local-memory cache is shared by all it runs.
CONTENT_STATE_SHARED = True
# Each test starts with an empty cache, so the state is rebuilt (and checked) at its first
# request; a recheck within a test would add a query to the budgets the tests count.
CONTENT_STATE_RECHECK = 3600
# pytest-django gives SQLite's test database its in-memory default by Django's engine name; the
# site's backend (a subclass, qwensite.ops.sqlite) names it so that it gets the same.
if DATABASES["default"]["ENGINE"] == SQLITE_ENGINE:  # noqa: F405
    DATABASES["default"].setdefault("TEST", {})["NAME"] = ":memory:"  # noqa: F405
