"""Every absolute URL the site hands out is on DJANGO_SITE_URL, whatever Host the request names."""

import pytest

from tests.factories import ArticleFactory, ReleaseFactory, ReleaseSizeFactory, TagFactory

pytestmark = pytest.mark.django_db

SITE = "https://qwensite.example.org"
FOREIGN_HOST = "127.0.0.1:31337"  # an allowed host, on a port the site does not serve


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    tag = TagFactory(slug="qwen")
    article = ArticleFactory(tags=[tag])
    for number in range(3):
        ReleaseSizeFactory(release=ReleaseFactory(source_article=article, slug=f"qwen-{number}"))
    return article


@pytest.mark.parametrize(
    "path",
    [
        "/sitemap.xml",
        "/sitemap-releases.xml",
        "/sitemap-articles.xml",
        "/sitemap-pages.xml",
        "/feeds/articles/",
        "/feeds/articles/tags/qwen/",
        "/feeds/releases/",
        "/releases.ics",
        "/robots.txt",
        "/api/v1/releases/",
        "/api/v1/releases/?page_size=1&page=2",
        "/api/v1/articles/",
        "/api/v1/sizes/",
        "/api/v1/tags/",
        "/api/v1/authors/",
        "/releases/qwen-1/",
    ],
)
def test_urls_are_on_the_site_address_whatever_the_host(client, site, path):
    response = client.get(path, HTTP_HOST=FOREIGN_HOST)

    assert response.status_code == 200
    body = response.content.decode()
    assert FOREIGN_HOST not in body
    assert "testserver" not in body
    assert SITE in body


def test_api_links_and_pages_name_the_site_address(client, site):
    body = client.get("/api/v1/releases/", {"page_size": 1, "page": 2}, HTTP_HOST=FOREIGN_HOST).json()

    assert body["next"] == f"{SITE}/api/v1/releases/?page=3&page_size=1"
    assert body["previous"] == f"{SITE}/api/v1/releases/?page_size=1"
    assert body["results"][0]["url"].startswith(f"{SITE}/api/v1/releases/")
    assert body["results"][0]["web_url"].startswith(f"{SITE}/releases/")


def test_robots_txt_and_the_sitemap_agree_on_the_origin(client, site):
    robots = client.get("/robots.txt", HTTP_HOST=FOREIGN_HOST).content.decode()
    index = client.get("/sitemap.xml", HTTP_HOST=FOREIGN_HOST).content.decode()

    assert f"Sitemap: {SITE}/sitemap.xml" in robots
    assert f"<loc>{SITE}/sitemap-releases.xml</loc>" in index
