"""Only changes readers can see renew the public state; the database's content version keeps the
cached state from going back in time (a Redis server that returns with data saved before an edit)."""

import datetime as dt
import socket
import subprocess
import time

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from qwensite.editorial.publishing import Status
from qwensite.freshness.models import ContentVersion
from tests.factories import ReleaseFactory, ReleaseSizeFactory

pytestmark = pytest.mark.django_db


def validators(response):
    return response["ETag"], response["Last-Modified"]


@pytest.fixture
def pages(db):
    live = ReleaseFactory(summary="The live summary.")
    draft = ReleaseFactory(status=Status.DRAFT, published_at=None)
    return live, draft


@pytest.mark.parametrize(
    "draft_change",
    [
        lambda draft: draft.save(),
        lambda draft: ReleaseSizeFactory(release=draft),
        lambda draft: draft.delete(),
        lambda draft: ReleaseFactory(
            status=Status.PUBLISHED,
            published_at=timezone.now() + dt.timedelta(days=3),
            source_article=draft.source_article,
        ),
    ],
    ids=["draft saved", "size of a draft added", "draft deleted", "entry scheduled"],
)
def test_a_change_readers_cannot_see_leaves_public_validators_alone(client, pages, draft_change):
    live, draft = pages
    urls = ["/", "/releases/", f"/releases/{live.slug}/", "/api/v1/releases/"]
    before = {url: validators(client.get(url)) for url in urls}

    draft_change(draft)

    assert {url: validators(client.get(url)) for url in urls} == before


def test_a_draft_save_renews_an_editors_validators(editor_client, pages):
    live, draft = pages
    url = f"/releases/{draft.slug}/"
    first = editor_client.get(url)

    draft.summary = "A new draft summary."
    draft.save()
    second = editor_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert second.status_code == 200
    assert "A new draft summary." in second.text


@pytest.mark.parametrize(
    "public_change",
    [
        lambda live, draft: live.save(),
        lambda live, draft: ReleaseSizeFactory(release=live),
        lambda live, draft: ReleaseFactory(status=Status.PUBLISHED, published_at=timezone.now()),
        lambda live, draft: ModelReleasePublish(draft),
    ],
    ids=["live entry saved", "size of a live entry added", "entry published", "draft published"],
)
def test_a_change_readers_can_see_renews_public_validators(client, pages, public_change):
    live, draft = pages
    url = "/releases/"
    before = validators(client.get(url))

    public_change(live, draft)

    after = validators(client.get(url))
    assert after[0] != before[0]


def ModelReleasePublish(draft):
    draft.status, draft.published_at = Status.PUBLISHED, timezone.now()
    draft.save()


def test_taking_a_live_entry_back_to_draft_renews_public_validators(client, pages):
    live, _ = pages
    before = client.get("/releases/")

    live.status = Status.DRAFT
    live.save()

    after = client.get("/releases/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert live.name not in after.text


def test_every_change_moves_the_database_version_in_the_same_transaction(pages):
    live, draft = pages
    start = ContentVersion.objects.get()

    draft.save()
    after_draft = ContentVersion.objects.get()
    live.save()
    after_live = ContentVersion.objects.get()

    assert (after_draft.public, after_draft.everything) == (start.public, start.everything + 1)
    assert (after_live.public, after_live.everything) == (start.public + 1, start.everything + 2)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A Redis server of the test's own, on a free port, saving to a folder of its own."""

    def __init__(self, folder):
        self.folder, self.port, self.process = folder, free_port(), None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            if subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).stdout == b"PONG\n":
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop_with_a_save(self):
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "save"], capture_output=True, check=False)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def second_redis(tmp_path, settings):
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "qwensite.freshness.redis.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
            "KEY_PREFIX": "time-travel-test",
        }
    }
    settings.CONTENT_STATE_RECHECK = 0  # compare with the database at every request
    yield server
    server.stop()


def another_worker():
    """A fresh connection to the cache, as in a worker that never noticed the outage."""
    caches._connections.default = caches.create_connection("default")


def test_an_edit_made_while_redis_is_down_is_seen_after_it_returns_with_its_old_data(second_redis):
    release = ReleaseFactory(summary="The summary before the outage.")
    reader = Client()
    url = f"/releases/{release.slug}/"
    first = reader.get(url)
    assert "The summary before the outage." in first.text
    assert "The summary before the outage." in reader.get(url).text  # stored in Redis by now

    second_redis.stop_with_a_save()  # Redis keeps the old state and the old stored page on disk
    release.summary = "The summary written during the outage."
    release.save()  # its cache writes are lost; the database's version moves with the edit
    second_redis.start()  # back with the data saved before the edit
    another_worker()

    revalidated = reader.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert revalidated.status_code == 200
    assert "The summary written during the outage." in revalidated.text
    assert "The summary written during the outage." in reader.get(url).text


CONDITIONAL_HEADERS = [
    {"HTTP_IF_NONE_MATCH": "*"},
    {"HTTP_IF_MODIFIED_SINCE": "Fri, 01 Jan 2100 00:00:00 GMT"},
    {"HTTP_IF_MATCH": '"x"'},
]


@pytest.mark.parametrize("headers", CONDITIONAL_HEADERS, ids=["If-None-Match *", "If-Modified-Since", "If-Match"])
@pytest.mark.parametrize("path", ["/releases/no-such-release/", "/articles/missing/", "/api/v1/releases/missing/"])
def test_conditional_headers_never_hide_a_missing_url(client, pages, path, headers):
    client.get(path)  # a second request, after the first has been seen, too

    assert client.get(path, **headers).status_code == 404


@pytest.mark.parametrize("headers", CONDITIONAL_HEADERS, ids=["If-None-Match *", "If-Modified-Since", "If-Match"])
def test_conditional_headers_never_reveal_a_draft(client, pages, headers):
    _, draft = pages

    assert client.get(f"/releases/{draft.slug}/", **headers).status_code == 404


def test_conditional_headers_are_answered_for_a_page_that_exists(client, pages):
    live, _ = pages
    url = f"/releases/{live.slug}/"

    assert client.get(url, HTTP_IF_NONE_MATCH="*").status_code == 304  # first request: after the view
    assert client.get(url, HTTP_IF_NONE_MATCH="*").status_code == 304  # then before it
    assert client.get(url, HTTP_IF_MATCH='"x"').status_code == 412
