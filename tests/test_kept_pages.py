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


def test_the_same_rows_read_again_are_the_same_entries(releases):
    listed = api_list(AnonymousUser())

    first = listed.fetch(0, 5, NOW).entries(VERSION_FIELDS)
    again = listed.fetch(0, 5, NOW).entries(VERSION_FIELDS)

    assert [entry.pk for entry in again] == [entry.pk for entry in first]
    assert all(mine is theirs for mine, theirs in zip(again, first, strict=True))  # made once
    assert again is not first  # the list is each caller's own


def test_a_row_changed_since_is_read_into_a_new_entry(releases):
    listed = api_list(AnonymousUser())
    first = listed.fetch(0, 7, NOW).entries(VERSION_FIELDS)
    changed = next(release for release in releases if release.pk == first[0].pk)
    changed.summary = "Told otherwise since its page was read"  # its place in the list stays
    changed.save()

    again = listed.fetch(0, 7, NOW).entries(VERSION_FIELDS)

    assert again[0] is not first[0]
    assert version_of(again[0]) == version_of(ReleaseSerializer.Meta.model.objects.get(pk=changed.pk))
    assert version_of(again[0]) != version_of(first[0])


def test_rows_that_cannot_be_compared_are_not_named(releases):
    fetched = api_list(AnonymousUser()).fetch(0, 2, NOW)

    assert fetched.named(VERSION_FIELDS) is not None
    unhashable = Fetched(fetched.compiled, [(*fetched.rows[0][:-1], ["a list"])])  # the last: an annotation
    assert unhashable.named(VERSION_FIELDS) is None
    assert len(unhashable.entries(VERSION_FIELDS)) == 1  # made, not kept
    assert Fetched(fetched.compiled, []).named(VERSION_FIELDS) is None


@pytest.fixture
def keys_worked_out(calls_of):
    """The times the keys of a page's kept rows were worked out from its entries' versions."""
    from qwensite.freshness import fragments

    return calls_of(fragments, "_keys")


@pytest.mark.parametrize("name", [API_LIST, CATALOGUE])
def test_a_page_read_again_works_out_its_rows_key_once(client, cold, releases, keys_worked_out, name):
    url = reverse(name)
    first = client.get(url)
    client.get(url)
    keys_worked_out.clear()

    again = client.get(url)

    assert again.content == first.content
    assert keys_worked_out == []


def test_the_key_of_the_same_rows_is_worked_out_again_in_another_context(releases):
    from qwensite.freshness.fragments import KeptRows

    fetched = api_list(AnonymousUser()).fetch(0, 3, NOW)
    entries = fetched.entries(VERSION_FIELDS)
    versions = []

    def version(entry):
        versions.append(entry.pk)
        return version_of(entry)

    for context in ["https://one.example", "https://one.example", "https://two.example"]:
        named = fetched.named(VERSION_FIELDS)
        assert KeptRows("test-context", version, VERSION_FIELDS, context).get(entries, named) is None

    assert len(versions) == 2 * len(entries)  # once for each context


def test_the_key_of_the_same_rows_is_worked_out_again_for_another_version(releases):
    from qwensite.freshness.fragments import KeptRows

    fetched = api_list(AnonymousUser()).fetch(0, 3, NOW)
    entries, named = fetched.entries(VERSION_FIELDS), fetched.named(VERSION_FIELDS)
    versions = []

    def version(entry):
        versions.append("plain")
        return version_of(entry)

    def another(entry):
        versions.append("another")
        return version_of(entry, "another")

    for told in (version, another, version):
        KeptRows("test-versions", told, VERSION_FIELDS).get(entries, named)

    assert versions == ["plain"] * 3 + ["another"] * 3


def test_the_api_page_kept_follows_the_sites_address(api_client, cold, releases, settings):
    url = reverse(API_LIST)
    api_client.get(url)
    api_client.get(url)

    settings.SITE_URL = "https://qwen-history.example"
    moved = api_client.get(url).json()

    assert moved["results"][0]["url"].startswith("https://qwen-history.example/api/")
    assert moved["results"][0]["web_url"].startswith("https://qwen-history.example/releases/")


def test_the_converters_of_a_list_are_worked_out_once_per_connection(releases, calls_of):
    from django.db.models.sql.compiler import SQLCompiler

    worked_out = calls_of(SQLCompiler, "get_converters")
    listed = api_list(AnonymousUser())

    first = [listed.fetch(0, 5, NOW).instances() for _ in range(3)]
    entries = [listed.fetch(bottom, bottom + 2, NOW).entries(VERSION_FIELDS) for bottom in range(3)]

    assert len(worked_out) == 2  # one for whole instances, one for entries' columns
    assert first[0] == first[2] == list(catalogue_at(NOW).order_by("-release_date", "name", "pk")[:5])
    assert [entry.pk for entry in entries[1]] == [release.pk for release in first[0][1:3]]


@pytest.mark.parametrize("name", [API_LIST, CATALOGUE])
def test_a_prepared_lists_ordering_is_worked_out_once_per_process(client, cold, releases, calls_of, name):
    from qwensite.freshness import pagination

    worked_out = calls_of(pagination, "ordering_of")
    url = reverse(name)

    pages = [client.get(url, {"page_size": 3, "page": page}) for page in (1, 2, 1)]
    filtered = [client.get(url, {"kind": "coder"}) for _ in range(2)]

    assert [page.status_code for page in pages + filtered] == [200] * 5
    assert pages[0].content == pages[2].content != pages[1].content
    assert len(worked_out) == 1 + 2  # the prepared list's once; a filtered list's each time
