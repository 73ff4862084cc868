"""Provenance: every value a claim citing a source, conflicts shown, the change log public."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from articles.markdown import section_texts
from releases.models import Claim, ModelRelease, ReleaseSize, Source, ValueChange, column_value
from releases.provenance import Basis, SourceKind, Tier
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db

# The columns a claim backs: every value stated, architecture included ("" where the document is silent).
STATED_RELEASE_FIELDS = ["release_date", "access", "context_length"]
STATED_SIZE_FIELDS = ["parameters_b", "active_parameters_b", "architecture"]


def test_every_shipped_claim_quotes_its_section_of_the_article_verbatim(seeded):
    claims = list(Claim.objects.select_related("source__article"))
    assert len(claims) == 39
    for claim in claims:
        article = claim.source.article
        section = section_texts(article.body)[claim.locator]
        plain = " ".join(section.split())
        assert " ".join(claim.quote.split()) in plain, (claim, claim.quote)
        assert article.passage_error(claim.locator, claim.quote) is None


def test_every_shipped_claim_passes_the_rules_an_editor_meets(seeded):
    for claim in Claim.objects.select_related("source__article", "size", "release"):
        claim.full_clean()
        assert claim.basis == Basis.DISCLOSED or claim.derivation, claim


def test_every_stated_value_of_the_shipped_content_has_a_preferred_claim_that_gives_it(seeded):
    for release in ModelRelease.objects.prefetch_related("claims", "sizes__claims"):
        preferred = {claim.field: claim for claim in release.claims.all() if claim.preferred and not claim.size_id}
        for field in STATED_RELEASE_FIELDS:
            if column_value(release, field):
                assert preferred[field].value == column_value(release, field), (release, field)
        for size in release.sizes.all():
            claimed = {claim.field: claim for claim in size.claims.all() if claim.preferred}
            for field in STATED_SIZE_FIELDS:
                if column_value(size, field):
                    assert claimed[field].value == column_value(size, field), (size, field)


def test_derived_values_say_how_they_follow_from_the_document(seeded):
    derived = {
        (claim.release.slug, claim.field, claim.value): claim.derivation
        for claim in Claim.objects.filter(basis=Basis.DERIVED).select_related("release")
    }
    assert "A22B" in derived[("qwen-3", "active_parameters_b", "22")]
    assert "131,072" in derived[("qwen-3", "context_length", "131072")]
    assert "8,192" in derived[("qwen-1", "context_length", "8192")]


def test_nothing_shipped_is_disputed(seeded):
    assert not ModelRelease.objects.filter(disputed=True).exists()
    assert not Claim.objects.filter(disputed=True).exists()


@pytest.fixture
def qwen_1(seeded):
    return ModelRelease.objects.get(slug="qwen-1")


@pytest.fixture
def lab_readme(db):
    return Source.objects.create(
        kind=SourceKind.README,
        title="Qwen README",
        publisher="Qwen team",
        url="https://example.com/qwen/README.md",
        accessed_on=dt.date(2026, 11, 30),
        archive_url="https://archive.example.org/qwen-readme",
        tier=Tier.PRIMARY,
    )


def claim(release, **fields):
    values = {
        "release": release,
        "field": "release_date",
        "value": "2023-08",
        "quote": "We release Qwen-7B in August 2023.",
        "locator": "News, line 3",
        "basis": Basis.DISCLOSED,
        "checked_on": dt.date(2026, 11, 30),
        **fields,
    }
    return Claim(**values)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"field": "context_length", "value": "eight thousand"}, "value", "whole number of tokens"),
        ({"field": "release_date", "value": "2023-09-31"}, "value", "2023-09 (a month) or 2023-09-08"),
        ({"field": "release_date", "value": "Sept 2023"}, "value", "2023-09 (a month)"),
        ({"field": "access", "value": "open"}, "value", "Give one of: open_weights"),
        ({"basis": Basis.DERIVED, "derivation": ""}, "derivation", "Say how"),
    ],
)
def test_a_claim_with_a_bad_value_is_refused_naming_the_field(qwen_1, lab_readme, fields, field, message):
    bad = claim(qwen_1, source=lab_readme, **fields)

    with pytest.raises(ValidationError) as refused:
        bad.full_clean()

    assert message in " ".join(refused.value.message_dict[field])


def test_text_for_a_size_and_active_above_total_are_refused(qwen_1, lab_readme):
    size = qwen_1.sizes.get(label="7B")
    for value, message in [("seven", "number of billions"), ("0", "number of billions")]:
        with pytest.raises(ValidationError, match=message):
            claim(qwen_1, source=lab_readme, size=size, field="parameters_b", value=value).full_clean()
    with pytest.raises(ValidationError, match=r"cannot exceed the size's total \(7B\)"):
        claim(qwen_1, source=lab_readme, size=size, field="active_parameters_b", value="8").full_clean()


def test_a_size_field_needs_a_size_of_the_same_release(qwen_1, lab_readme):
    other_size = ReleaseSize.objects.exclude(release=qwen_1).first()
    with pytest.raises(ValidationError, match="Choose the size"):
        claim(qwen_1, source=lab_readme, field="parameters_b", value="7").full_clean()
    with pytest.raises(ValidationError, match="belongs to another release"):
        claim(qwen_1, source=lab_readme, size=other_size, field="parameters_b", value="7").full_clean()


def test_an_invented_passage_is_refused_with_the_nearest_sentence(qwen_1):
    document = Source.objects.get(kind=SourceKind.SITE_ARTICLE)
    invented = claim(
        qwen_1,
        source=document,
        locator="the-beginning-2023",
        quote="In September 2023, Qwen 1.0 was released with a 32K context window.",
        checked_on=None,
    )

    with pytest.raises(ValidationError) as refused:
        invented.full_clean()

    message = refused.value.message_dict["quote"][0]
    assert "not found word for word" in message
    assert "In September 2023, Qwen 1.0 was released, followed shortly by open-weight versions" in message


def test_a_passage_matches_whatever_its_quote_marks_and_spacing(qwen_1):
    document = Source.objects.get(kind=SourceKind.SITE_ARTICLE)
    found = claim(
        qwen_1,
        source=document,
        field="release_date",
        value="2023-09",
        locator="the-beginning-2023",
        quote="The model was positioned to compete with ChatGPT in the Chinese market, but Alibaba's\n  ambitions",
        checked_on=None,
    )
    found.full_clean()


def test_a_second_preferred_claim_for_one_field_is_refused(qwen_1, lab_readme):
    second = claim(qwen_1, source=lab_readme, preferred=True)

    with pytest.raises(ValidationError, match="already has a preferred claim"):
        second.full_clean()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"url": "http://example.com/readme"}, "url"),
        ({"archive_url": "http://archive.example.org/x"}, "archive_url"),
        ({"accessed_on": None}, "accessed_on"),
        ({"url": ""}, "url"),
    ],
)
def test_a_source_needs_https_addresses_and_an_accessed_date(lab_readme, fields, field):
    for name, value in fields.items():
        setattr(lab_readme, name, value)

    with pytest.raises(ValidationError) as refused:
        lab_readme.full_clean()

    assert field in refused.value.message_dict


def test_a_source_in_use_cannot_be_deleted_and_the_admin_names_what_cites_it(qwen_1, admin_client):
    document = Source.objects.get(kind=SourceKind.SITE_ARTICLE)

    with pytest.raises(ProtectedError):
        document.delete()
    page = admin_client.get(f"/admin/releases/source/{document.pk}/delete/", secure=True)
    assert "protected" in page.text
    assert "Qwen 1.0 release date: 2023-09" in page.text


def test_sources_disagree_end_to_end(qwen_1, lab_readme, client, editor_client):
    """An editor adds a primary source giving another date: the page and the API show the dispute;
    moving the preferred claim changes the value, logs the change and feeds it to subscribers."""
    readme_date = claim(qwen_1, source=lab_readme)
    readme_date.full_clean()
    readme_date.save()

    qwen_1.refresh_from_db()
    assert qwen_1.disputed
    page = client.get("/releases/qwen-1/").text
    assert "Sources disagree" in page
    assert "September 2023 (shown)" in page
    assert "August 2023" in page
    assert "Qwen README" in page
    assert [row["slug"] for row in client.get("/api/v1/releases/", {"disputed": "true"}).json()["results"]] == [
        "qwen-1"
    ]
    assert client.get("/api/v1/claims/", {"release": "qwen-1", "disputed": "true"}).json()["count"] == 2

    document_date = qwen_1.claims.get(field="release_date", preferred=True)
    document_date.preferred = False
    document_date.save()
    readme_date.preferred = True
    readme_date.save()

    qwen_1.refresh_from_db()
    assert qwen_1.release_date == dt.date(2023, 8, 1)
    assert not qwen_1.disputed  # the other claim is of a lower tier now
    change = ValueChange.objects.get(release=qwen_1)
    assert (change.old_value, change.new_value, change.source) == ("2023-09", "2023-08", lab_readme)
    assert "September 2023 → August 2023" in client.get("/releases/qwen-1/").text
    changes = client.get("/releases/changes/").text
    assert "Qwen 1.0" in changes
    assert "August 2023" in changes
    feed = client.get("/feeds/corrections/").text
    assert "Qwen 1.0: release date September 2023 → August 2023" in feed


def test_a_column_backed_by_a_claim_changes_through_the_claim(qwen_1):
    qwen_1.context_length = 32768

    with pytest.raises(ValidationError) as refused:
        qwen_1.full_clean()

    assert "The preferred claim" in refused.value.message_dict["context_length"][0]
    assert "8,192 tokens" in refused.value.message_dict["context_length"][0]


def test_every_fact_on_a_release_page_links_to_its_note(seeded, client):
    page = client.get("/releases/qwen-3/").text
    marks = re.findall(r'href="#note-(\d+)"', page)
    notes = re.findall(r'<li id="note-(\d+)">', page)

    assert sorted(set(marks), key=int) == notes
    assert len(notes) == Claim.objects.filter(release__slug="qwen-3").count()
    assert "22B active, from the name A22B." in page
    assert "(derived)" in page


def test_the_sources_page_lists_each_source_and_what_it_supports(seeded, client):
    page = client.get("/releases/sources/").text

    assert "The History of Qwen" in page
    assert "What it supports (39 values)" in page
    assert "Qwen 3</a>: active parameters of Qwen3-235B-A22B, 22B (derived)" in page


def test_the_api_lists_sources_and_claims_with_strict_filters(seeded, client):
    sources = client.get("/api/v1/sources/").json()
    assert sources["results"][0]["title"] == "The History of Qwen"
    assert sources["results"][0]["link"].endswith("/articles/the-history-of-qwen/")

    claims = client.get("/api/v1/claims/", {"release": "qwen-3", "field": "active_parameters_b"}).json()
    assert [(c["value"], c["basis"], c["size_label"]) for c in claims["results"]] == [
        ("22", "derived", "Qwen3-235B-A22B")
    ]
    assert client.get("/api/v1/claims/", {"basis": "guess"}).status_code == 400
    assert client.get("/api/v1/claims/", {"source": "x"}).status_code == 400
    assert client.get("/api/v1/claims/", {"colour": "red"}).status_code == 400


def test_claims_of_a_draft_release_stay_hidden_from_readers(seeded, client):
    ModelRelease.objects.filter(slug="qwen-3").update(status="draft")

    assert client.get("/api/v1/claims/", {"release": "qwen-3"}).json()["count"] == 0
    assert "Qwen 3</a>" not in client.get("/releases/sources/").text


def test_the_stale_filter_finds_claims_not_checked_for_a_year(qwen_1, lab_readme):
    old = claim(qwen_1, source=lab_readme, checked_on=dt.date(2024, 1, 1))
    old.save()
    fresh = claim(qwen_1, source=lab_readme, field="access", value="open_weights", checked_on=dt.date(2026, 11, 1))
    fresh.save()

    assert list(Claim.objects.stale(today=dt.date(2026, 12, 2))) == [old]


def test_the_release_page_costs_two_queries_more_for_its_provenance(seeded, client, assert_max_request_queries):
    from qwensite.freshness.state import content_state

    content_state()  # rebuilt once after the fixture load, as on any first request
    with assert_max_request_queries(6):  # one more for the family tree (its successors come with it)
        response = client.get("/releases/qwen-3/")

    assert response.status_code == 200


NONCE = re.compile(r'nonce="[^"]*"')


def test_readers_share_a_release_pages_provenance_until_the_catalogue_changes(
    seeded, client, settings, assert_max_request_queries
):
    settings.RESPONSE_CACHE_ENABLED = False  # render each time rather than serve a stored copy
    first = client.get("/releases/qwen-3/")

    with assert_max_request_queries(2):  # the release and its family: sizes, claims, changes are kept
        again = client.get("/releases/qwen-3/")

    assert NONCE.sub("", again.text) == NONCE.sub("", first.text)
    assert [note.pk for note in again.context["notes"]] == [note.pk for note in first.context["notes"]]
    source = Source.objects.get(kind=SourceKind.SITE_ARTICLE)
    source.title = "The History of Qwen, revised"
    source.save()
    assert "The History of Qwen, revised" in client.get("/releases/qwen-3/").text


def test_an_edit_of_a_claim_shows_on_the_next_readers_release_page(qwen_1, lab_readme, client, settings):
    settings.RESPONSE_CACHE_ENABLED = False
    assert "Qwen README" not in client.get("/releases/qwen-1/").text

    claim(qwen_1, source=lab_readme).save()

    page = client.get("/releases/qwen-1/").text
    assert "Qwen README" in page
    assert "Sources disagree" in page


@pytest.fixture
def draft_source(db):
    """A source that is an article of this site not published yet."""
    from tests.factories import ArticleFactory

    draft = ArticleFactory(status="draft", body="## Notes {#notes}\n\nQwen 1.0 came out in August 2023.\n")
    return Source.objects.create(
        kind=SourceKind.SITE_ARTICLE, title="A draft of notes", publisher="qwensite", article=draft, tier=Tier.PRIMARY
    )


def draft_claim(release, source, **fields):
    return Claim.objects.create(
        release=release,
        field="release_date",
        value="2023-08",
        source=source,
        locator="notes",
        quote="Qwen 1.0 came out in August 2023.",
        basis=Basis.DISCLOSED,
        **fields,
    )


def test_an_editors_release_page_leaves_nothing_to_readers(qwen_1, draft_source, editor_client, settings):
    """A claim citing an article readers cannot see yet: the editor's page lists it, and the
    readers' pages, before and after the editor's, do not."""
    from django.test import Client

    settings.RESPONSE_CACHE_ENABLED = False
    reader = Client()
    draft_claim(qwen_1, draft_source)
    assert "A draft of notes" not in reader.get("/releases/qwen-1/").text

    assert "A draft of notes" in editor_client.get("/releases/qwen-1/", secure=True).text

    assert "A draft of notes" not in reader.get("/releases/qwen-1/").text


def test_a_change_moved_by_a_draft_source_is_logged_without_naming_it_to_readers(qwen_1, draft_source, client, editor):
    """The value and its change are public; the unpublished article that gave it is not named on
    the release page, the change log or the corrections feed until readers may see it."""
    qwen_1.claims.filter(field="release_date", preferred=True).update(preferred=False)
    draft_claim(qwen_1, draft_source, preferred=True)
    change = ValueChange.objects.get(release=qwen_1)
    assert change.source == draft_source

    page, log, feed = (
        client.get(path).text for path in ("/releases/qwen-1/", "/releases/changes/", "/feeds/corrections/")
    )
    assert "September 2023 → August 2023" in page
    assert "not published yet" in log
    assert "release date September 2023 → August 2023" in feed
    for text in (page, log, feed):
        assert "A draft of notes" not in text

    client.force_login(editor)
    assert "A draft of notes" in client.get("/releases/changes/", secure=True).text
    draft_source.article.status = "published"
    draft_source.article.save()
    client.logout()
    assert "from “A draft of notes”" in client.get("/releases/qwen-1/").text
    assert "Source: A draft of notes (qwensite)." in client.get("/feeds/corrections/").text


def test_an_editor_adds_a_claim_in_the_release_form_and_an_invented_passage_is_refused(qwen_1, editor_client):
    url = f"/admin/releases/modelrelease/{qwen_1.pk}/change/"
    form = editor_client.get(url, secure=True)
    assert "claims: where each value comes from" in form.text.lower()
    data = admin_form_data(form)
    total = int(data["claims-TOTAL_FORMS"])
    document = Source.objects.get(kind=SourceKind.SITE_ARTICLE)
    new = {
        "field": "release_date",
        "value": "2023-09",
        "source": str(document.pk),
        "locator": "the-beginning-2023",
        "basis": "disclosed",
        "quote": "Qwen 1.0 was released in the autumn.",
    }
    data.update({f"claims-{total}-{key}": value for key, value in new.items()})
    data["claims-TOTAL_FORMS"] = str(total + 1)

    refused = editor_client.post(url, data, secure=True)

    assert refused.status_code == 200
    assert "not found word for word" in refused.text
    assert "In September 2023, Qwen 1.0 was released" in refused.text
    assert qwen_1.claims.count() == total

    data[f"claims-{total}-quote"] = "In September 2023, Qwen 1.0 was released"
    saved = editor_client.post(url, data, secure=True)

    assert saved.status_code == 302
    assert qwen_1.claims.count() == total + 1


def test_editors_keep_the_register_of_sources(editor_client):
    response = editor_client.post(
        "/admin/releases/source/add/",
        {
            "kind": "web_page",
            "tier": "1",
            "title": "Qwen blog",
            "publisher": "Qwen team",
            "url": "http://example.com/blog",
            "published_precision": "day",
        },
        secure=True,
    )

    assert response.status_code == 200
    assert "Enter an https:// address." in response.text
    assert "Give the date the source was read" in response.text
    assert not Source.objects.filter(title="Qwen blog").exists()


def test_a_release_expands_to_its_claims_on_request(seeded, client):
    plain = client.get("/api/v1/releases/qwen-3/").json()
    expanded = client.get("/api/v1/releases/qwen-3/", {"expand": "claims"}).json()

    assert "claims" not in plain
    assert {(c["field"], c["size_label"], c["value"]) for c in expanded["claims"]} >= {
        ("release_date", None, "2025-04"),
        ("active_parameters_b", "Qwen3-235B-A22B", "22"),
    }
    assert client.get("/api/v1/releases/", {"expand": "everything"}).json() == {
        "expand": ["Give claims, or leave it out."]
    }


def test_the_expanded_list_costs_one_query_more(seeded, client, django_assert_max_num_queries):
    from qwensite.freshness.state import content_state

    content_state()
    with django_assert_max_num_queries(6):
        plain = client.get("/api/v1/releases/", {"page_size": 100})
    with django_assert_max_num_queries(7):
        expanded = client.get("/api/v1/releases/", {"page_size": 100, "expand": "claims"})

    assert sum(len(row["claims"]) for row in expanded.json()["results"]) == 39
    assert plain.json()["count"] == 11


@pytest.fixture
def licensed(qwen_1, lab_readme):
    """The 7B size of Qwen 1.0 given a licence by a claim (tests make their own facts)."""
    size = qwen_1.sizes.get(label="7B")
    for field, value in [("licence", "Apache-2.0"), ("commercial_use", "true"), ("context_native", "8192")]:
        claim(qwen_1, source=lab_readme, size=size, field=field, value=value, preferred=True).save()
    size.refresh_from_db()
    return size


def test_a_checkpoints_licence_and_context_come_from_claims(licensed):
    assert (licensed.licence, licensed.commercial_use, licensed.context_native) == ("Apache-2.0", True, 8192)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("licence", "Free-For-All-1.0", "not an SPDX licence expression"),
        ("commercial_use", "maybe", "Give true"),
        ("context_extended", "32K", "whole number of tokens"),
    ],
)
def test_a_bad_checkpoint_value_is_refused(qwen_1, lab_readme, field, value, message):
    size = qwen_1.sizes.get(label="7B")

    with pytest.raises(ValidationError, match=message):
        claim(qwen_1, source=lab_readme, size=size, field=field, value=value).full_clean()


def test_an_spdx_expression_or_a_named_licence_is_accepted(qwen_1, lab_readme):
    size = qwen_1.sizes.get(label="14B")
    for value in ["MIT OR Apache-2.0", "Qwen License"]:
        claim(qwen_1, source=lab_readme, size=size, field="licence", value=value).full_clean()


def test_licence_and_commercial_use_filter_the_catalogue_and_the_api(licensed, client):
    assert [r["slug"] for r in client.get("/api/v1/releases/", {"licence": "Apache-2.0"}).json()["results"]] == [
        "qwen-1"
    ]
    assert [r["slug"] for r in client.get("/api/v1/releases/", {"commercial_use": "true"}).json()["results"]] == [
        "qwen-1"
    ]
    sizes = client.get("/api/v1/sizes/", {"licence": "Apache-2.0", "format": "csv"}).content.decode()
    assert "licence" in sizes.splitlines()[0]
    assert "Apache-2.0" in sizes
    assert "Qwen 1.0" in client.get("/releases/", {"licence": "Apache-2.0"}).text
    assert client.get("/api/v1/releases/", {"commercial_use": "perhaps"}).status_code == 400


def test_the_release_page_shows_licences_and_not_stated(licensed, client):
    page = client.get("/releases/qwen-1/").text

    assert "Apache-2.0" in page
    assert "commercial use allowed" in page
    assert "not stated" in page  # the 14B size's licence


def test_dated_events_are_listed_and_a_release_without_a_date_claim_takes_its_first_event(qwen_1, lab_readme, client):
    qwen_1.claims.filter(field="release_date").delete()
    claim(qwen_1, source=lab_readme, field="announced", value="2023-08-03", preferred=True).save()
    claim(qwen_1, source=lab_readme, field="weights_released", value="2023-08-25", preferred=True).save()

    qwen_1.refresh_from_db()
    assert (qwen_1.release_date, qwen_1.date_precision) == (dt.date(2023, 8, 25), "day")
    page = client.get("/releases/qwen-1/").text
    assert "Announced" in page
    assert "3 August 2023" in page
    assert "Weights released" in page
    changes = ValueChange.objects.filter(release=qwen_1, field="release_date").order_by("pk")
    assert [(c.old_value, c.new_value) for c in changes] == [("2023-09", "2023-08-03"), ("2023-08-03", "2023-08-25")]


def test_a_preferred_release_date_claim_outranks_the_events(qwen_1, lab_readme):
    claim(qwen_1, source=lab_readme, field="weights_released", value="2023-08-25", preferred=True).save()

    qwen_1.refresh_from_db()
    assert qwen_1.release_date == dt.date(2023, 9, 1)


def test_an_event_takes_a_real_month_or_day(qwen_1, lab_readme):
    with pytest.raises(ValidationError, match="2023-09 \\(a month\\)"):
        claim(qwen_1, source=lab_readme, field="paper", value="2023-02-30").full_clean()


def test_publishing_a_release_with_an_unsourced_value_is_refused_naming_the_field(db):
    from tests.factories import ReleaseFactory, ReleaseSizeFactory, cite_every_value

    draft = ReleaseFactory(status="draft", published_at=None, context_length=32768)
    ReleaseSizeFactory(release=draft, label="7B")
    draft.status, draft.published_at = "published", draft.published_at or timezone_now()

    with pytest.raises(ValidationError) as refused:
        draft.full_clean()

    errors = refused.value.message_dict
    assert errors["release_date"] == ["Publishing needs a source for the release date: add a preferred claim."]
    assert "context length" in errors["context_length"][0]
    assert "total parameters of 7B" in errors["status"][0]

    cite_every_value(ModelRelease.objects.get(pk=draft.pk))
    draft.full_clean()  # every stated value has its claim now


def test_a_new_release_cannot_be_published_in_one_step_without_claims(db):
    from tests.factories import ArticleFactory

    release = ModelRelease(
        name="Qwen 9",
        slug="qwen-9",
        release_date=dt.date(2026, 5, 1),
        access="open_weights",
        summary="Next.",
        source_article=ArticleFactory(),
        source_section="first-section",
        source_quote="Some words about Qwen.",
        status="published",
        published_at=timezone_now(),
    )

    with pytest.raises(ValidationError, match="Save the release as a draft with its claims first"):
        release.full_clean()


def test_an_api_client_publishes_a_draft_once_its_claims_are_written(db, editor_api_client):
    from tests.factories import ReleaseFactory, SourceFactory

    draft = ReleaseFactory(slug="qwen-9", status="draft", published_at=None)
    source = SourceFactory(article=draft.source_article)
    url = "/api/v1/releases/qwen-9/"
    publish = {"status": "published", "published_at": "2026-01-01T00:00:00Z"}

    refused = editor_api_client.patch(url, publish, format="json")
    assert refused.status_code == 400
    assert "Publishing needs a source for the release date" in refused.json()["release_date"][0]

    for field, value in [("release_date", "2024-06"), ("access", "open_weights")]:
        written = editor_api_client.post(
            "/api/v1/claims/",
            {
                "release": "qwen-9",
                "field": field,
                "value": value,
                "source": source.pk,
                "quote": "Some words about Qwen.",
                "locator": "first-section",
                "basis": "disclosed",
                "preferred": True,
            },
            format="json",
        )
        assert written.status_code == 201, written.content

    assert editor_api_client.patch(url, publish, format="json").status_code == 200
    assert ModelRelease.objects.get(slug="qwen-9").is_published


def test_an_api_claim_is_checked_like_the_admins(db, editor_api_client):
    from tests.factories import ReleaseFactory, SourceFactory

    release = ReleaseFactory(slug="qwen-9")
    source = SourceFactory(article=release.source_article)
    payload = {
        "release": "qwen-9",
        "field": "release_date",
        "value": "2024-06",
        "source": source.pk,
        "quote": "Words the article never wrote.",
        "locator": "first-section",
        "basis": "disclosed",
        "preferred": "yes",
    }

    response = editor_api_client.post("/api/v1/claims/", payload, format="json")
    assert response.status_code == 400
    assert "preferred" in response.json()

    response = editor_api_client.post("/api/v1/claims/", {**payload, "preferred": True}, format="json")
    assert response.status_code == 400
    assert "not found word for word" in response.json()["quote"][0]
    assert not Claim.objects.filter(release=release).exists()


def test_an_editor_deletes_a_claim_through_the_api_and_readers_cannot(seeded, editor_api_client, api_client):
    claim_id = Claim.objects.get(release__slug="qwen-3", field="active_parameters_b").pk

    assert api_client.delete(f"/api/v1/claims/{claim_id}/").status_code == 401
    assert editor_api_client.delete(f"/api/v1/claims/{claim_id}/").status_code == 204
    assert Claim.objects.count() == 38


def timezone_now():
    from django.utils import timezone

    return timezone.now()


def test_editors_keep_the_register_through_the_api(seeded, editor_api_client, api_client):
    source = {
        "kind": "readme",
        "title": "Qwen README",
        "publisher": "Qwen team",
        "address": "http://example.com/readme",
        "tier": 1,
        "accessed_on": "2026-11-30",
    }

    assert api_client.post("/api/v1/sources/", source, format="json").status_code == 401
    refused = editor_api_client.post("/api/v1/sources/", source, format="json")
    assert refused.status_code == 400
    assert refused.json()["address"] == ["Enter an https:// address."]

    created = editor_api_client.post(
        "/api/v1/sources/", {**source, "address": "https://example.com/readme"}, format="json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["link"] == "https://example.com/readme"
    assert editor_api_client.delete(created.json()["url"]).status_code == 204

    document = Source.objects.get(kind=SourceKind.SITE_ARTICLE)
    in_use = editor_api_client.delete(f"/api/v1/sources/{document.pk}/")
    assert in_use.status_code == 409
    assert "Still referenced by" in in_use.json()["detail"]
    assert Source.objects.filter(pk=document.pk).exists()
