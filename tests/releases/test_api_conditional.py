"""Conditional GET on the API: validators from the data, 304s, and edits seen at once."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from qwensite.editorial.publishing import Status
from tests.factories import ReleaseFactory, ReleaseSizeFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:release-list")


def test_list_carries_etag_and_last_modified(api_client):
    ReleaseFactory()

    response = api_client.get(LIST)

    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert "Last-Modified" in response


def test_matching_if_none_match_on_the_list_gets_304(api_client):
    ReleaseFactory()
    etag = api_client.get(LIST)["ETag"]

    response = api_client.get(LIST, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304


def test_a_size_edit_changes_the_lists_etag_and_content(api_client):
    release = ReleaseFactory(slug="qwen-2")
    size = ReleaseSizeFactory(release=release, parameters_b=Decimal("57"))
    before = api_client.get(LIST)

    size.parameters_b = Decimal("72")
    size.save()
    after = api_client.get(LIST, HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after.json()["results"][0]["max_size_b"] == 72


def test_json_and_csv_have_their_own_etags(api_client):
    ReleaseFactory()

    json_etag = api_client.get(LIST)["ETag"]
    csv_etag = api_client.get(LIST, {"format": "csv"})["ETag"]

    assert json_etag != csv_etag


def test_a_token_client_gets_its_own_private_validators_and_sees_drafts(api_client, editor_api_client):
    ReleaseFactory(status=Status.DRAFT, slug="draft-release")
    anonymous = api_client.get(LIST)

    response = editor_api_client.get(LIST, HTTP_IF_NONE_MATCH=anonymous["ETag"])

    assert response.status_code == 200
    assert [r["slug"] for r in response.json()["results"]] == ["draft-release"]
    assert "private" in response["Cache-Control"]


def test_304s_count_toward_the_anonymous_throttle(api_client):
    ReleaseFactory()
    rest = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}
    with override_settings(REST_FRAMEWORK=rest):
        etag = api_client.get(LIST)["ETag"]
        assert api_client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304

        response = api_client.get(LIST, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 429
