"""Two app servers, one PostgreSQL and one Redis: what one learns, the other serves at once."""

import json
import urllib.request

import pytest
from rest_framework.authtoken.models import Token

from benchmarks.harness import PROXY_HEADERS, fetch
from tests.factories import ReleaseFactory
from tests.scale.conftest import ANON_RATE

pytestmark = pytest.mark.django_db(transaction=True)


def page(server, path):
    status, _, body = fetch(server.base_url, path)
    assert status == 200
    return body.decode()


def test_an_edit_is_served_at_once_by_the_other_server(two_servers):
    first, second = two_servers
    release = ReleaseFactory(summary="Summary before the edit.")
    path = release.get_absolute_url()
    for server in (first, second):  # rendered, answered from the stored copy, then sent again in front
        for _ in range(3):
            assert "Summary before the edit." in page(server, path)

    release.summary = "Summary after the edit."
    release.save()

    assert "Summary after the edit." in page(second, path)
    assert "Summary after the edit." in page(first, path)


def test_a_release_published_is_listed_at_once_by_both_servers(two_servers):
    first, second = two_servers
    ReleaseFactory(name="Qwen Listed First")
    assert "Qwen Listed First" in page(first, "/releases/")
    assert "Qwen Listed First" in page(second, "/releases/")

    ReleaseFactory(name="Qwen Listed Later")

    assert "Qwen Listed Later" in page(second, "/releases/")
    assert "Qwen Listed Later" in page(first, "/releases/")


def test_an_edit_through_one_servers_api_is_served_at_once_by_the_other(two_servers, editor):
    first, second = two_servers
    release = ReleaseFactory(summary="Summary before the API edit.")
    token = Token.objects.create(user=editor).key
    assert "Summary before the API edit." in page(second, release.get_absolute_url())

    request = urllib.request.Request(
        f"{first.base_url}/api/v1/releases/{release.slug}/",
        data=json.dumps({"summary": "Summary after the API edit."}).encode(),
        method="PATCH",
        headers={**PROXY_HEADERS, "Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200

    assert "Summary after the API edit." in page(second, release.get_absolute_url())
    status, _, body = fetch(second.base_url, f"/api/v1/releases/{release.slug}/")
    assert status == 200
    assert json.loads(body)["summary"] == "Summary after the API edit."


def test_the_anonymous_throttle_counts_requests_across_both_servers(two_servers):
    first, second = two_servers
    ReleaseFactory()

    statuses = [fetch(server.base_url, "/api/v1/releases/")[0] for server in [first, second] * (ANON_RATE // 2)]
    over_status, over_headers, _ = fetch(second.base_url, "/api/v1/releases/")

    assert statuses == [200] * ANON_RATE
    assert over_status == 429
    assert int(over_headers["Retry-After"]) > 0
