import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from qwensite.editorial.publishing import Status
from tests.factories import ArticleFactory, AuthorFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:article-list")


def detail(slug):
    return reverse("api:article-detail", kwargs={"slug": slug})


def slugs(response):
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def published(year):
    return dt.datetime(year, 3, 8, tzinfo=dt.UTC)


# Reading


def test_article_detail_carries_body_markdown_sanitized_html_and_metadata(api_client):
    author = AuthorFactory(slug="michele-zonca")
    tag = TagFactory(slug="qwen")
    ArticleFactory(
        slug="history",
        author=author,
        tags=[tag],
        body="Intro.\n\n## The beginning\n\n<script>alert(1)</script> Words. [x](javascript:alert(1))\n",
    )

    body = api_client.get(detail("history")).json()

    assert body["slug"] == "history"
    assert body["url"] == "http://127.0.0.1:8000/api/v1/articles/history/"
    assert body["web_url"] == "http://127.0.0.1:8000/articles/history/"
    assert body["author"] == "michele-zonca"
    assert body["tags"] == ["qwen"]
    assert body["body_markdown"].startswith("Intro.")
    assert '<h2 id="the-beginning">The beginning</h2>' in body["body_html"]
    assert "<script" not in body["body_html"]
    assert "javascript:" not in body["body_html"]
    assert body["reading_time_minutes"] == 1


def test_article_list_leaves_out_the_body(api_client):
    ArticleFactory()

    (row,) = api_client.get(LIST).json()["results"]

    assert "body_markdown" not in row
    assert "body_html" not in row
    assert row["reading_time_minutes"] == 1


def test_anonymous_clients_see_only_published_due_articles(api_client):
    live = ArticleFactory()
    ArticleFactory(status=Status.DRAFT, published_at=None)
    ArticleFactory(published_at=timezone.now() + dt.timedelta(hours=1))

    assert slugs(api_client.get(LIST)) == [live.slug]


def test_a_draft_article_is_404_to_anonymous_clients(api_client):
    draft = ArticleFactory(status=Status.DRAFT, published_at=None)

    assert api_client.get(detail(draft.slug)).status_code == 404


def test_editors_see_draft_articles(editor_api_client):
    draft = ArticleFactory(status=Status.DRAFT, published_at=None)

    assert editor_api_client.get(detail(draft.slug)).status_code == 200


# Filters


def test_filter_tag(api_client):
    qwen = TagFactory(slug="qwen")
    wanted = ArticleFactory(tags=[qwen, TagFactory()])
    ArticleFactory(tags=[TagFactory()])

    assert slugs(api_client.get(LIST, {"tag": "qwen"})) == [wanted.slug]


def test_filter_tags_comma_separated_mean_or_without_duplicates(api_client):
    a, b = TagFactory(slug="a"), TagFactory(slug="b")
    both = ArticleFactory(tags=[a, b])
    only_b = ArticleFactory(tags=[b])
    ArticleFactory(tags=[TagFactory()])

    assert sorted(slugs(api_client.get(LIST, {"tag": "a,b"}))) == sorted([both.slug, only_b.slug])


def test_filter_author(api_client):
    wanted = ArticleFactory(author=AuthorFactory(slug="michele-zonca"))
    ArticleFactory()

    assert slugs(api_client.get(LIST, {"author": "michele-zonca"})) == [wanted.slug]


def test_filter_year(api_client):
    wanted = ArticleFactory(published_at=published(2025))
    ArticleFactory(published_at=published(2024))

    assert slugs(api_client.get(LIST, {"year": 2025})) == [wanted.slug]


def test_filter_search_in_title_summary_and_body(api_client):
    by_title = ArticleFactory(title="The History of Qwen", body="Text.")
    by_body = ArticleFactory(title="Other", body="Tongyi Qianwen history.")
    ArticleFactory(title="Unrelated", summary="Nothing.", body="Nothing.")

    assert sorted(slugs(api_client.get(LIST, {"search": "history"}))) == sorted([by_title.slug, by_body.slug])


def test_article_filters_combine(api_client):
    author, tag = AuthorFactory(slug="mz"), TagFactory(slug="qwen")
    wanted = ArticleFactory(author=author, tags=[tag], published_at=published(2026))
    ArticleFactory(author=author, tags=[tag], published_at=published(2025))
    ArticleFactory(tags=[tag], published_at=published(2026))

    assert slugs(api_client.get(LIST, {"author": "mz", "tag": "qwen", "year": 2026})) == [wanted.slug]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"year": "abc"}, "year"),
        ({"tag": "not a slug"}, "tag"),
        ({"author": "bad/slug"}, "author"),
        ({"tags": "qwen"}, "tags"),
        ({"page_size": "101"}, "page_size"),
    ],
)
def test_bad_article_parameter_is_400_naming_it(api_client, params, name):
    response = api_client.get(LIST, params)

    assert response.status_code == 400
    assert list(response.json()) == [name]


# Authors and tags


def test_tags_carry_counts_of_published_articles(api_client):
    qwen = TagFactory(slug="qwen", name="Qwen")
    ArticleFactory(tags=[qwen])
    ArticleFactory(tags=[qwen], status=Status.DRAFT, published_at=None)

    (row,) = api_client.get(reverse("api:tag-list")).json()["results"]

    assert row == {
        "slug": "qwen",
        "name": "Qwen",
        "url": "http://127.0.0.1:8000/api/v1/tags/qwen/",
        "web_url": "http://127.0.0.1:8000/articles/tags/qwen/",
        "article_count": 1,
    }


def test_editors_tag_counts_include_drafts(editor_api_client):
    qwen = TagFactory(slug="qwen")
    ArticleFactory(tags=[qwen], status=Status.DRAFT, published_at=None)

    response = editor_api_client.get(reverse("api:tag-detail", kwargs={"slug": "qwen"}))

    assert response.json()["article_count"] == 1


def test_authors_carry_counts_of_published_articles(api_client):
    author = AuthorFactory(slug="michele-zonca", name="Michele Zonca")
    ArticleFactory(author=author)
    ArticleFactory(author=author)

    row = api_client.get(reverse("api:author-detail", kwargs={"slug": "michele-zonca"})).json()

    assert (row["name"], row["article_count"], row["web_url"]) == (
        "Michele Zonca",
        2,
        "http://127.0.0.1:8000/articles/authors/michele-zonca/",
    )


def test_authors_and_tags_are_read_only_even_for_superusers(api_client):
    api_client.force_authenticate(UserFactory(is_superuser=True))

    response = api_client.post(reverse("api:tag-list"), {"slug": "new", "name": "New"}, format="json")

    assert response.status_code == 405


# Query counts


@pytest.mark.parametrize("rows", [2, 20])
def test_article_list_query_count_does_not_grow(api_client, assert_max_request_queries, rows):
    tags = [TagFactory(), TagFactory()]
    for _ in range(rows):
        ArticleFactory(tags=tags)

    with assert_max_request_queries(3):
        response = api_client.get(LIST, {"page_size": rows, "tag": tags[0].slug})

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [2, 20])
@pytest.mark.parametrize("endpoint", ["api:tag-list", "api:author-list"])
def test_author_and_tag_list_query_count_does_not_grow(api_client, assert_max_request_queries, rows, endpoint):
    for _ in range(rows):
        ArticleFactory(tags=[TagFactory()])

    with assert_max_request_queries(2):
        response = api_client.get(reverse(endpoint), {"page_size": rows})

    assert len(response.json()["results"]) == rows


# Writes


def test_editor_creates_an_article_with_tags(editor_api_client):
    AuthorFactory(slug="mz")
    TagFactory(slug="qwen")

    response = editor_api_client.post(
        LIST,
        {"slug": "new", "title": "New", "author": "mz", "tags": ["qwen"], "body_markdown": "## Hi\n\nText."},
        format="json",
    )

    assert response.status_code == 201, response.content
    article = Article.objects.get(slug="new")
    assert [t.slug for t in article.tags.all()] == ["qwen"]
    assert article.status == Status.DRAFT
    assert response.json()["body_html"] == '<h2 id="hi">Hi</h2>\n<p>Text.</p>'


def test_anonymous_article_write_is_401(api_client):
    article = ArticleFactory(title="Before")

    response = api_client.patch(detail(article.slug), {"title": "After"}, format="json")

    assert response.status_code == 401
    article.refresh_from_db()
    assert article.title == "Before"


def test_article_with_unknown_tag_is_400_and_not_stored(editor_api_client):
    AuthorFactory(slug="mz")

    response = editor_api_client.post(
        LIST, {"slug": "new", "title": "New", "author": "mz", "tags": ["nope"], "body_markdown": "x"}, format="json"
    )

    assert response.status_code == 400
    assert "tags" in response.json()
    assert not Article.objects.filter(slug="new").exists()


def test_patching_tags_replaces_them_and_other_fields_keep(editor_api_client):
    article = ArticleFactory(title="Keep", tags=[TagFactory(slug="old")])
    TagFactory(slug="new")

    response = editor_api_client.patch(detail(article.slug), {"tags": ["new"]}, format="json")

    assert response.status_code == 200, response.content
    article.refresh_from_db()
    assert ([t.slug for t in article.tags.all()], article.title) == (["new"], "Keep")


def test_publishing_without_a_time_is_400(editor_api_client):
    article = ArticleFactory(status=Status.DRAFT, published_at=None)

    response = editor_api_client.patch(detail(article.slug), {"status": "published"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "published_at": [
            "A published entry needs a publication time: now or earlier publishes it, "
            "a time in the future schedules it."
        ]
    }


def test_draft_article_with_a_past_publication_time_is_400_on_that_field(editor_api_client):
    article = ArticleFactory(status=Status.DRAFT, published_at=None)

    response = editor_api_client.patch(detail(article.slug), {"published_at": "2020-01-01T00:00:00Z"}, format="json")

    assert response.status_code == 400
    assert "cannot be scheduled for a time in the past" in response.json()["published_at"][0]
    article.refresh_from_db()
    assert article.published_at is None


def test_tags_sent_as_an_object_are_400(editor_api_client):
    article = ArticleFactory(tags=[TagFactory(slug="kept")])

    response = editor_api_client.patch(detail(article.slug), {"tags": {"kept": 1}}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["tags"]
    assert [t.slug for t in article.tags.all()] == ["kept"]
