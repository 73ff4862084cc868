"""Each release's API representation is kept per release version (releases.serializers.ReleaseListSerializer)."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from qwensite.editorial.publishing import Status
from tests.factories import ReleaseFactory, ReleaseSizeFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:release-list")


@pytest.fixture
def releases():
    made = ReleaseFactory.create_batch(3)
    for release in made:
        ReleaseSizeFactory(release=release, parameters_b=Decimal("7"))
    return made


def test_a_page_of_kept_representations_reads_no_sizes(api_client, cold, releases, django_assert_max_num_queries):
    first = api_client.get(LIST)

    with django_assert_max_num_queries(3) as captured:
        second = api_client.get(LIST)

    assert second.content == first.content
    assert not [q for q in captured.captured_queries if "releases_releasesize" in q["sql"]]


def test_kept_representations_are_the_representations_built_afresh(api_client, cold, releases):
    api_client.get(LIST)
    kept = api_client.get(LIST).content

    cache.clear()  # every representation is built again
    built = api_client.get(LIST).content

    assert kept == built


def test_a_size_edit_is_in_the_next_list(api_client, cold, releases):
    api_client.get(LIST)
    size = releases[0].sizes.get()

    size.parameters_b = Decimal("14")
    size.save()
    listed = {row["slug"]: row for row in api_client.get(LIST).json()["results"]}

    assert listed[releases[0].slug]["sizes"][0]["parameters_b"] == 14.0


def test_an_unpublished_predecessor_is_hidden_from_readers_and_shown_to_editors(api_client, editor_api_client, cold):
    draft = ReleaseFactory(status=Status.DRAFT, published_at=None)
    release = ReleaseFactory(predecessor=draft)

    def predecessor(client):
        rows = client.get(LIST).json()["results"]
        return next(row["predecessor"] for row in rows if row["slug"] == release.slug)

    assert predecessor(api_client) is None
    assert predecessor(editor_api_client) == draft.slug
    assert predecessor(api_client) is None


def test_an_expanded_list_builds_its_claims_each_time(api_client, cold, releases, django_assert_max_num_queries):
    api_client.get(LIST, {"expand": "claims"})

    with django_assert_max_num_queries(5) as captured:
        body = api_client.get(LIST, {"expand": "claims"}).json()

    assert all("claims" in row for row in body["results"])
    assert [q for q in captured.captured_queries if "releases_claim" in q["sql"]]
