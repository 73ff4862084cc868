"""Conditional GET and the shared response cache (qwensite.freshness.middleware)."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qwensite.editorial.publishing import Status
from tests.factories import ReleaseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def release():
    return ReleaseFactory(name="Qwen 2", slug="qwen-2", summary="First summary.")


@pytest.fixture
def unwatched_cache(settings):
    """A cache that tells no process of another's writes (local memory): the state is read at
    every request, as with a Redis server that refuses CLIENT TRACKING."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "unwatched"}}
    settings.CONTENT_STATE_MARK = ""
    from django.core.cache import caches

    caches["default"].clear()


@pytest.fixture
def editor():
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["change_modelrelease", "view_modelrelease"]))
    return user


def test_public_responses_carry_validators(client, release):
    response = client.get(release.get_absolute_url())

    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert "Last-Modified" in response
    assert "public" in response["Cache-Control"]


def test_matching_if_none_match_gets_304_without_touching_the_database(client, release, django_assert_max_num_queries):
    etag = client.get(release.get_absolute_url())["ETag"]

    with django_assert_max_num_queries(0):
        response = client.get(release.get_absolute_url(), headers={"if-none-match": etag})

    assert response.status_code == 304
    assert response["ETag"] == etag


def test_matching_if_modified_since_gets_304(client, release):
    last_modified = client.get(release.get_absolute_url())["Last-Modified"]

    response = client.get(release.get_absolute_url(), headers={"if-modified-since": last_modified})

    assert response.status_code == 304


def test_second_anonymous_request_is_served_from_the_cache(client, release, django_assert_max_num_queries):
    first = client.get(release.get_absolute_url())

    with django_assert_max_num_queries(0):
        second = client.get(release.get_absolute_url())

    assert second.status_code == 200
    assert second.content == first.content


def test_an_edit_is_visible_on_the_next_request_and_changes_the_etag(client, release):
    before = client.get(release.get_absolute_url())

    release.summary = "Second summary."
    release.save()
    after = client.get(release.get_absolute_url(), headers={"if-none-match": before["ETag"]})

    assert after.status_code == 200
    assert b"Second summary." in after.content
    assert after["ETag"] != before["ETag"]


def test_representations_of_one_url_have_their_own_etags(client, release):
    html = client.get(release.get_absolute_url(), headers={"accept": "text/html"})
    other = client.get(release.get_absolute_url(), headers={"accept": "application/xhtml+xml"})

    assert html["ETag"] != other["ETag"]


def test_editor_never_receives_the_anonymous_copy(client, release, editor):
    draft = ReleaseFactory(status=Status.DRAFT, slug="draft-release", name="Draft release")
    client.get(release.get_absolute_url())  # warm the anonymous copy
    anonymous_draft = client.get(draft.get_absolute_url())

    client.force_login(editor)
    response = client.get(draft.get_absolute_url())

    assert anonymous_draft.status_code == 404
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_an_editors_page_is_not_stored_for_anonymous_readers(client, editor):
    draft = ReleaseFactory(status=Status.DRAFT, slug="draft-release")
    client.force_login(editor)
    assert client.get(draft.get_absolute_url()).status_code == 200

    client.logout()

    assert client.get(draft.get_absolute_url()).status_code == 404


def test_not_found_responses_are_not_cached(client):
    assert client.get("/releases/not-yet/").status_code == 404
    release = ReleaseFactory(slug="not-yet")

    assert client.get(release.get_absolute_url()).status_code == 200


def test_admin_is_left_alone(client):
    response = client.get("/admin/login/")

    assert "ETag" not in response


def test_with_the_response_cache_off_every_request_renders_but_validators_stay(client, release, settings):
    settings.RESPONSE_CACHE_ENABLED = False
    first = client.get(release.get_absolute_url())

    with CaptureQueriesContext(connection) as second_request:
        second = client.get(release.get_absolute_url())

    assert second.status_code == 200
    assert len(second_request.captured_queries) > 0  # rendered again, not served from the cache
    assert second["ETag"] == first["ETag"]
    assert client.get(release.get_absolute_url(), headers={"if-none-match": first["ETag"]}).status_code == 304


@pytest.mark.urls("tests.caching_urls")
def test_a_page_carrying_the_visitors_csrf_token_is_never_shared(client):
    first = client.get("/test/csrf-form/")
    client.cookies.clear()  # another visitor

    second = client.get("/test/csrf-form/")

    assert first.content != second.content
    assert "private" in second["Cache-Control"]
    assert "public" not in second["Cache-Control"]


def test_without_a_shared_content_state_the_middleware_stands_aside(client, release, settings):
    settings.CONTENT_STATE_SHARED = False

    response = client.get(release.get_absolute_url())

    assert response.status_code == 200
    assert "ETag" not in response


def test_a_stored_copy_from_before_an_edit_is_never_served(client, release):
    client.get(release.get_absolute_url())  # stored under the current token
    assert b"First summary." in client.get(release.get_absolute_url()).content

    type(release).objects.filter(pk=release.pk).update(summary="Changed behind the ORM's back.")
    release.save(update_fields=["status"])  # a save renews the token

    assert b"Changed behind the ORM" in client.get(release.get_absolute_url()).content


def test_made_up_query_strings_are_rendered_but_never_stored(client, release):
    client.get(release.get_absolute_url(), {"x": "1"})

    with CaptureQueriesContext(connection) as again:
        response = client.get(release.get_absolute_url(), {"x": "1"})

    assert response.status_code == 200
    assert len(again.captured_queries) > 0


@pytest.mark.parametrize("path", ["/releases/?year=2024", "/api/v1/releases/?year=2024", "/search/?q=qwen"])
def test_checked_query_strings_are_stored(client, release, path, django_assert_max_num_queries):
    client.get(path)

    with django_assert_max_num_queries(0):
        response = client.get(path)

    assert response.status_code == 200


# The front of the response cache (StoredAnswerMiddleware): stored copies and 304s answered
# before every other middleware, with the headers they were stored with, in one round trip.

FRONT_HEADERS = [
    "Content-Security-Policy",
    "Permissions-Policy",
    "Cross-Origin-Resource-Policy",
    "Cross-Origin-Opener-Policy",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "Vary",
    "Content-Type",
]


class CacheCalls:
    """The calls a request makes on the configured cache, by method: round trips with Redis (a
    backend's own calls inside one, such as local memory's get_many made of gets, are not counted)."""

    def __init__(self, monkeypatch):
        from django.core.cache import caches

        self.calls = []
        self.depth = 0
        backend = caches["default"]
        for method in ("get", "get_many", "set", "add", "delete", "incr"):
            original = getattr(backend, method)
            monkeypatch.setattr(backend, method, self._counting(method, original))

    def _counting(self, method, original):
        def call(*args, **kwargs):
            if not self.depth:
                self.calls.append(method)
            self.depth += 1
            try:
                return original(*args, **kwargs)
            finally:
                self.depth -= 1

        return call

    def reads(self):
        return [call for call in self.calls if call in ("get", "get_many")]


def test_a_stored_copy_keeps_every_header_it_was_rendered_with(client, release):
    first = client.get(release.get_absolute_url())

    second = client.get(release.get_absolute_url())

    assert second.content == first.content
    for name in FRONT_HEADERS:
        assert second[name] == first[name], name


def test_a_stored_answer_has_exactly_the_headers_of_the_rendered_page_under_any_case(client, release):
    first = client.get(release.get_absolute_url())

    second = client.get(release.get_absolute_url())
    compressed = client.get(release.get_absolute_url(), headers={"accept-encoding": "gzip"})

    assert {name.lower(): value for name, value in second.items()} == {
        name.lower(): value for name, value in first.items()
    }
    assert second["CONTENT-TYPE"] == first["Content-Type"]
    assert compressed["content-encoding"] == "gzip"  # set on the stored answer by the compression above it


def test_a_304_from_the_front_carries_the_security_headers_but_no_content_headers(client, release):
    first = client.get(release.get_absolute_url())

    answered = client.get(release.get_absolute_url(), headers={"if-none-match": first["ETag"]})

    assert answered.status_code == 304
    assert answered.content == b""
    for name in FRONT_HEADERS[:-1]:
        assert answered[name] == first[name], name
    assert "Content-Type" not in answered


def test_copies_are_stored_as_bytes_and_headers_not_as_responses(client, release, rf):
    from django.core.cache import cache

    from qwensite.freshness.middleware import CACHE_PREFIX, _digest, _representation

    client.get(release.get_absolute_url())

    token, (headers, content) = cache.get(CACHE_PREFIX + _digest(_representation(rf.get(release.get_absolute_url()))))
    assert isinstance(content, bytes)
    assert b"First summary." in content
    assert all(isinstance(name, str) and isinstance(value, str) for name, value in headers)
    assert ("X-Frame-Options", "DENY") in headers


@pytest.mark.usefixtures("unwatched_cache")
def test_a_stored_page_costs_one_cache_read_and_no_write(client, release, monkeypatch):
    client.get(release.get_absolute_url())
    calls = CacheCalls(monkeypatch)

    response = client.get(release.get_absolute_url())

    assert response.status_code == 200
    assert calls.calls == ["get_many"]


@pytest.mark.usefixtures("unwatched_cache")
def test_a_copy_the_process_keeps_is_not_read_again_only_the_state_of_what_the_page_shows(client, release, monkeypatch):
    from django.core.cache import caches

    from qwensite.freshness.state import KIND_KEY, STATE_KEY

    client.get(release.get_absolute_url())
    backend, asked = caches["default"], []
    original = backend.get_many

    def get_many(keys, **kwargs):
        asked.append(list(keys))
        return original(keys, **kwargs)

    monkeypatch.setattr(backend, "get_many", get_many)

    response = client.get(release.get_absolute_url())

    assert response.status_code == 200
    assert b"First summary." in response.content
    assert asked == [[STATE_KEY, KIND_KEY + "releases"]]  # a release page shows the catalogue's kind alone


def test_a_kept_copy_of_an_earlier_state_is_not_served(client, release):
    from qwensite.freshness.models import ContentVersion
    from releases.models import ModelRelease

    client.get(release.get_absolute_url())  # stored, and kept by this process
    # Another process's edit: the row and the shared state change; this process sees no signal.
    ModelRelease.objects.filter(pk=release.pk).update(summary="Edited elsewhere.")
    from qwensite.freshness.state import content_changed

    content_changed(kinds_changed=["releases"])
    assert ContentVersion.objects.exists()

    response = client.get(release.get_absolute_url())

    assert b"Edited elsewhere." in response.content


@pytest.mark.usefixtures("unwatched_cache")
def test_a_stored_api_answer_reads_the_throttle_count_in_the_same_round_trip(client, release, monkeypatch, settings):
    # At this rate a process writes a client's count once every 64 requests (batch_of).
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "6401/minute"}}
    client.get("/api/v1/releases/")
    calls = CacheCalls(monkeypatch)

    # A client this process has not counted yet in this window: its counts are read with the state.
    response = client.get("/api/v1/releases/", REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 200
    assert calls.calls == ["get_many"]  # counted by this process, written with its batch


@pytest.mark.usefixtures("unwatched_cache")
def test_a_client_whose_counts_the_process_knows_costs_no_throttle_read(client, release, monkeypatch, settings):
    from django.core.cache import caches

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "6401/minute"}}
    client.get("/api/v1/releases/")
    asked, original = [], caches["default"].get_many
    monkeypatch.setattr(
        caches["default"], "get_many", lambda keys, **kw: asked.append(list(keys)) or original(keys, **kw)
    )

    for _ in range(3):
        assert client.get("/api/v1/releases/").status_code == 200

    assert asked
    assert not [key for keys in asked for key in keys if key.startswith("throttle_")]


def test_the_front_counts_against_the_throttle_and_refuses_over_the_rate(client, release, settings):
    from rest_framework.settings import api_settings

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}
    assert api_settings.DEFAULT_THROTTLE_RATES["anon"] == "3/minute"

    statuses = [client.get("/api/v1/releases/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
