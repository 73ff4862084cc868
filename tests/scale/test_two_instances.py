"""Two app servers, one PostgreSQL and one Redis: what one learns, the other serves at once."""

import pytest

from benchmarks.harness import fetch
from tests.factories import ReleaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def page(server, path):
    status, _, body = fetch(server.base_url, path)
    assert status == 200
    return body.decode()


def test_an_edit_is_served_at_once_by_the_other_server(two_servers):
    first, second = two_servers
    release = ReleaseFactory(summary="Summary before the edit.")
    path = release.get_absolute_url()
    assert "Summary before the edit." in page(first, path)
    assert "Summary before the edit." in page(second, path)

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
