import pytest
from django.urls import reverse

from qwensite import pagination
from tests.factories import ReleaseFactory, ReleaseSizeFactory

pytestmark = pytest.mark.django_db


def releases_with_sizes(count):
    for release in ReleaseFactory.create_batch(count):
        ReleaseSizeFactory(release=release)


@pytest.mark.parametrize("count", [3, 60])
def test_catalogue_page_queries_stay_constant_as_releases_grow(client, count, django_assert_max_num_queries):
    releases_with_sizes(count)

    with django_assert_max_num_queries(3):  # the count (first time only), the page's releases, their sizes
        response = client.get(reverse("releases:list"))

    assert response.status_code == 200


def test_catalogue_count_is_not_repeated_until_content_changes(client, django_assert_max_num_queries):
    releases_with_sizes(30)
    client.get(reverse("releases:list"))

    with django_assert_max_num_queries(2):  # the page's releases and their sizes
        client.get(reverse("releases:list"))


def test_catalogue_deep_page_queries_stay_constant(client, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(pagination, "DEFERRED_JOIN_FROM", 0)
    releases_with_sizes(60)
    client.get(reverse("releases:list"), {"page": "last"})

    with django_assert_max_num_queries(3):  # the page's keys, its releases, their sizes
        response = client.get(reverse("releases:list"), {"page": "last"})

    assert len(response.context["releases"]) == 10
