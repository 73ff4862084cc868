"""The catalogue and the API filtered to the releases one article tells (``article``)."""

import re

import pytest
import yaml
from django.urls import reverse
from django.utils import timezone

from qwensite.editorial.publishing import Status
from tests.factories import ArticleFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("releases:list")
API_RELEASES = reverse("api:release-list")


def test_catalogue_lists_only_the_releases_the_article_tells(client):
    article = ArticleFactory(title="The Long Story", slug="long-story")
    told = ReleaseFactory(source_article=article)
    ReleaseFactory()

    response = client.get(CATALOGUE, {"article": "long-story"})

    assert response.status_code == 200
    assert [release.pk for release in response.context["releases"]] == [told.pk]
    assert f'The releases told in <a href="{article.get_absolute_url()}">The Long Story</a>.' in response.text
    assert 'id="filter-article" type="text" name="article" maxlength="200" value="long-story"' in response.text


def test_catalogue_article_filter_combines_with_the_others(client):
    article = ArticleFactory(slug="long-story")
    ReleaseFactory(source_article=article, name="Told Early", release_date="2023-05-01")
    late = ReleaseFactory(source_article=article, name="Told Late", release_date="2024-05-01")

    response = client.get(CATALOGUE, {"article": "long-story", "year": "2024"})

    assert [release.pk for release in response.context["releases"]] == [late.pk]


def test_catalogue_unknown_article_is_a_form_error(client):
    ReleaseFactory()

    response = client.get(CATALOGUE, {"article": "no-such-story"})

    assert response.status_code == 400
    assert "No article has the address &#x27;no-such-story&#x27;" in response.text
    assert '<a href="#filter-article">Article</a>' in response.text
    assert "releases" not in response.context


def test_catalogue_tells_a_reader_nothing_of_an_unpublished_article(client):
    ReleaseFactory(source_article=ArticleFactory(slug="secret", title="Secret Plans", status=Status.DRAFT))

    unpublished = client.get(CATALOGUE, {"article": "secret"})
    unknown = client.get(CATALOGUE, {"article": "terces"})

    assert unpublished.status_code == unknown.status_code == 400
    assert unpublished.context["errors"] == [
        (name, label, message.replace("terces", "secret")) for name, label, message in unknown.context["errors"]
    ]
    assert "Secret Plans" not in unpublished.text


def test_catalogue_refuses_a_value_that_is_no_address_and_shows_it_escaped(client):
    response = client.get(CATALOGUE, {"article": "<b>story</b>"})

    assert response.status_code == 400
    assert "No article has the address" in response.text
    assert "<b>story</b>" not in response.text


def test_api_filters_releases_by_article(api_client):
    article = ArticleFactory(slug="long-story")
    told = ReleaseFactory(source_article=article)
    ReleaseFactory()

    response = api_client.get(API_RELEASES, {"article": "long-story"})

    assert response.status_code == 200
    assert [release["slug"] for release in response.json()["results"]] == [told.slug]


@pytest.mark.parametrize("slug", ["no-such-story", "secret"], ids=["unknown", "unpublished"])
def test_api_unknown_or_unpublished_article_is_the_same_400(api_client, slug):
    ArticleFactory(slug="secret", status=Status.DRAFT, published_at=None)

    response = api_client.get(API_RELEASES, {"article": slug})

    assert response.status_code == 400
    assert response.json() == {
        "article": [f"No article has the address '{slug}': give the last part of an article's address."]
    }


def test_api_lets_an_editor_filter_by_a_draft_article_after_a_reader_asked(api_client, editor_api_client):
    article = ArticleFactory(slug="draft-story", status=Status.DRAFT, published_at=None)
    told = ReleaseFactory(source_article=article, status=Status.DRAFT, published_at=None)
    assert api_client.get(API_RELEASES, {"article": "draft-story"}).status_code == 400

    response = editor_api_client.get(API_RELEASES, {"article": "draft-story"})

    assert response.status_code == 200
    assert [release["slug"] for release in response.json()["results"]] == [told.slug]


def test_schema_documents_the_article_filter(api_client):
    schema = yaml.safe_load(api_client.get(reverse("api:schema")).content)

    parameter = next(p for p in schema["paths"]["/api/v1/releases/"]["get"]["parameters"] if p["name"] == "article")
    assert parameter["schema"]["type"] == "string"
    assert re.match(parameter["schema"]["pattern"], "the-history-of-qwen")
    assert not re.match(parameter["schema"]["pattern"], "the history")
    assert "the releases it tells" in parameter["description"]


def test_an_article_published_after_an_earlier_request_can_be_filtered_to(client):
    assert client.get(CATALOGUE, {"article": "late-story"}).status_code == 400
    ReleaseFactory(source_article=ArticleFactory(slug="late-story", published_at=timezone.now()))

    response = client.get(CATALOGUE, {"article": "late-story"})

    assert response.status_code == 200
