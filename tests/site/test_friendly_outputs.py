"""Friendly outputs: the cite page, the feeds page, and messages that say what exists."""

import html

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("releases:list")


# The cite page ---------------------------------------------------------------------------


def test_the_cite_page_shows_the_same_bibtex_as_the_raw_entry(client, api_client, seeded):
    page = client.get(reverse("releases:cite", kwargs={"slug": "qwen-3"}))
    raw = api_client.get(reverse("api:release-cite", kwargs={"slug": "qwen-3"}))

    assert page.status_code == 200
    assert page.context["bibtex"] == raw.content.decode()
    assert '<pre id="bibtex"' in page.text
    assert "@misc{qwen-3," in page.text


def test_the_cite_page_offers_a_download_and_a_copy_button_for_scripts(client, seeded):
    response = client.get(reverse("releases:cite", kwargs={"slug": "qwen-3"}))

    assert '<a href="/api/v1/releases/qwen-3/cite/" download="qwen-3.bib">' in response.text
    # The button waits hidden for its script (a static file: the CSP forbids inline scripts).
    assert 'data-copy-target="bibtex" data-copy-status="copy-status" hidden>Copy BibTeX</button>' in response.text
    assert '<script src="/static/js/copy.js" defer></script>' in response.text


def test_the_cite_page_escapes_the_entry(client):
    release = ReleaseFactory(name="Qwen <b>bold</b>")

    response = client.get(reverse("releases:cite", kwargs={"slug": release.slug}))

    assert "<b>bold</b>" not in response.text
    assert "Qwen &lt;b&gt;bold&lt;/b&gt;" in response.text


def test_the_release_page_links_to_its_cite_page(client, seeded):
    response = client.get(reverse("releases:detail", kwargs={"slug": "qwen-3"}))

    assert '<a href="/releases/qwen-3/cite/">Cite this release</a>' in response.text


def test_the_cite_page_of_a_draft_is_not_found_for_readers(client):
    draft = ReleaseFactory(status="draft")

    response = client.get(reverse("releases:cite", kwargs={"slug": draft.slug}))

    assert response.status_code == 404


def test_the_cite_page_leaves_out_the_passage_of_an_unpublished_article(client):
    release = ReleaseFactory(source_article=ArticleFactory(status="draft"))

    response = client.get(reverse("releases:cite", kwargs={"slug": release.slug}))

    assert response.status_code == 200
    assert "Source:" not in response.context["bibtex"]


# The feeds page --------------------------------------------------------------------------


def test_the_feeds_page_says_what_a_feed_is_and_lists_each_feed_with_its_address(client, seeded):
    response = client.get(reverse("feeds"))

    assert response.status_code == 200
    assert "A feed is a list of the newest entries" in response.text
    for name in ("feed-articles", "feed-releases", "feed-corrections", "release-calendar"):
        assert f"<code>http://testserver{reverse(name)}</code>" in response.text or (
            f"{reverse(name)}</code>" in response.text
        )
    assert f"{reverse('feed-tag', kwargs={'slug': 'qwen'})}</code>" in response.text


def test_the_feeds_themselves_are_unchanged(client, seeded):
    response = client.get(reverse("feed-releases"))

    assert response["Content-Type"].startswith("application/atom+xml")


def test_feed_links_on_pages_open_the_feeds_page(client, seeded):
    response = client.get(reverse("articles:list"))

    assert f'<a href="{reverse("feeds")}#feed-articles">' in response.text
    # Feed readers still discover the feeds themselves.
    assert (
        f'rel="alternate" type="application/atom+xml" title="qwensite: articles" href="{reverse("feed-articles")}"'
        in (response.text)
    )


# Messages --------------------------------------------------------------------------------


def test_a_catalogue_page_past_the_end_says_which_pages_exist(client, seeded):
    response = client.get(CATALOGUE, {"page": 99, "page_size": 10})

    assert response.status_code == 404
    assert "Page 99 does not exist; there are 2 pages." in response.text
    assert 'href="/releases/?page_size=10">The first page</a>' in response.text


def test_an_article_list_page_past_the_end_says_which_pages_exist(client, seeded):
    response = client.get(reverse("articles:list"), {"page": 5})

    assert response.status_code == 404
    assert "Page 5 does not exist; there is 1 page." in response.text


def test_an_api_page_past_the_end_says_which_pages_exist(api_client, seeded):
    response = api_client.get(reverse("api:release-list"), {"page": 99, "page_size": 10})

    assert response.status_code == 404
    assert response.json() == {"detail": "Page 99 does not exist; there are 2 pages."}


ACCEPTED_ORDERINGS = "release_date, name, -name, -max_size_b, max_size_b, -release_date"


def test_a_bad_ordering_on_the_catalogue_lists_the_accepted_values(client, seeded):
    response = client.get(CATALOGUE, {"ordering": "colour"})

    assert response.status_code == 400
    assert f"'colour' is not one of: {ACCEPTED_ORDERINGS}." in html.unescape(response.text)


def test_a_bad_ordering_in_the_api_lists_the_accepted_values(api_client, seeded):
    response = api_client.get(reverse("api:release-list"), {"ordering": "colour"})

    assert response.status_code == 400
    assert response.json() == {"ordering": [f"'colour' is not one of: {ACCEPTED_ORDERINGS}."]}


def test_an_unknown_release_page_names_it_links_the_catalogue_and_close_matches(client, seeded):
    response = client.get("/releases/qwen-4/")

    assert response.status_code == 404
    assert "No release called “qwen-4”." in response.text
    assert "ModelRelease" not in response.text
    assert f'<a href="{CATALOGUE}">The release catalogue</a>' in response.text
    assert '<a href="/releases/qwen-3/">Qwen 3</a>' in response.text


def test_an_unknown_release_in_the_api_is_named_with_close_matches(api_client, seeded):
    response = api_client.get("/api/v1/releases/qwen-4/")

    assert response.status_code == 404
    detail = response.json()["detail"]
    assert detail.startswith("No release called “qwen-4”. Close matches: ")
    assert "qwen-3" in detail


def test_an_unknown_entry_by_id_in_the_api_names_what_is_missing(api_client, seeded):
    response = api_client.get("/api/v1/sizes/999999/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No release size with id “999999”."}


def test_a_draft_release_is_never_suggested(client):
    ReleaseFactory(name="Qwen Secret", slug="qwen-secret", status="draft")

    response = client.get("/releases/qwen-secre/")

    assert response.status_code == 404
    assert "Qwen Secret" not in response.text


def test_any_other_missing_page_keeps_the_plain_message(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "There is no page at this address." in response.text


# The API root ----------------------------------------------------------------------------


def test_the_api_root_links_to_its_docs_and_schema(api_client, settings):
    response = api_client.get("/api/v1/")

    body = response.json()
    assert body["docs"] == f"{settings.SITE_URL}/api/v1/docs/"
    assert body["schema"] == f"{settings.SITE_URL}/api/v1/schema/"
    assert body["releases"] == f"{settings.SITE_URL}/api/v1/releases/"


def test_the_docs_offer_realistic_size_examples(api_client):
    schema = api_client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/releases/"]["get"]["parameters"]}
    examples = {name: parameters[name]["schema"].get("example") for name in ("min_size", "max_size")}
    assert examples == {"min_size": "0.5", "max_size": "72"}
    assert parameters["min_active_size"]["schema"]["example"] != parameters["max_active_size"]["schema"]["example"]
