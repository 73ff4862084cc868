"""Feeds, sitemap, robots.txt and the error pages."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from qwensite.editorial.publishing import Status
from tests.factories import ArticleFactory, ReleaseFactory, TagFactory
from tests.site.helpers import build_catalogue

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entry_titles(response):
    return [entry.find(f"{ATOM}title").text for entry in ET.fromstring(response.content).iter(f"{ATOM}entry")]


def test_article_feed_is_atom_with_published_articles_only(client):
    ArticleFactory(title="Published")
    ArticleFactory(title="Draft", status=Status.DRAFT, published_at=None)

    response = client.get(reverse("feed-articles"))

    assert response["Content-Type"].startswith("application/atom+xml")
    assert entry_titles(response) == ["Published"]


def test_tag_feed_has_only_that_tags_articles(client):
    tag = TagFactory(name="qwen")
    ArticleFactory(title="Tagged", tags=[tag])
    ArticleFactory(title="Untagged")

    response = client.get(reverse("feed-tag", kwargs={"slug": "qwen"}))

    assert entry_titles(response) == ["Tagged"]


def test_feed_of_an_unknown_tag_is_not_found(client):
    response = client.get(reverse("feed-tag", kwargs={"slug": "nope"}))

    assert response.status_code == 404


def test_release_feed_lists_releases(client):
    ReleaseFactory(name="Qwen 3", release_date=dt.date(2025, 4, 1))

    response = client.get(reverse("feed-releases"))

    assert entry_titles(response) == ["Qwen 3 (April 2025)"]


def test_sitemap_lists_pages_articles_and_releases_but_not_drafts(client):
    article = ArticleFactory(tags=[TagFactory()])
    release = ReleaseFactory(source_article=article)
    draft = ReleaseFactory(status=Status.DRAFT, published_at=None, source_article=article)

    text = "".join(client.get(f"/sitemap-{section}.xml").text for section in ("pages", "articles", "releases"))

    assert f"http://127.0.0.1:8000{article.get_absolute_url()}</loc>" in text
    assert f"http://127.0.0.1:8000{release.get_absolute_url()}</loc>" in text
    assert "http://127.0.0.1:8000/releases/</loc>" in text
    assert draft.get_absolute_url() not in text


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_admin(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in response.text
    assert "Disallow: /admin/" in response.text


def test_pages_link_their_feeds_for_discovery(client):
    response = client.get("/")

    assert f'type="application/atom+xml" title="qwensite: articles" href="{reverse("feed-articles")}"' in response.text
    assert f'title="qwensite: new releases" href="{reverse("feed-releases")}"' in response.text


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.text
    assert 'href="/releases/"' in response.text


def test_server_error_page_is_friendly_and_standalone():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize(
    ("url", "limit"),
    [("/feeds/articles/", 2), ("/feeds/releases/", 1), ("/releases.ics", 1), ("/sitemap.xml", 8), ("/robots.txt", 0)],
)
def test_discovery_queries_do_not_grow_with_releases(client, assert_max_request_queries, count, url, limit):
    build_catalogue(count)

    with assert_max_request_queries(limit):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_tag_and_author_pages_queries_do_not_grow_with_articles(client, assert_max_request_queries, count):
    tag = TagFactory()
    for _ in range(count):
        ArticleFactory(tags=[tag])

    with assert_max_request_queries(4):
        response = client.get(tag.get_absolute_url())

    assert response.status_code == 200
