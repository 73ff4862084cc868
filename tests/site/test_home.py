"""The home page: the lead article, the timeline and the latest releases."""

import datetime as dt
import re

import pytest

from qwensite.editorial.publishing import Status
from tests.factories import ArticleFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


def test_home_leads_with_the_latest_published_article(client):
    ArticleFactory(title="Older", published_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    ArticleFactory(title="The History of Qwen", published_at=dt.datetime(2026, 3, 8, tzinfo=dt.UTC))
    ArticleFactory(title="Draft", status=Status.DRAFT, published_at=None)

    response = client.get("/")

    assert response.context["lead_article"].title == "The History of Qwen"
    assert '<a href="/articles/' in response.text[response.text.index('id="lead-title"') :]


def test_home_names_the_site_once_as_a_heading_and_lists_the_storys_sections(client, seeded):
    response = client.get("/")

    headings = re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", response.text)
    assert [h.lower() for h in headings].count("the history of qwen") == 1
    lead = response.text[response.text.index('id="lead-title"') : response.text.index("</article>")]
    assert '<a href="/articles/the-history-of-qwen/#rapid-iteration-2024">Rapid Iteration (2024)</a>' in lead


def test_home_labels_the_chart_with_a_caption(client, seeded):
    response = client.get("/")

    figure = response.text[response.text.index('<figure class="timeline"') :]
    assert figure.startswith('<figure class="timeline" aria-labelledby="timeline-caption">')
    assert "Qwen releases, April 2023 to April 2025: 11 releases" in figure[figure.index('id="timeline-caption"') :]


def test_home_lists_the_five_latest_releases_newest_first(client):
    releases = [ReleaseFactory(release_date=dt.date(2023 + n // 12, 1 + n % 12, 1)) for n in range(7)]

    response = client.get("/")

    assert response.context["latest_releases"] == releases[::-1][:5]


def test_home_has_open_graph_and_a_canonical_url(client):
    response = client.get("/")

    assert '<meta property="og:type" content="website">' in response.text
    assert '<link rel="canonical" href="' in response.text


def test_home_describes_the_site_and_its_search_in_json_ld(client):
    response = client.get("/")

    assert '"@type": "WebSite"' in response.text
    assert "/search/?q={search_term_string}" in response.text
