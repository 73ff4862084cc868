"""The embedded default on one machine: two worker processes, one SQLite file, no Redis.

Both processes keep the content state and the stored pages in the cache on disk they share
(settings.CACHES without REDIS_URL), so a page stored by one and an edit made through the
other meet: the edit is served at once by both.
"""

import json
import re
import subprocess
import sys
import urllib.request

import pytest

from benchmarks.harness import PROXY_HEADERS, ROOT, GunicornServer, fetch, manage, production_env

EDITOR = """
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from qwensite.editorial.groups import ensure_editors_group
from releases.models import ModelRelease
user = User.objects.create(username="embedded-editor", is_staff=True)
user.groups.add(ensure_editors_group())
print(ModelRelease.objects.published().order_by("pk").first().slug, Token.objects.create(user=user).key)
"""


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    """Two gunicorn processes (production settings, no Redis) on one SQLite file and one cache directory."""
    root = tmp_path_factory.mktemp("embedded")
    env = production_env(
        f"sqlite:///{root / 'site.sqlite3'}",
        "",
        DJANGO_CACHE_DIR=str(root / "cache"),
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_STATIC_ROOT=str(root / "static"),
        # Only the shared cache tells a worker of the other's edit: not the database, which each
        # worker otherwise compares with the cached state once a second.
        DJANGO_CONTENT_STATE_RECHECK="3600",
    )
    manage(env, "migrate", "--noinput")
    manage(env, "loaddata", "fixtures/qwen_history.json")
    manage(env, "collectstatic", "--noinput")
    slug, token = _shell(env, EDITOR).split()
    with GunicornServer(env, workers=1, name="first") as first, GunicornServer(env, workers=1, name="second") as second:
        yield first, second, slug, token


def _shell(env, code):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


# Both processes answer for one site: the same Host, whatever port each listens on.
SITE = {"Host": "127.0.0.1"}


def summary(server, slug):
    status, headers, body = fetch(server.base_url, f"/api/v1/releases/{slug}/", SITE)
    assert status == 200
    return json.loads(body)["summary"], headers["ETag"]


def test_an_edit_in_one_worker_is_served_at_once_by_the_other(two_workers):
    first, second, slug, token = two_workers
    before, etag = summary(second, slug)
    assert summary(second, slug) == (before, etag)  # stored by the second worker
    assert summary(second, slug) == (before, etag)  # sent again in front of its chain (qwensite.freshness.front)
    assert summary(first, slug) == (before, etag)  # the same state and copy, from the shared cache

    request = urllib.request.Request(
        f"{first.base_url}/api/v1/releases/{slug}/",
        data=json.dumps({"summary": "Summary after an edit in the first worker."}).encode(),
        method="PATCH",
        headers={**PROXY_HEADERS, "Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200

    after, new_etag = summary(second, slug)
    assert after == "Summary after an edit in the first worker."
    assert new_etag != etag
    status, _, body = fetch(second.base_url, f"/releases/{slug}/", SITE)
    assert status == 200
    assert "Summary after an edit in the first worker." in body.decode()


def test_a_conditional_request_to_the_other_worker_is_a_304(two_workers):
    first, second, slug, _ = two_workers
    status, headers, _ = fetch(first.base_url, "/releases/", SITE)
    assert status == 200

    status, _, body = fetch(second.base_url, "/releases/", {**SITE, "If-None-Match": headers["ETag"]})

    assert status == 304
    assert body == b""


def test_a_static_file_is_served_in_front_of_the_site_with_every_security_header(two_workers):
    from tests.hardening.test_headers import assert_hardened

    first, *_ = two_workers
    status, _, body = fetch(first.base_url, "/", SITE)
    assert status == 200
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body.decode()).group(1)

    status, headers, body = fetch(first.base_url, stylesheet, SITE)

    assert status == 200
    assert "immutable" in headers["Cache-Control"]  # a hashed name, from the manifest
    assert_hardened(type("Answer", (), {"headers": headers}))
