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
