"""Reader pages do work bounded by what they show, never by the size of the whole catalogue."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.urls import reverse

from articles import models as article_models
from articles.models import Article
from qwensite import views as site_views
from qwensite.sitemaps import ReleaseSitemap
from releases import views as release_views
from releases.models import ModelRelease
from tests.factories import ArticleFactory, ReleaseFactory
from tests.site.helpers import build_catalogue

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
COMPARE = reverse("releases:compare")


def test_home_timeline_holds_at_most_the_cap_with_more_releases_in_the_database(client):
    article = ArticleFactory()
    ReleaseFactory.create_batch(site_views.TIMELINE_LIMIT + 3, source_article=article)

    response = client.get("/")

    assert ModelRelease.objects.count() > site_views.TIMELINE_LIMIT
    assert len(response.context["timeline"].marks) == site_views.TIMELINE_LIMIT
    assert response.context["timeline_truncated"]


def test_home_timeline_shows_the_latest_releases_of_the_lead_article_when_capped(client):
    article = ArticleFactory()
    oldest = ReleaseFactory(source_article=article, release_date=dt.date(2020, 1, 1))
    ReleaseFactory.create_batch(site_views.TIMELINE_LIMIT, source_article=article, release_date=dt.date(2024, 1, 1))

    response = client.get("/")

    assert oldest not in [mark.release for mark in response.context["timeline"].marks]


def test_home_timeline_shows_only_the_releases_the_lead_article_tells(client):
    other = ReleaseFactory(source_article=ArticleFactory(published_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)))
    told = ReleaseFactory(source_article=ArticleFactory(published_at=dt.datetime(2026, 3, 8, tzinfo=dt.UTC)))

    response = client.get("/")

    assert [mark.release for mark in response.context["timeline"].marks] == [told]
    assert other in response.context["latest_releases"]


def test_home_timeline_links_to_the_whole_catalogue(client):
    ReleaseFactory()

    response = client.get("/")

    timeline = response.text[response.text.index('id="timeline-heading"') : response.text.index('id="latest"')]
    assert f'href="{reverse("releases:list")}"' in timeline


def test_article_links_only_the_releases_it_tells(client):
    article = ArticleFactory(body="Qwen Told and Qwen Other both appear here.\n")
    ReleaseFactory(name="Qwen Told", source_article=article)
    ReleaseFactory(name="Qwen Other")

    response = client.get(article.get_absolute_url())

    assert '">Qwen Told</a>' in response.context["body_html"]
    assert '">Qwen Other</a>' not in response.context["body_html"]


def test_article_links_the_longest_told_name_first(client):
    article = ArticleFactory(body="Qwen 2.5 Max is closed; Qwen 2.5 is open.\n")
    ReleaseFactory(name="Qwen 2.5", slug="qwen-2-5", source_article=article)
    ReleaseFactory(name="Qwen 2.5 Max", slug="qwen-2-5-max", source_article=article)

    response = client.get(article.get_absolute_url())

    assert (
        'href="/releases/qwen-2-5-max/" title="Qwen 2.5 Max in the release catalogue">Qwen 2.5 Max</a>'
        in (response.context["body_html"])
    )
    assert (
        'href="/releases/qwen-2-5/" title="Qwen 2.5 in the release catalogue">Qwen 2.5</a> is open'
        in (response.context["body_html"])
    )


def test_compare_page_without_a_choice_lists_at_most_the_picker_limit_in_one_query(
    client, assert_max_request_queries, monkeypatch
):
    monkeypatch.setattr(release_views, "PICKER_LIMIT", 3)
    build_catalogue(5)

    with assert_max_request_queries(1):
        response = client.get(COMPARE)

    assert response.status_code == 200
    assert response.text.count('type="checkbox"') == 3
    assert "the newest 3; type any other below" in response.text


def test_compare_ticks_the_compared_releases_in_the_picker(client):
    a, b = ReleaseFactory(slug="qwen-2"), ReleaseFactory(slug="qwen-3")
    ReleaseFactory(slug="qwen-4")

    response = client.get(COMPARE, {"r": [a.slug, b.slug]})

    assert 'id="pick-qwen-2" name="r" value="qwen-2" checked' in response.text
    assert 'id="pick-qwen-3" name="r" value="qwen-3" checked' in response.text
    assert 'id="pick-qwen-4" name="r" value="qwen-4">' in response.text
    assert 'id="compare-1" name="r" value=""' in response.text


def test_compare_keeps_a_release_the_picker_does_not_list_in_a_text_input(client, monkeypatch):
    monkeypatch.setattr(release_views, "PICKER_LIMIT", 1)
    old = ReleaseFactory(slug="qwen-old", release_date=dt.date(2023, 1, 1))
    new = ReleaseFactory(slug="qwen-new", release_date=dt.date(2025, 1, 1))

    response = client.get(COMPARE, {"r": [old.slug, new.slug]})

    assert response.status_code == 200
    assert 'id="pick-qwen-new" name="r" value="qwen-new" checked' in response.text
    assert 'id="compare-1" name="r" value="qwen-old"' in response.text


def test_compare_names_an_unknown_release_in_a_form_error(client):
    ReleaseFactory(slug="qwen-2")

    response = client.get(COMPARE, {"r": ["qwen-2", "qwen-9"]})

    assert response.status_code == 400
    assert "No release called “qwen-9”" in response.text
    assert 'id="compare-1" name="r" value="qwen-9"' in response.text
    assert 'aria-invalid="true" aria-describedby="compare-help compare-1-error"' in response.text


def test_compare_takes_a_pasted_release_address(client):
    a, b = ReleaseFactory(slug="qwen-2"), ReleaseFactory(slug="qwen-3")

    response = client.get(COMPARE, {"r": ["https://example.org/releases/qwen-2/", " Qwen-3 "]})

    assert response.status_code == 200
    assert response.context["compared"] == [a, b]


def test_compare_refuses_a_value_that_is_no_release_name(client):
    ReleaseFactory(slug="qwen-2")

    response = client.get(COMPARE, {"r": ["qwen-2", "<b>qwen 3</b>"]})

    assert response.status_code == 400
    assert "is not the name of a release" in response.text
    assert "<b>qwen 3</b>" not in response.text


@pytest.mark.parametrize("value", ["http://[qwen-3/releases/x/", "qwen\x003", "q" * 500])
def test_compare_refuses_a_malformed_value_with_a_form_error(client, value):
    ReleaseFactory(slug="qwen-2")

    response = client.get(COMPARE, {"r": ["qwen-2", value]})

    assert response.status_code == 400
    assert "is not the name of a release" in response.text


def test_sitemap_is_an_index_of_section_sitemaps(client):
    ReleaseFactory()

    response = client.get("/sitemap.xml")

    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert "http://127.0.0.1:8000/sitemap-releases.xml" in locations


def test_sitemap_index_pages_a_section_longer_than_its_limit(client, monkeypatch):
    monkeypatch.setattr(ReleaseSitemap, "limit", 2)
    releases = ReleaseFactory.create_batch(3)

    index = client.get("/sitemap.xml")
    second = client.get("/sitemap-releases.xml", {"p": 2})

    assert "http://127.0.0.1:8000/sitemap-releases.xml?p=2</loc>" in index.text
    assert [loc.text for loc in ET.fromstring(second.content).iter(f"{SITEMAP}loc")] == [
        f"http://127.0.0.1:8000{releases[2].get_absolute_url()}"
    ]


def test_a_section_sitemap_holds_at_most_its_limit(client, monkeypatch):
    monkeypatch.setattr(ReleaseSitemap, "limit", 2)
    ReleaseFactory.create_batch(3)

    response = client.get("/sitemap-releases.xml")

    assert len(list(ET.fromstring(response.content).iter(f"{SITEMAP}url"))) == 2


def test_a_section_sitemap_page_past_the_end_is_not_found(client):
    ReleaseFactory()

    response = client.get("/sitemap-releases.xml", {"p": 5})

    assert response.status_code == 404


def test_robots_txt_points_at_the_sitemap_index(client):
    robots = client.get("/robots.txt")
    sitemap_url = next(line.split(": ", 1)[1] for line in robots.text.splitlines() if line.startswith("Sitemap:"))

    response = client.get(sitemap_url.removeprefix(settings.SITE_URL))

    assert ET.fromstring(response.content).tag == f"{SITEMAP}sitemapindex"


@pytest.mark.parametrize("count", [3, 30])
# the index: a count and a latest change per section of entries (the family pages one more section)
@pytest.mark.parametrize(
    ("url", "limit"), [("/sitemap.xml", 8), ("/sitemap-releases.xml", 2), ("/sitemap-families.xml", 2)]
)
def test_sitemap_queries_do_not_grow_with_releases(client, assert_max_request_queries, count, url, limit):
    build_catalogue(count)

    with assert_max_request_queries(limit):
        response = client.get(url)

    assert response.status_code == 200


@pytest.fixture
def count_renders(monkeypatch):
    """How many times an article body was rendered from Markdown."""
    calls = []
    render = article_models.render_markdown

    def counting(text):
        calls.append(text)
        return render(text)

    monkeypatch.setattr(article_models, "render_markdown", counting)
    return calls


def test_a_list_of_articles_does_not_render_their_bodies_again(client, settings, count_renders):
    settings.RESPONSE_CACHE_ENABLED = False
    ArticleFactory.create_batch(20)
    client.get(reverse("articles:list"))
    count_renders.clear()

    response = client.get(reverse("articles:list"))

    assert response.status_code == 200
    assert count_renders == []


def test_an_article_body_is_rendered_once_for_all_later_reads(count_renders):
    article = ArticleFactory()
    first = Article.objects.get(pk=article.pk).body_html

    again = Article.objects.get(pk=article.pk).body_html

    assert again == first
    assert "Some words about Qwen." in again
    assert len(count_renders) == 1


def test_a_save_shows_the_new_body_at_once(client):
    article = ArticleFactory(body="The old words.\n")
    client.get(article.get_absolute_url())
    article.body = "The new words.\n"
    article.save()

    response = client.get(article.get_absolute_url())

    assert "The new words." in response.text
    assert "The old words." not in response.text


def test_a_save_updates_the_reading_time_at_once(client):
    article = ArticleFactory(body="word " * 10)
    client.get(reverse("articles:list"))
    article.body = "word " * 1000
    article.save()

    response = client.get(reverse("articles:list"))

    assert "5 minutes to read" in response.text
