"""Article list, detail, tag and author pages."""

import pytest
from django.conf import settings
from django.urls import reverse

from qwensite.editorial.publishing import Status
from tests.factories import ArticleFactory, AuthorFactory, ReleaseFactory, TagFactory
from tests.site.helpers import build_catalogue

pytestmark = pytest.mark.django_db


def test_article_list_shows_published_articles_with_author_and_date(client):
    article = ArticleFactory(title="The History of Qwen")
    ArticleFactory(title="Unfinished", status=Status.DRAFT, published_at=None)

    response = client.get(reverse("articles:list"))

    assert response.status_code == 200
    assert "The History of Qwen" in response.text
    assert article.author.name in response.text
    assert "Unfinished" not in response.text


def test_article_page_renders_markdown_with_byline_reading_time_and_tags(client):
    tag = TagFactory(name="qwen")
    article = ArticleFactory(body="## Rapid Iteration (2024)\n\nA *fast* year.", tags=[tag])

    response = client.get(article.get_absolute_url())

    assert '<h2 id="rapid-iteration-2024">Rapid Iteration (2024)</h2>' in response.text
    assert "<em>fast</em>" in response.text
    assert "1 minute to read" in response.text
    assert f'href="{tag.get_absolute_url()}">#qwen</a>' in response.text
    assert f'href="{article.author.get_absolute_url()}" rel="author"' in response.text


def test_article_page_has_a_table_of_contents(client):
    article = ArticleFactory(body="## One\n\nText.\n\n## Two\n\nMore.")

    response = client.get(article.get_absolute_url())

    assert '<li><a href="#one">One</a></li><li><a href="#two">Two</a></li>' in response.text


def test_article_links_release_names_to_the_catalogue(client):
    article = ArticleFactory(body="## 2024\n\nJune 2024: Qwen 2 arrived.")
    release = ReleaseFactory(name="Qwen 2", slug="qwen-2", source_article=article, source_section="2024")

    response = client.get(article.get_absolute_url())

    assert f'<a href="{release.get_absolute_url()}" title="Qwen 2 in the release catalogue">Qwen 2</a>' in response.text


def test_article_does_not_link_an_unpublished_release(client):
    article = ArticleFactory(body="Qwen 9 is coming.")
    ReleaseFactory(name="Qwen 9", source_article=article, status=Status.DRAFT, published_at=None)

    response = client.get(article.get_absolute_url())

    assert "/releases/" not in response.text.split('class="prose"')[1].split("</div>")[0]


def test_article_lists_the_releases_it_tells_with_links_to_their_passages(client):
    article = ArticleFactory()
    ReleaseFactory(name="Qwen 1.0", source_article=article, source_section="first-section")

    response = client.get(article.get_absolute_url())

    assert "Releases in this story" in response.text
    assert '<a href="#first-section">passage<span class="visually-hidden"> telling Qwen 1.0</span></a>' in response.text


def test_article_page_has_open_graph_and_article_json_ld(client):
    article = ArticleFactory(title="The History of Qwen", summary="Qwen's story.")

    response = client.get(article.get_absolute_url())

    assert '<meta property="og:type" content="article">' in response.text
    assert '<meta property="og:title" content="The History of Qwen">' in response.text
    assert '<meta name="twitter:card" content="summary">' in response.text
    assert '"@type": "Article"' in response.text
    assert f'<link rel="canonical" href="{settings.SITE_URL}{article.get_absolute_url()}">' in response.text


def test_draft_article_is_not_found_for_readers(client):
    article = ArticleFactory(status=Status.DRAFT, published_at=None)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 404


def test_tag_page_lists_only_that_tags_articles(client):
    tag = TagFactory(name="llm")
    tagged = ArticleFactory(title="Tagged", tags=[tag])
    ArticleFactory(title="Other")

    response = client.get(tag.get_absolute_url())

    assert [article.pk for article in response.context["articles"]] == [tagged.pk]
    assert "Articles tagged #llm" in response.text


def test_author_page_lists_the_authors_articles(client):
    author = AuthorFactory(name="Michele Zonca")
    theirs = ArticleFactory(author=author)
    ArticleFactory()

    response = client.get(author.get_absolute_url())

    assert [article.pk for article in response.context["articles"]] == [theirs.pk]
    assert "<h1>Michele Zonca</h1>" in response.text


def test_unknown_tag_is_not_found(client):
    response = client.get(reverse("articles:tag", kwargs={"slug": "nope"}))

    assert response.status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_article_page_queries_do_not_grow_with_releases(client, assert_max_request_queries, count):
    article = build_catalogue(count)

    with assert_max_request_queries(3):
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_article_list_queries_do_not_grow_with_articles(client, assert_max_request_queries, count):
    tag = TagFactory()
    for _ in range(count):
        ArticleFactory(tags=[tag])

    with assert_max_request_queries(3):
        response = client.get(reverse("articles:list"))

    assert response.status_code == 200
