"""A page whose rows are all kept is answered from them, its entries never made whole
(qwensite.freshness.pagination.ScalablePaginator with ``kept``; qwensite.freshness.prepared.Fetched)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qwensite.freshness.fragments import VERSION_FIELDS, version_of
from qwensite.freshness.local import forget_local
from qwensite.freshness.prepared import Fetched, PreparedList
from releases.api import ReleaseViewSet
from releases.serializers import ReleaseSerializer
from releases.views import catalogue_at
from tests.factories import ReleaseFactory, ReleaseSizeFactory
from tests.test_prepared import NOW, api_list

pytestmark = pytest.mark.django_db

API_LIST = "api:release-list"
CATALOGUE = "releases:list"


@pytest.fixture(autouse=True)
def nothing_kept(nothing_prepared):
    """Each test compiles its lists anew, with no rows kept."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def releases():
    made = ReleaseFactory.create_batch(7)
    for release in made[:3]:
        ReleaseSizeFactory(release=release)
    return made


@pytest.fixture
def made_whole(monkeypatch):
    """How many pages were made into whole instances."""
    calls = []
    instances = Fetched.instances

    def counted(self):
        calls.append(len(self.rows))
        return instances(self)

    monkeypatch.setattr(Fetched, "instances", counted)
    return calls


def test_entries_hold_what_tells_their_version_and_nothing_else(releases):
    fetched = api_list(AnonymousUser()).fetch(0, 5, NOW)

    entries, whole = fetched.entries(VERSION_FIELDS), fetched.instances()

    assert [version_of(entry) for entry in entries] == [version_of(release) for release in whole]
    assert [entry.source_slug for entry in entries] == [release.source_slug for release in whole]
    assert [entry.predecessor_slug for entry in entries] == [release.predecessor_slug for release in whole]
    assert set(vars(entries[0])) == {"_meta", "id", "pk", "version", "updated_at", "source_slug", "predecessor_slug"}
    assert [entry.pk for entry in entries] == [release.pk for release in whole]
    assert whole[0].get_deferred_fields() == set(ReleaseSerializer.Meta.model.search_vectors)


def test_the_whole_instances_are_those_of_the_queryset(releases):
    listed = PreparedList(("test-whole",), lambda now: catalogue_at(now).order_by("-release_date", "name", "pk"))

    read = listed.fetch(0, 7, NOW).instances()
    by_the_orm = list(catalogue_at(NOW).order_by("-release_date", "name", "pk")[:7])

    assert read == by_the_orm
    for mine, theirs in zip(read, by_the_orm, strict=True):
        assert mine.__dict__.keys() == theirs.__dict__.keys()
        assert {k: v for k, v in mine.__dict__.items() if k != "_state"} == {
            k: v for k, v in theirs.__dict__.items() if k != "_state"
        }


@pytest.mark.parametrize(("name", "query"), [(API_LIST, {"page_size": 4}), (CATALOGUE, {})])
def test_a_page_of_kept_rows_is_answered_without_whole_entries(client, cold, releases, made_whole, name, query):
    url = reverse(name)
    first = client.get(url, query)
    assert len(made_whole) == 1  # the first answer made its rows whole

    with CaptureQueriesContext(connection) as again:
        second = client.get(url, query)

    assert second.status_code == 200
    assert second.content == first.content
    assert len(made_whole) == 1  # not again: the page was told by its entries' versions
    reads = [entry["sql"] for entry in again.captured_queries if entry["sql"].startswith("SELECT")]
    assert len(reads) <= 2  # the page's rows, and the content version check at most


def test_the_api_page_kept_is_not_serialized_again(api_client, cold, releases, monkeypatch):
    url = reverse(API_LIST)
    first = api_client.get(url, {"page_size": 3, "page": 2})
    serialized = []
    monkeypatch.setattr(ReleaseSerializer, "to_representation", lambda self, release: serialized.append(release))

    second = api_client.get(url, {"page_size": 3, "page": 2})

    assert second.content == first.content
    assert serialized == []


@pytest.mark.parametrize("name", [API_LIST, CATALOGUE])
def test_a_changed_row_makes_its_page_whole_once_and_shows_the_change(client, cold, releases, made_whole, name):
    url = reverse(name)
    client.get(url)
    release = releases[0]
    release.name = "A name changed after the page was kept"
    release.save()
    made_whole.clear()

    changed = client.get(url)
    again = client.get(url)

    assert "A name changed after the page was kept" in changed.content.decode()
    assert again.content == changed.content
    assert len(made_whole) == 1  # the page with the changed row, once


@pytest.mark.parametrize("kept_first", [False, True])
def test_a_page_is_one_query_of_its_rows_whether_kept_or_not(api_client, cold, releases, kept_first):
    url, query = reverse(API_LIST), {"page": 2, "page_size": 3}
    if kept_first:
        api_client.get(url, query)

    with CaptureQueriesContext(connection) as captured:
        api_client.get(url, query)

    pages = [entry["sql"] for entry in captured.captured_queries if "LIMIT 3 OFFSET 3" in entry["sql"]]
    assert len(pages) == 1


def test_an_empty_list_page_is_kept_as_empty(client, cold, made_whole):
    answer = client.get(reverse(API_LIST))

    assert answer.status_code == 200
    assert answer.json()["results"] == []
    assert made_whole == []  # nothing to make whole: the page was answered from its (no) kept rows


def test_a_list_without_kept_rows_is_answered_as_before(api_client, cold, releases, monkeypatch):
    url = reverse(API_LIST)
    with_kept = [api_client.get(url, {"page_size": 4}).content for _ in range(2)]
    monkeypatch.setattr(ReleaseViewSet, "kept_rows", None)
    cache.clear()
    forget_local()
    without = [api_client.get(url, {"page_size": 4}).content for _ in range(2)]

    assert with_kept == without


@pytest.fixture
def built(monkeypatch):
    """How many times the release API built its queryset."""
    calls = []
    get_queryset = ReleaseViewSet.get_queryset

    def counted(self):
        calls.append(self.action)
        return get_queryset(self)

    monkeypatch.setattr(ReleaseViewSet, "get_queryset", counted)
    return calls


def test_an_unfiltered_api_page_read_by_its_prepared_sql_builds_no_queryset(api_client, cold, releases, built):
    url = reverse(API_LIST)
    api_client.get(url, {"page_size": 3})  # counts the list: that builds it
    built.clear()

    answer = api_client.get(url, {"page_size": 3, "page": 2})

    assert answer.status_code == 200
    assert [row["slug"] for row in answer.json()["results"]] == [
        release.slug for release in sorted(releases, key=lambda r: (-r.release_date.toordinal(), r.name, r.pk))
    ][3:6]
    assert built == []


@pytest.mark.parametrize("query", [{"year": "2024"}, {"format": "csv"}, {"expand": "claims"}])
def test_a_filtered_or_exported_api_list_is_built(api_client, cold, releases, built, query):
    answer = api_client.get(reverse(API_LIST), query)

    assert answer.status_code == 200
    assert built == ["list"]


def test_a_paginator_of_an_unbuilt_prepared_list_pages_as_over_the_built_list(releases, monkeypatch):
    from qwensite.freshness import pagination
    from qwensite.freshness.pagination import ScalablePaginator

    monkeypatch.setattr(pagination, "DEFERRED_JOIN_FROM", 2)  # pages from the third row on are sought by key
    listed = PreparedList(("test-unbuilt",), lambda now: catalogue_at(now).order_by("-release_date", "name"))

    def pages(object_list):
        paginator = ScalablePaginator(object_list, 2, count_key="test-unbuilt", prepared=listed)
        return paginator.count, [[row.pk for row in paginator.page(n).object_list] for n in paginator.page_range]

    unbuilt, over_the_built = pages(None), pages(catalogue_at().order_by("-release_date", "name"))

    assert unbuilt == over_the_built
    assert unbuilt[0] == len(releases)
    assert sorted(pk for page in unbuilt[1] for pk in page) == sorted(release.pk for release in releases)


def test_an_unfiltered_catalogue_page_read_by_its_prepared_sql_builds_no_queryset(client, cold, releases, monkeypatch):
    from releases import views

    built = []
    monkeypatch.setattr(views, "catalogue_at", lambda now=None: built.append(now) or catalogue_at(now))
    url = reverse(CATALOGUE)
    first = client.get(url)  # counts the list and compiles its SQL: those build it
    built.clear()

    again = client.get(url)
    filtered = client.get(url, {"open_weights": "true"})

    assert again.status_code == filtered.status_code == 200
    assert again.content == first.content
    assert built == [None]  # the filtered list alone, at the present
