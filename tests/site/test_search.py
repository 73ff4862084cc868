"""Search across articles and releases: ranked, highlighted, on PostgreSQL and SQLite alike."""

import pytest
from django.urls import reverse

from qwensite.editorial.publishing import Status
from qwensite.search import search
from tests.factories import ArticleFactory, ReleaseFactory
from tests.site.helpers import build_catalogue

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")


def test_search_finds_articles_and_releases():
    ArticleFactory(title="The History of Qwen", body="Alibaba trained a reasoning model.")
    ReleaseFactory(name="QwQ-32B", summary="A reasoning model matured into a full release.")

    results = search("reasoning")

    assert {result.kind for result in results} == {"Article", "Release"}


def test_a_match_in_the_name_ranks_above_a_match_in_the_text():
    ReleaseFactory(name="Qwen 3", summary="Hybrid thinking.", source_quote="Hybrid thinking.")
    ReleaseFactory(name="Qwen 2.5", summary="Compared later with thinking models.", source_quote="Thinking.")
    ReleaseFactory(name="Thinking Qwen", summary="A model.", source_quote="A model.")

    results = search("thinking")

    assert results[0].title == "Thinking Qwen"


def test_every_word_of_the_query_must_match():
    ReleaseFactory(name="Qwen Coder", summary="For programming tasks.")
    ReleaseFactory(name="Qwen Math", summary="For mathematical reasoning.")

    results = search("programming tasks")

    assert [result.title for result in results] == ["Qwen Coder"]


def test_matched_words_are_highlighted():
    ReleaseFactory(name="Qwen Coder", summary="Built for programming tasks.")

    (result,) = search("programming")

    assert "<mark>programming</mark>" in result.excerpt


def test_stored_markup_in_an_excerpt_is_escaped():
    ReleaseFactory(name="Qwen Coder", summary="Scores 1 < 2 & 3 > 2 in programming tasks.")

    (result,) = search("programming")

    assert "1 &lt; 2 &amp; 3 &gt; 2" in result.excerpt


def test_drafts_are_not_found():
    ArticleFactory(title="Secret plans", status=Status.DRAFT, published_at=None)
    ReleaseFactory(name="Secret model", status=Status.DRAFT, published_at=None)

    assert search("secret") == []


def test_search_page_shows_ranked_highlighted_results(client):
    ReleaseFactory(name="Qwen Coder", summary="Built for programming tasks.")

    response = client.get(SEARCH, {"q": "programming"})

    assert response.status_code == 200
    assert "1 result for “programming”" in response.text
    assert "<mark>programming</mark>" in response.text


def test_search_page_without_a_query_shows_the_form(client):
    response = client.get(SEARCH)

    assert response.status_code == 200
    assert '<label for="search-q">' in response.text
    assert "result" not in response.text.split("<h1>Search</h1>")[1].split("</form>")[1]


def test_search_page_says_when_nothing_matches(client):
    response = client.get(SEARCH, {"q": "nothingmatchesthis"})

    assert "0 results" in response.text
    assert "Nothing matches." in response.text


def test_an_overlong_query_is_a_friendly_400(client):
    response = client.get(SEARCH, {"q": "x" * 201})

    assert response.status_code == 400
    assert "Ensure this value has at most 200 characters" in response.text


@pytest.mark.parametrize("count", [3, 30])
def test_search_queries_do_not_grow_with_releases(client, assert_max_request_queries, count):
    build_catalogue(count)

    with assert_max_request_queries(2):
        response = client.get(SEARCH, {"q": "release"})

    assert response.status_code == 200
    assert len(response.context["results"]) == count
