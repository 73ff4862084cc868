"""What the API says about related entries a client may not see: nothing, not even that they exist."""

import datetime as dt
from decimal import Decimal

import pytest
import yaml
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from qwensite.editorial.publishing import Status
from tests.factories import ArticleFactory, AuthorFactory, ReleaseFactory, ReleaseSizeFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:release-list")

UNPUBLISHED = {
    "draft": lambda: {"status": Status.DRAFT, "published_at": None},
    "scheduled": lambda: {"published_at": timezone.now() + dt.timedelta(days=1)},
}


def detail(slug):
    return reverse("api:release-detail", kwargs={"slug": slug})


def cite(slug):
    return reverse("api:release-cite", kwargs={"slug": slug})


@pytest.fixture(params=sorted(UNPUBLISHED))
def unpublished(request):
    """The fields of an entry readers may not see yet: a draft, or one scheduled for tomorrow."""
    return UNPUBLISHED[request.param]()


# The predecessor


def test_anonymous_clients_get_a_null_predecessor_when_it_is_not_published(api_client, unpublished):
    ReleaseFactory(slug="qwen-2", predecessor=ReleaseFactory(slug="qwen-secret", **unpublished))

    body = api_client.get(detail("qwen-2")).json()

    assert body["predecessor"] is None


def test_anonymous_list_rows_get_a_null_predecessor_when_it_is_not_published(api_client, unpublished):
    ReleaseFactory(slug="qwen-2", predecessor=ReleaseFactory(slug="qwen-secret", **unpublished))

    response = api_client.get(LIST)

    assert [row["predecessor"] for row in response.json()["results"]] == [None]
    assert "qwen-secret" not in response.content.decode()


def test_anonymous_clients_see_a_published_predecessor(api_client):
    ReleaseFactory(slug="qwen-2", predecessor=ReleaseFactory(slug="qwen-1"))

    assert api_client.get(detail("qwen-2")).json()["predecessor"] == "qwen-1"


def test_editors_see_a_draft_predecessor(editor_api_client):
    ReleaseFactory(slug="qwen-2", predecessor=ReleaseFactory(slug="qwen-secret", status=Status.DRAFT))

    assert editor_api_client.get(detail("qwen-2")).json()["predecessor"] == "qwen-secret"


# The source article


def test_anonymous_clients_get_no_link_to_an_unpublished_source_article(api_client, unpublished):
    ReleaseFactory(slug="qwen-2", source_article=ArticleFactory(slug="secret-story", **unpublished))

    response = api_client.get(detail("qwen-2"))

    assert response.json()["source"] == {
        "article": None,
        "section": None,
        "url": None,
        "quote": "Some words about Qwen.",
    }
    assert "secret-story" not in response.content.decode()


def test_anonymous_csv_names_no_unpublished_source_article(api_client, unpublished):
    ReleaseFactory(source_article=ArticleFactory(slug="secret-story", **unpublished))

    response = api_client.get(LIST, {"format": "csv"})

    assert response.status_code == 200
    assert "secret-story" not in response.content.decode()


def test_editors_see_a_draft_source_article(editor_api_client):
    ReleaseFactory(slug="qwen-2", source_article=ArticleFactory(slug="secret-story", status=Status.DRAFT))

    source = editor_api_client.get(detail("qwen-2")).json()["source"]

    assert (source["article"], source["url"]) == (
        "secret-story",
        "http://127.0.0.1:8000/articles/secret-story/#first-section",
    )


def test_the_citation_of_a_release_with_a_draft_source_names_no_source(api_client):
    ReleaseFactory(slug="qwen-2", source_article=ArticleFactory(slug="secret-story", status=Status.DRAFT))

    response = api_client.get(cite("qwen-2"))

    assert response.status_code == 200
    text = response.content.decode()
    assert "secret-story" not in text
    assert "Source:" not in text


def test_a_created_release_hides_a_draft_source_from_an_editor_of_releases_only(api_client):
    user = UserFactory()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="releases"))
    api_client.force_authenticate(user)
    ArticleFactory(slug="secret-story", status=Status.DRAFT)
    payload = {
        "slug": "qwen-9",
        "name": "Qwen 9",
        "release_date": "2026-01-01",
        "access": "open_weights",
        "summary": "Next.",
        "source": {"article": "secret-story", "section": "first-section", "quote": "Some words about Qwen."},
    }

    response = api_client.post(LIST, payload, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["source"]["article"] is None


@pytest.mark.parametrize("rows", [3, 30])
def test_hiding_unpublished_relations_adds_no_query_per_row(api_client, assert_max_request_queries, rows):
    articles = [ArticleFactory(), ArticleFactory(status=Status.DRAFT)]
    for index in range(rows):
        previous = ReleaseFactory(status=Status.DRAFT) if index % 2 else ReleaseFactory()
        release = ReleaseFactory(predecessor=previous, source_article=articles[index % 2])
        ReleaseSizeFactory(release=release, parameters_b=Decimal("7"))

    with assert_max_request_queries(3):
        response = api_client.get(LIST, {"page_size": 100})

    assert response.status_code == 200


# The schema says which fields can be null in a response


def test_schema_marks_the_source_link_nullable_in_responses_only(api_client):
    schema = yaml.safe_load(api_client.get(reverse("api:schema")).content)["components"]["schemas"]

    assert all(schema["Source"]["properties"][name].get("nullable") for name in ("article", "section", "url"))
    assert not any(schema["SourceRequest"]["properties"][name].get("nullable") for name in ("article", "section"))


# Article counts of authors and tags


def test_anonymous_author_counts_leave_out_scheduled_and_draft_articles(api_client):
    author = AuthorFactory(slug="writer")
    ArticleFactory(author=author)
    ArticleFactory(author=author, status=Status.DRAFT, published_at=None)
    ArticleFactory(author=author, published_at=timezone.now() + dt.timedelta(days=1))

    row = api_client.get(reverse("api:author-detail", kwargs={"slug": "writer"})).json()

    assert row["article_count"] == 1


def test_editors_tag_counts_include_scheduled_articles(editor_api_client):
    tag = TagFactory(slug="qwen")
    ArticleFactory(tags=[tag])
    ArticleFactory(tags=[tag], published_at=timezone.now() + dt.timedelta(days=1))

    row = editor_api_client.get(reverse("api:tag-detail", kwargs={"slug": "qwen"})).json()

    assert row["article_count"] == 2
