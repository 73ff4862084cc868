"""The catalogue's rows are kept per release version (qwensite.freshness.fragments)."""

from decimal import Decimal

import pytest

from tests.factories import ReleaseFactory, ReleaseSizeFactory

pytestmark = pytest.mark.django_db

ROW = "releases/_catalogue_row.html"


@pytest.fixture
def cold(settings):
    """Every request renders its page (no stored copy): only fragments can be reused."""
    settings.RESPONSE_CACHE_ENABLED = False


def rows_rendered(response):
    return sum(template.name == ROW for template in response.templates)


def test_rows_are_rendered_once_and_reused_by_the_next_request(client, cold):
    ReleaseFactory.create_batch(3)
    first = client.get("/releases/")

    second = client.get("/releases/")

    assert rows_rendered(first) == 3
    assert rows_rendered(second) == 0
    assert second.content == first.content


def test_an_edit_renders_again_only_the_row_of_the_release_edited(client, cold):
    edited, _other, _third = ReleaseFactory.create_batch(3)
    client.get("/releases/")

    edited.name = "Qwen Renamed"
    edited.save()
    response = client.get("/releases/")

    assert rows_rendered(response) == 1
    assert "Qwen Renamed" in response.content.decode()


def test_a_new_size_renders_the_row_again(client, cold):
    release = ReleaseFactory()
    client.get("/releases/")

    ReleaseSizeFactory(release=release, label="72B", parameters_b=Decimal("72"))
    response = client.get("/releases/")

    assert rows_rendered(response) == 1
    assert "72B" in response.content.decode()
