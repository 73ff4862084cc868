"""Verbatim passages: a release's quoted passage and a claim's quote stand word for word in the
chosen section of the source article, and the section is chosen from the article's headings."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from releases.models import Claim, ModelRelease
from tests.factories import ArticleFactory, ReleaseFactory, SourceFactory
from tests.releases.test_admin import ADD_URL, _errors, _release_data

pytestmark = pytest.mark.django_db

BODY = (
    "Intro.\n\n## The Beginning (2023)\n\n"
    "Alibaba Cloud first unveiled Tongyi Qianwen in April 2023.\n\n"
    "In September 2023, Qwen 1.0 was released, with Alibaba’s “long” 8K context window.\n\n"
    "## Into 2025\n\nQwen 3 came out.\n"
)


@pytest.fixture
def article():
    return ArticleFactory(title="The History of Qwen", body=BODY)


def test_an_invented_passage_is_refused_with_the_nearest_real_sentence(editor_client, article):
    invented = "In September 2023, Qwen 1.0 was released with a 32K context window."

    response = editor_client.post(
        ADD_URL, _release_data(article, source_section="the-beginning-2023", source_quote=invented)
    )

    message = _errors(response, "source_quote")
    assert "not found word for word in the section “the-beginning-2023”" in message
    assert "The nearest sentence there is: “In September 2023, Qwen 1.0 was released, with Alibaba's" in message
    assert not ModelRelease.objects.exists()


def test_a_passage_from_another_section_is_refused(article):
    release = ReleaseFactory.build(
        source_article=article, source_section="into-2025", source_quote="Qwen 1.0 was released"
    )

    with pytest.raises(ValidationError) as refused:
        release.full_clean()

    assert "The nearest sentence there is: “Qwen 3 came out.”" in refused.value.message_dict["source_quote"][0]


def test_quote_marks_and_spacing_do_not_count(editor_client, article):
    typed = 'Qwen 1.0 was released,   with Alibaba\'s "long"\n8K context window.'

    data = _release_data(article, source_section="the-beginning-2023", source_quote=typed)

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 302
    assert ModelRelease.objects.get(slug="qwen-9").source_quote == typed


def test_the_source_section_is_a_choice_of_the_articles_headings_grouped_by_article(editor_client, article):
    ArticleFactory(title="Another article")

    response = editor_client.get(ADD_URL)

    html = response.content.decode()
    start = html.index('<select name="source_section"')
    select = html[start : html.index("</select>", start)]
    assert '<optgroup label="The History of Qwen">' in select
    assert '<option value="the-beginning-2023">The Beginning (2023) (#the-beginning-2023)</option>' in select
    assert '<option value="into-2025">Into 2025 (#into-2025)</option>' in select
    assert '<optgroup label="Another article">' in select
    assert select.index("Another article") < select.index("The History of Qwen")  # by title


def test_the_stored_section_is_selected_on_the_change_form(editor_client, article):
    release = ReleaseFactory(source_article=article, source_section="into-2025", source_quote="Qwen 3 came out.")

    response = editor_client.get(reverse("admin:releases_modelrelease_change", args=[release.pk]))

    assert response.context["adminform"].form["source_section"].value() == "into-2025"
    assert '<option value="into-2025" selected>' in response.content.decode()


def test_a_heading_of_another_article_is_refused_on_the_section(editor_client, article):
    response = editor_client.post(ADD_URL, _release_data(ArticleFactory(), source_section="into-2025"))

    assert "has no section with the anchor “into-2025”. Its sections are: first-section." in _errors(
        response, "source_section"
    )


def test_the_claim_locator_suggests_the_headings_of_the_sites_articles(editor_client, article):
    release = ReleaseFactory(source_article=article, source_section="into-2025", source_quote="Qwen 3 came out.")
    Claim.objects.create(
        release=release,
        field="access",
        value="open_weights",
        source=SourceFactory(article=article),
        quote="Qwen 3 came out.",
        locator="into-2025",
    )

    response = editor_client.get(reverse("admin:releases_modelrelease_change", args=[release.pk]))

    html = response.content.decode()
    assert 'name="claims-0-locator" value="into-2025"' in html
    assert 'list="id_claims-0-locator-sections"' in html
    assert '<datalist id="id_claims-0-locator-sections">' in html
    assert '<option value="the-beginning-2023">The Beginning (2023) (The History of Qwen)</option>' in html


def test_a_claim_locator_that_is_no_heading_of_its_sources_article_is_refused_on_the_locator(article):
    release = ReleaseFactory(source_article=article, source_section="into-2025", source_quote="Qwen 3 came out.")
    claim = Claim(
        release=release,
        field="access",
        value="open_weights",
        source=SourceFactory(article=article),
        quote="Qwen 3 came out.",
        locator="first-section",
    )

    with pytest.raises(ValidationError) as refused:
        claim.full_clean()

    assert "Its sections are: the-beginning-2023, into-2025." in refused.value.message_dict["locator"][0]


def test_the_headings_are_read_once_for_all_the_claims_of_a_change_form(seeded, editor_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def heading_reads(release):
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.get(reverse("admin:releases_modelrelease_change", args=[release.pk]))
        assert response.status_code == 200
        return len([q for q in queries.captured_queries if q["sql"].startswith(HEADINGS_READ)])

    many = ModelRelease.objects.get(slug="qwen-3")
    few = ModelRelease.objects.get(slug="tongyi-qianwen")
    assert many.claims.count() > few.claims.count() + 3

    assert heading_reads(many) == heading_reads(few)


HEADINGS_READ = 'SELECT "articles_article"."id", "articles_article"."title", "articles_article"."body" FROM'
