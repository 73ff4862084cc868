"""Release detail, compare, the timeline and the release feed and calendar."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from icalendar import Calendar

from qwensite.editorial.publishing import Status
from releases.models import Access, Architecture, DatePrecision
from tests.factories import ArticleFactory, ReleaseFactory, ReleaseSizeFactory
from tests.site.helpers import build_catalogue

pytestmark = pytest.mark.django_db


def test_release_page_shows_the_date_at_its_stated_precision(client):
    release = ReleaseFactory(release_date=dt.date(2023, 9, 1), date_precision=DatePrecision.MONTH)

    response = client.get(release.get_absolute_url())

    assert response.status_code == 200
    assert '<time datetime="2023-09">September 2023</time>' in response.text


def test_release_page_shows_access_and_context_length(client):
    release = ReleaseFactory(access=Access.API_ONLY, context_length=131072)

    response = client.get(release.get_absolute_url())

    assert "API only" in response.text
    assert "131,072 tokens (128K)" in response.text


def test_release_page_lists_total_and_active_parameters(client):
    release = ReleaseFactory()
    ReleaseSizeFactory(
        release=release,
        label="Qwen3-235B-A22B",
        parameters_b=Decimal("235"),
        active_parameters_b=Decimal("22"),
        architecture=Architecture.MOE,
    )

    response = client.get(release.get_absolute_url())

    assert '<th scope="row">Qwen3-235B-A22B</th>' in response.text
    assert '<td data-label="Total parameters">235B</td>' in response.text
    assert '<td data-label="Active parameters">22B</td>' in response.text
    assert "Mixture of experts" in response.text


def test_release_page_quotes_its_passage_and_links_to_the_article_section(client):
    article = ArticleFactory(slug="history")
    release = ReleaseFactory(source_article=article, source_section="first-section", source_quote="Some words.")

    response = client.get(release.get_absolute_url())

    assert "<p>Some words.</p></blockquote>" in response.text
    assert 'href="/articles/history/#first-section"' in response.text


def test_release_page_links_predecessor_and_successors(client):
    parent = ReleaseFactory(name="Qwen 2.5")
    release = ReleaseFactory(name="Qwen 3", predecessor=parent)
    child = ReleaseFactory(name="Qwen 3.5", predecessor=release)

    response = client.get(release.get_absolute_url())

    assert f'<a href="{parent.get_absolute_url()}" rel="prev">Qwen 2.5</a>' in response.text
    assert f'<a href="{child.get_absolute_url()}">Qwen 3.5</a>' in response.text


def test_a_release_beyond_the_drawn_tree_still_links_its_successors_at_no_query_more(
    client, monkeypatch, assert_max_request_queries
):
    monkeypatch.setattr("releases.views.FAMILY_ON_RELEASE_PAGE", 2)
    first = ReleaseFactory(name="Qwen 1")
    second = ReleaseFactory(name="Qwen 2", predecessor=first)
    release = ReleaseFactory(name="Qwen 3", predecessor=second)
    child = ReleaseFactory(name="Qwen 3.5", predecessor=release)
    ReleaseFactory(name="Secret draft", predecessor=release, status=Status.DRAFT, published_at=None)

    with assert_max_request_queries(5):
        response = client.get(release.get_absolute_url())

    assert f'<a href="{child.get_absolute_url()}">Qwen 3.5</a>' in response.text
    assert "Secret draft" not in response.text


def test_release_page_hides_an_unpublished_successor(client):
    release = ReleaseFactory()
    ReleaseFactory(name="Secret draft", predecessor=release, status=Status.DRAFT, published_at=None)

    response = client.get(release.get_absolute_url())

    assert "Secret draft" not in response.text


def test_release_page_offers_a_citation(client):
    release = ReleaseFactory(slug="qwen-3")

    response = client.get(release.get_absolute_url())

    assert 'href="/releases/qwen-3/cite/">Cite this release</a>' in response.text


def test_release_page_describes_itself_in_json_ld(client):
    release = ReleaseFactory(name="Qwen </script> 3")

    response = client.get(release.get_absolute_url())

    assert '"@type": "SoftwareApplication"' in response.text
    assert "Qwen \\u003C/script\\u003E 3" in response.text


def test_draft_release_is_not_found_for_readers(client):
    release = ReleaseFactory(status=Status.DRAFT, published_at=None)

    response = client.get(release.get_absolute_url())

    assert response.status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_release_page_queries_do_not_grow_with_releases(client, assert_max_request_queries, count):
    build_catalogue(count)
    from releases.models import ModelRelease

    release = ModelRelease.objects.order_by("pk")[1]

    # The release with its sizes (2), its family tree with its successors (1), its claims and its
    # change log (2 more).
    with assert_max_request_queries(5):
        response = client.get(release.get_absolute_url())

    assert response.status_code == 200


COMPARE = reverse("releases:compare")


def test_compare_puts_releases_side_by_side(client):
    a = ReleaseFactory(name="Qwen 2", context_length=None)
    b = ReleaseFactory(name="Qwen 3", context_length=131072)

    response = client.get(COMPARE, {"r": [a.slug, b.slug]})

    assert response.status_code == 200
    assert [release.slug for release in response.context["compared"]] == [a.slug, b.slug]
    assert "131,072 tokens (128K)" in response.text


def test_compare_without_choices_shows_the_picker(client):
    ReleaseFactory()

    response = client.get(COMPARE)

    assert response.status_code == 200
    assert '<label for="compare-1">Release 1</label>' in response.text


@pytest.mark.parametrize(
    "slugs",
    [["one"], ["one", "one"], ["one", "two", "three", "four", "five"], ["one", "missing"]],
    ids=["one release", "the same twice", "five releases", "unknown release"],
)
def test_compare_rejects_a_bad_choice_with_400(client, slugs):
    for slug in ("one", "two", "three", "four", "five"):
        ReleaseFactory(slug=slug)

    response = client.get(COMPARE, {"r": slugs})

    assert response.status_code == 400
    assert "These releases could not be compared" in response.text


def test_compare_rejects_an_unknown_parameter(client):
    a, b = ReleaseFactory(), ReleaseFactory()

    response = client.get(COMPARE, {"r": [a.slug, b.slug], "x": "1"})

    assert response.status_code == 400
    assert "Unknown query parameter" in response.text


@pytest.mark.parametrize("count", [3, 30])
def test_compare_queries_do_not_grow_with_releases(client, assert_max_request_queries, count):
    build_catalogue(count)
    from releases.models import ModelRelease

    slugs = list(ModelRelease.objects.values_list("slug", flat=True)[:3])

    # The releases, their sizes, and the picker's names (once per content state).
    with assert_max_request_queries(3):
        response = client.get(COMPARE, {"r": slugs})

    assert response.status_code == 200


def test_release_feed_is_atom_with_the_newest_release_first(client):
    ReleaseFactory(name="Old", release_date=dt.date(2023, 1, 1))
    ReleaseFactory(name="New", release_date=dt.date(2025, 1, 1))

    response = client.get(reverse("feed-releases"))

    assert response["Content-Type"].startswith("application/atom+xml")
    assert response.text.index("New (January 2025)") < response.text.index("Old (January 2023)")


def test_calendar_has_a_month_long_event_for_a_month_precision_release(client):
    ReleaseFactory(name="Qwen 2", slug="qwen-2", release_date=dt.date(2024, 6, 1))

    response = client.get(reverse("release-calendar"))

    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["summary"]) == "Qwen 2 released"
    assert event.decoded("dtstart") == dt.date(2024, 6, 1)
    assert event.decoded("dtend") == dt.date(2024, 7, 1)
    assert str(event["url"]).endswith("/releases/qwen-2/")


def test_calendar_leaves_out_drafts(client):
    ReleaseFactory(name="Draft", status=Status.DRAFT, published_at=None)

    response = client.get(reverse("release-calendar"))

    assert Calendar.from_ical(response.content).walk("VEVENT") == []
