"""The releases an article tells, on its page: a bounded list, a summary, and every name linked."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from articles.told import LISTED
from qwensite.editorial.publishing import Status
from tests.factories import ArticleFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


def aside(response):
    return response.text.split('class="told-releases"')[1].split("</aside>")[0]


def prose(response):
    return response.text.split('class="prose"')[1].split("</div>")[0]


def tell(article, count, start=dt.date(2023, 1, 1)):
    """``count`` published releases told by ``article``, one a week from ``start``."""
    return [
        ReleaseFactory(name=f"Told {n:03d}", source_article=article, release_date=start + dt.timedelta(weeks=n))
        for n in range(count)
    ]


def test_an_article_telling_few_releases_lists_every_one(client):
    article = ArticleFactory()
    releases = tell(article, 3)

    response = client.get(article.get_absolute_url())

    assert [release.url for release in response.context["told_releases"]] == [r.get_absolute_url() for r in releases]
    assert "3 releases, 2023, by date:" in aside(response)
    assert "the first" not in aside(response)


def test_the_documents_article_lists_every_release_it_tells(client, seeded):
    article = Article.objects.get(slug="the-history-of-qwen")

    response = client.get(article.get_absolute_url())

    told = article.releases.published()
    assert 0 < told.count() <= LISTED
    assert {release.url for release in response.context["told_releases"]} == {r.get_absolute_url() for r in told}
    assert "the first" not in aside(response)
    assert f"All {told.count()} releases in this story</a>" in aside(response)


def test_an_article_telling_many_releases_lists_the_first_and_links_the_catalogue_for_all(client):
    article = ArticleFactory(slug="long-story")
    releases = tell(article, LISTED + 70)  # 100 weeks: 2023 to 2024

    response = client.get(article.get_absolute_url())

    listed = response.context["told_releases"]
    assert [release.url for release in listed] == [release.get_absolute_url() for release in releases[:LISTED]]
    assert f"{LISTED + 70} releases, 2023 to 2024; the first {LISTED} by date:" in aside(response)
    assert f'<a href="{reverse("releases:list")}?article=long-story">All {LISTED + 70} releases in this story</a>' in (
        aside(response)
    )
    assert releases[-1].name not in aside(response)


def test_the_catalogue_link_lists_exactly_the_releases_the_article_counts(client):
    article = ArticleFactory()
    tell(article, LISTED + 5)
    ReleaseFactory()  # told by another article

    response = client.get(article.get_absolute_url())
    catalogue = client.get(reverse("releases:list"), {"article": article.slug, "page_size": 100})

    assert catalogue.context["paginator"].count == response.context["told"].count == LISTED + 5


def test_the_body_links_a_told_release_the_list_leaves_out(client):
    article = ArticleFactory(body="Intro.\n\n## First section\n\nThen came Told 040.\n")
    releases = tell(article, LISTED + 20)

    response = client.get(article.get_absolute_url())

    assert releases[40].name not in [release.name for release in response.context["told_releases"]]
    assert f'<a href="{releases[40].get_absolute_url()}"' in prose(response)


def test_a_renamed_release_is_linked_by_its_new_name_on_the_next_request(client, settings):
    settings.RESPONSE_CACHE_ENABLED = False
    article = ArticleFactory(body="Intro.\n\n## First section\n\nQwen Old and Qwen New.\n")
    release = ReleaseFactory(name="Qwen Old", slug="qwen-old", source_article=article)
    client.get(article.get_absolute_url())

    release.name, release.slug = "Qwen New", "qwen-new"
    release.save()
    response = client.get(article.get_absolute_url())

    assert '<a href="/releases/qwen-new/" title="Qwen New in the release catalogue">Qwen New</a>' in prose(response)
    assert "/releases/qwen-old/" not in response.text
    assert "Qwen New" in aside(response)


def test_a_release_taken_back_to_draft_leaves_the_page_on_the_next_request(client, settings):
    settings.RESPONSE_CACHE_ENABLED = False
    article = ArticleFactory(body="Intro.\n\n## First section\n\nQwen Soon and Qwen Here.\n")
    soon = ReleaseFactory(name="Qwen Soon", slug="qwen-soon", source_article=article)
    ReleaseFactory(name="Qwen Here", slug="qwen-here", source_article=article)
    client.get(article.get_absolute_url())

    soon.status = Status.DRAFT
    soon.save()
    response = client.get(article.get_absolute_url())

    assert "/releases/qwen-soon/" not in response.text
    assert "/releases/qwen-here/" in prose(response)
    assert "1 release, 2024, by date:" in aside(response)


def test_an_editor_sees_a_draft_release_the_readers_page_leaves_out(editor_client, settings):
    settings.RESPONSE_CACHE_ENABLED = False
    article = ArticleFactory(body="Intro.\n\n## First section\n\nQwen Draft.\n")
    ReleaseFactory(name="Qwen Draft", slug="qwen-draft", source_article=article, status=Status.DRAFT)
    reader = Client()
    reader.get(article.get_absolute_url())  # the readers' version is kept first

    response = editor_client.get(article.get_absolute_url())

    assert "/releases/qwen-draft/" in prose(response)
    assert "/releases/qwen-draft/" not in reader.get(article.get_absolute_url()).text


@pytest.mark.parametrize("count", [3, LISTED + 30])
def test_article_page_reads_at_most_three_queries_however_many_releases_it_tells(
    client, assert_max_request_queries, count
):
    article = ArticleFactory()
    tell(article, count)

    with assert_max_request_queries(3):  # the article, its tags, the releases it tells
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200


def test_article_page_reads_its_releases_again_only_after_an_edit(client, settings, assert_max_request_queries):
    settings.RESPONSE_CACHE_ENABLED = False  # render the page again rather than serve its stored copy
    article = ArticleFactory()
    tell(article, LISTED + 30)
    client.get(article.get_absolute_url())

    with assert_max_request_queries(2):  # the article and its tags
        response = client.get(article.get_absolute_url())

    assert response.context["told"].count == LISTED + 30
