"""Search tolerates typos, on PostgreSQL (stored vectors, pg_trgm) and on SQLite (difflib)."""

import pytest
from django.db import connection
from django.urls import reverse

from articles.models import Article
from qwensite.editorial.publishing import Status
from qwensite.search import search
from releases.models import ModelRelease
from tests.factories import ArticleFactory, ReleaseFactory
from tests.site.helpers import build_catalogue

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")


def test_a_misspelt_word_finds_the_releases_and_articles_of_the_right_one(seeded):
    results = search("resoning")

    assert results.corrected == "reasoning"
    titles = {result.title for result in results}
    assert {"QwQ-32B", "QwQ-32B-Preview"} <= titles
    assert "The History of Qwen" in titles


def test_the_corrected_word_is_highlighted(seeded):
    results = search("resoning")

    assert any("<mark>reasoning</mark>" in result.excerpt.lower() for result in results)


def test_a_correctly_spelt_query_is_not_corrected(seeded):
    results = search("reasoning")

    assert results
    assert results.corrected is None


def test_only_the_misspelt_word_of_a_query_is_corrected():
    ReleaseFactory(name="Qwen Coder", summary="Built for programming tasks.")
    ReleaseFactory(name="Qwen Math", summary="Built for mathematics.")

    results = search("progrmming tasks")

    assert results.corrected == "programming tasks"
    assert [result.title for result in results] == ["Qwen Coder"]


def test_a_word_far_from_every_indexed_word_finds_nothing(seeded):
    results = search("zxqvbnm")

    assert list(results) == []
    assert results.corrected is None


def test_a_draft_word_is_never_offered_as_a_correction():
    ReleaseFactory(name="Qwen Public", summary="Published words.")
    ReleaseFactory(name="Qwen Zanzibarian", summary="Draft words.", status=Status.DRAFT, published_at=None)

    results = search("zanzibarion")

    assert list(results) == []
    assert results.corrected is None


def test_the_search_page_says_which_query_it_searched(client, seeded):
    response = client.get(SEARCH, {"q": "resoning"})

    assert response.status_code == 200
    assert "Nothing matches “resoning”, so these are the results for <strong>reasoning</strong>" in response.text
    assert "<mark>reasoning</mark>" in response.text.lower()


def test_a_correction_escapes_what_the_reader_typed(client, seeded):
    response = client.get(SEARCH, {"q": "<b>resoning</b>"})

    assert "<b>resoning</b>" not in response.text
    assert "&lt;b&gt;resoning&lt;/b&gt;" in response.text


@pytest.mark.parametrize("count", [3, 30])
def test_a_corrected_search_does_bounded_work(client, django_assert_max_num_queries, count):
    build_catalogue(count)
    release = ModelRelease.objects.first()
    release.summary = "A reasoning model."
    release.save()
    # Budget: the search (articles, releases), the candidate words (articles, releases, on
    # PostgreSQL; every published row on SQLite, in two queries), the corrected search.
    with django_assert_max_num_queries(7):
        results = search("resoning")

    assert results.corrected == "reasoning"


def test_the_stored_vectors_follow_every_save():
    release = ReleaseFactory(name="Qwen Alpha", summary="Gooseberry words.")
    release.summary = "Entirely different vocabulary now."
    release.save()

    assert [result.title for result in search("vocabulary")] == ["Qwen Alpha"]
    assert list(search("gooseberry")) == []


def test_the_stored_vectors_follow_a_save_of_some_fields_only():
    article = ArticleFactory(title="Plain title", body="Nothing special.")
    article.title = "Marmalade title"
    article.save(update_fields=["title"])

    assert [result.title for result in search("marmalade")] == ["Marmalade title"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stored vectors exist on PostgreSQL only")
def test_loaded_fixtures_get_their_vectors_on_postgresql(seeded):
    assert not ModelRelease.objects.filter(search_vector__isnull=True).exists()
    assert not ModelRelease.objects.filter(quote_vector__isnull=True).exists()
    assert not Article.objects.filter(search_vector__isnull=True).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stored vectors exist on PostgreSQL only")
def test_the_vectors_carry_gin_indexes_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%%search'")
        indexes = dict(cursor.fetchall())

    assert "USING gin (search_vector)" in indexes["release_search"]
    assert "USING gin (search_vector)" in indexes["article_search"]
