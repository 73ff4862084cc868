import datetime as dt

import pytest
from django.urls import reverse

from qwensite.freshness import pagination
from releases.models import ModelRelease
from tests.factories import ReleaseFactory, ReleaseSizeFactory

pytestmark = pytest.mark.django_db


def releases_with_sizes(count):
    for release in ReleaseFactory.create_batch(count):
        ReleaseSizeFactory(release=release)


@pytest.mark.parametrize("count", [3, 60])
def test_catalogue_page_queries_stay_constant_as_releases_grow(client, count, assert_max_request_queries):
    releases_with_sizes(count)

    # the count (first time only), the years for the filter menu, the page's releases, their sizes
    with assert_max_request_queries(4):
        response = client.get(reverse("releases:list"))

    assert response.status_code == 200


def test_catalogue_count_and_years_are_not_repeated_until_content_changes(client, settings, assert_max_request_queries):
    settings.RESPONSE_CACHE_ENABLED = False  # render the page again rather than serve its stored copy
    releases_with_sizes(30)
    client.get(reverse("releases:list"))

    with assert_max_request_queries(2):  # the page's releases and their sizes
        response = client.get(reverse("releases:list"))

    assert response.status_code == 200


def test_catalogue_deep_page_queries_stay_constant(client, settings, monkeypatch, assert_max_request_queries):
    settings.RESPONSE_CACHE_ENABLED = False
    monkeypatch.setattr(pagination, "DEFERRED_JOIN_FROM", 0)
    releases_with_sizes(60)
    client.get(reverse("releases:list"), {"page": "3"})

    with assert_max_request_queries(3):  # the page's keys, its releases, their sizes
        response = client.get(reverse("releases:list"), {"page": "3"})

    assert len(response.context["releases"]) == 10


def newest_first():
    return list(ModelRelease.objects.published().order_by("-release_date", "name", "pk"))


def test_catalogue_deep_page_is_the_offset_page_and_follows_an_edit(client, settings, monkeypatch):
    settings.RESPONSE_CACHE_ENABLED = False
    monkeypatch.setattr(pagination, "DEFERRED_JOIN_FROM", 0)
    for n in range(12):
        ReleaseFactory(name=f"Qwen {n % 2}", release_date=dt.date(2024, 1 + n % 3, 1))
    assert (
        client.get(reverse("releases:list"), {"page": "3", "page_size": "4"}).context["releases"] == newest_first()[8:]
    )

    ReleaseFactory(name="Qwen 0", release_date=dt.date(2024, 3, 1))  # one more at the top: every page moves on

    page = client.get(reverse("releases:list"), {"page": "3", "page_size": "4"}).context["releases"]
    assert page == newest_first()[8:12]
