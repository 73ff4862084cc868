"""Nothing of a draft or a not-yet-due entry reaches an anonymous reader; editors see drafts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from qwensite.editorial.publishing import Status
from tests.factories import ArticleFactory, AuthorFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

COMPARE = reverse("releases:compare")
UNPUBLISHED = {
    "draft": {"status": Status.DRAFT, "published_at": None},
    "scheduled": {"status": Status.PUBLISHED, "published_at": timezone.now() + dt.timedelta(days=30)},
}


@pytest.fixture(params=UNPUBLISHED.values(), ids=UNPUBLISHED.keys())
def unpublished(request):
    """The fields of an entry readers may not see yet: a draft, or one scheduled for later."""
    return request.param


@pytest.fixture
def hidden_article(unpublished):
    return ArticleFactory(
        title="Secret story",
        slug="secret-story",
        author=AuthorFactory(name="Hidden Writer"),
        **unpublished,
    )


def test_release_page_hides_an_unpublished_source_article(client, hidden_article):
    release = ReleaseFactory(source_article=hidden_article, source_quote="A passage not yet out.")

    response = client.get(release.get_absolute_url())

    assert response.status_code == 200
    for secret in ("Secret story", "Hidden Writer", "secret-story", "A passage not yet out."):
        assert secret not in response.text


def test_release_page_shows_an_unpublished_source_article_to_editors(editor_client, hidden_article):
    release = ReleaseFactory(source_article=hidden_article)

    response = editor_client.get(release.get_absolute_url())

    assert "Secret story" in response.text
    assert "Hidden Writer" in response.text


def test_release_page_hides_an_unpublished_predecessor(client, unpublished):
    predecessor = ReleaseFactory(name="Qwen Secret", slug="qwen-secret", **unpublished)
    release = ReleaseFactory(predecessor=predecessor)

    response = client.get(release.get_absolute_url())

    assert "Qwen Secret" not in response.text
    assert "qwen-secret" not in response.text


def test_release_page_hides_an_unpublished_successor(client, unpublished):
    release = ReleaseFactory()
    ReleaseFactory(name="Qwen Secret", slug="qwen-secret", predecessor=release, **unpublished)

    response = client.get(release.get_absolute_url())

    assert "Qwen Secret" not in response.text
    assert "qwen-secret" not in response.text


def test_release_page_shows_a_draft_predecessor_and_successor_to_editors(editor_client):
    predecessor = ReleaseFactory(name="Qwen Before", status=Status.DRAFT, published_at=None)
    release = ReleaseFactory(predecessor=predecessor)
    ReleaseFactory(name="Qwen After", predecessor=release, status=Status.DRAFT, published_at=None)

    response = editor_client.get(release.get_absolute_url())

    assert "Qwen Before" in response.text
    assert "Qwen After" in response.text


def test_compare_hides_an_unpublished_predecessor(client, unpublished):
    predecessor = ReleaseFactory(name="Qwen Secret", slug="qwen-secret", **unpublished)
    a, b = ReleaseFactory(predecessor=predecessor), ReleaseFactory()

    response = client.get(COMPARE, {"r": [a.slug, b.slug]})

    assert response.status_code == 200
    assert "Qwen Secret" not in response.text
    assert "qwen-secret" not in response.text


def test_compare_shows_a_draft_predecessor_to_editors(editor_client):
    predecessor = ReleaseFactory(name="Qwen Before", status=Status.DRAFT, published_at=None)
    a, b = ReleaseFactory(predecessor=predecessor), ReleaseFactory()

    response = editor_client.get(COMPARE, {"r": [a.slug, b.slug]})

    assert "Qwen Before" in response.text


def test_compare_refuses_an_unpublished_release_as_unknown(client, unpublished):
    hidden = ReleaseFactory(slug="qwen-secret", **unpublished)
    shown = ReleaseFactory()

    response = client.get(COMPARE, {"r": [shown.slug, hidden.slug]})

    assert response.status_code == 400
    assert "No release called “qwen-secret”" in response.text


def test_search_does_not_show_the_passage_of_an_unpublished_article(client, hidden_article):
    ReleaseFactory(name="Qwen Public", source_article=hidden_article, source_quote="Zanzibar passage words.")

    response = client.get(reverse("search"), {"q": "zanzibar"})

    assert "Zanzibar" not in response.text
    assert response.context["results"] == []


def test_search_still_finds_the_release_of_an_unpublished_article_by_name(client, hidden_article):
    ReleaseFactory(name="Qwen Public", source_article=hidden_article, source_quote="Zanzibar passage words.")

    response = client.get(reverse("search"), {"q": "Qwen Public"})

    assert [result.title for result in response.context["results"]] == ["Qwen Public"]
    assert "Zanzibar" not in response.text


@pytest.mark.parametrize(
    "url", ["/feeds/releases/", "/feeds/articles/", "/releases.ics", "/sitemap-releases.xml", "/sitemap-articles.xml"]
)
def test_feeds_calendar_and_sitemap_leave_out_unpublished_entries(client, unpublished, url):
    article = ArticleFactory(title="Secret story", slug="secret-story", **unpublished)
    ReleaseFactory(name="Qwen Secret", slug="qwen-secret", source_article=article, **unpublished)
    ReleaseFactory(name="Qwen Public")

    response = client.get(url)

    assert response.status_code == 200
    for secret in ("Secret story", "secret-story", "Qwen Secret", "qwen-secret"):
        assert secret not in response.text


def test_home_leaves_out_unpublished_releases_of_the_lead_article(client, unpublished):
    article = ArticleFactory()
    ReleaseFactory(name="Qwen Public", source_article=article)
    ReleaseFactory(name="Qwen Secret", slug="qwen-secret", source_article=article, **unpublished)

    response = client.get("/")

    assert "Qwen Secret" not in response.text
    assert "qwen-secret" not in response.text


def test_article_does_not_link_an_unpublished_release(client, unpublished):
    article = ArticleFactory(body="Qwen Secret came later.\n")
    ReleaseFactory(name="Qwen Secret", slug="qwen-secret", source_article=article, **unpublished)

    response = client.get(article.get_absolute_url())

    assert "qwen-secret" not in response.text
