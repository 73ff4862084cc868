"""Fast settings for the test suite: production settings with cheap hashing."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789")

from qwensite.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Without Redis, each test process keeps its cache in memory (parallel test processes must not
# share the cache on disk: each test clears it).
if not REDIS_URL:  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "qwensite"}}
# The test process is the only process: its local-memory cache is shared by all it runs.
CONTENT_STATE_SHARED = True
# Each test starts with an empty cache, so the state is rebuilt (and checked) at its first
# request; a recheck within a test would add a query to the budgets the tests count.
CONTENT_STATE_RECHECK = 3600
