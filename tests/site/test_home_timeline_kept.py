"""The home page's timeline is drawn once per state of the content (qwensite.views.drawn_timeline)."""

import pytest
from django.utils import timezone

from qwensite.editorial.publishing import Status
from qwensite.views import TIMELINE_TEMPLATE
from tests.factories import ArticleFactory, ReleaseFactory
from tests.site.helpers import build_catalogue

pytestmark = pytest.mark.django_db


def drawn(response):
    return sum(template.name == TIMELINE_TEMPLATE for template in response.templates)


def test_the_timeline_is_drawn_once_and_served_the_same_to_the_next_request(client, cold):
    build_catalogue(5)
    first = client.get("/")

    second = client.get("/")

    assert drawn(first) == 1
    assert drawn(second) == 0
    assert second.content == first.content
    assert len(second.context["timeline"].marks) == 5


def test_a_kept_timeline_costs_no_query(client, cold, assert_max_request_queries):
    build_catalogue(5)
    client.get("/")

    with assert_max_request_queries(2):  # the lead article and the latest releases
        response = client.get("/")

    assert "Timeline of releases" in response.text


def test_an_edit_of_a_told_release_is_drawn_on_the_next_request(client, cold):
    article = build_catalogue(3)
    client.get("/")
    release = article.releases.first()

    release.name = "Qwen Renamed"
    release.save()
    response = client.get("/")

    assert drawn(response) == 1
    assert response.text.count("Qwen Renamed") >= 2  # the wide drawing and the table


def test_a_new_lead_article_draws_its_own_timeline(client, cold):
    build_catalogue(2)
    assert "Timeline of releases" in client.get("/").text

    newer = ArticleFactory(title="A newer story", published_at=timezone.now())
    response = client.get("/")

    assert response.context["lead_article"] == newer
    assert "Timeline of releases" not in response.text  # it tells no release yet
    assert response.context["timeline"].marks == []


def test_a_release_told_but_unpublished_stays_off_the_kept_timeline(client, cold):
    article = build_catalogue(2)
    client.get("/")

    ReleaseFactory(source_article=article, name="Qwen Draft", status=Status.DRAFT, published_at=None)
    response = client.get("/")

    assert "Qwen Draft" not in response.text
    assert len(response.context["timeline"].marks) == 2
