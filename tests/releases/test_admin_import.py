"""Bulk import and export of releases: preview first, all or nothing, reasons per row."""

import csv
import io
import json

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from releases.models import ModelRelease
from releases.resources import ReleaseResource
from tests.factories import ArticleFactory, ReleaseFactory, UserFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:releases_modelrelease_import")
PROCESS_URL = reverse("admin:releases_modelrelease_process_import")
EXPORT_URL = reverse("admin:releases_modelrelease_export")
CSV_FORMAT, JSON_FORMAT = "0", "1"


def _row(article, slug, **overrides):
    return {
        "slug": slug,
        "name": slug.replace("-", " ").title(),
        "release_date": "2025-04-01",
        "date_precision": "month",
        "access": "open_weights",
        "context_length": "32768",
        "kind": "general",
        "summary": "Imported.",
        "notable_claims": "",
        "source_article": article.slug,
        "source_section": "first-section",
        "source_quote": "Some words about Qwen.",
        "predecessor": "",
        "status": "draft",
        "published_at": "",
        **overrides,
    }


def _csv(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("releases.csv", out.getvalue().encode(), content_type="text/csv")


def _upload(client, upload, file_format=CSV_FORMAT):
    return client.post(IMPORT_URL, {"format": file_format, "resource": "0", "import_file": upload})


def _confirm(client, preview):
    return client.post(PROCESS_URL, preview.context["confirm_form"].initial)


def test_upload_shows_a_preview_and_writes_nothing(editor_client):
    article = ArticleFactory()

    response = _upload(editor_client, _csv([_row(article, "qwen-a"), _row(article, "qwen-b")]))

    assert response.status_code == 200
    assert "confirm_form" in response.context
    assert not ModelRelease.objects.exists()


def test_confirming_the_preview_imports_every_row(editor_client):
    article = ArticleFactory()
    preview = _upload(editor_client, _csv([_row(article, "qwen-a"), _row(article, "qwen-b")]))

    _confirm(editor_client, preview)

    assert sorted(ModelRelease.objects.values_list("slug", flat=True)) == ["qwen-a", "qwen-b"]


def test_import_updates_a_release_matched_by_slug(editor_client):
    release = ReleaseFactory(slug="qwen-a", name="Old name")
    preview = _upload(editor_client, _csv([_row(release.source_article, "qwen-a", name="New name")]))

    _confirm(editor_client, preview)

    assert ModelRelease.objects.get(slug="qwen-a").name == "New name"


def test_import_records_history_with_the_editor(editor_client, editor):
    preview = _upload(editor_client, _csv([_row(ArticleFactory(), "qwen-a")]))

    _confirm(editor_client, preview)

    assert ModelRelease.objects.get(slug="qwen-a").history.latest("history_date").history_user == editor


def test_a_file_with_one_bad_row_is_refused_whole_with_row_and_reason(editor_client):
    article = ArticleFactory()
    rows = [_row(article, "qwen-a"), _row(article, "qwen-b", release_date="2025-04-17"), _row(article, "qwen-c")]

    response = _upload(editor_client, _csv(rows))

    html = response.content.decode()
    result = response.context["result"]
    assert [row.number for row in result.invalid_rows] == [2]
    assert "first of the month" in html
    assert "nothing was imported" in html
    assert "confirm_form" not in response.context
    assert not ModelRelease.objects.exists()


def test_unknown_source_article_is_reported_on_its_row(editor_client):
    article = ArticleFactory()

    response = _upload(editor_client, _csv([_row(article, "qwen-a"), _row(article, "qwen-b", source_article="nope")]))

    assert not ModelRelease.objects.exists()
    assert "confirm_form" not in response.context
    assert "nothing was imported" in response.content.decode()


def test_a_draft_row_with_a_past_publication_time_is_refused_on_that_field(editor_client):
    article = ArticleFactory()
    rows = [_row(article, "qwen-a"), _row(article, "qwen-b", published_at="2020-01-01 00:00:00")]

    response = _upload(editor_client, _csv(rows))

    [invalid] = response.context["result"].invalid_rows
    assert invalid.number == 2
    assert "cannot be scheduled for a time in the past" in " ".join(invalid.field_specific_errors["published_at"])
    assert "confirm_form" not in response.context
    assert not ModelRelease.objects.exists()


def test_a_draft_keeping_its_stored_past_time_is_imported(editor_client):
    release = ReleaseFactory(slug="qwen-a", status="draft")  # taken back to draft: its time stays
    stored = timezone.localtime(release.published_at).strftime("%Y-%m-%d %H:%M:%S")
    preview = _upload(editor_client, _csv([_row(release.source_article, "qwen-a", name="New", published_at=stored)]))

    _confirm(editor_client, preview)

    assert ModelRelease.objects.get(slug="qwen-a").name == "New"


def test_a_row_whose_section_is_not_in_its_article_is_refused_on_that_field(editor_client):
    article = ArticleFactory()
    rows = [_row(article, "qwen-a"), _row(article, "qwen-b", source_section="no-such-section")]

    response = _upload(editor_client, _csv(rows))

    [invalid] = response.context["result"].invalid_rows
    assert invalid.number == 2
    assert "has no section with the anchor" in " ".join(invalid.field_specific_errors["source_section"])
    assert not ModelRelease.objects.exists()


def test_the_write_step_rolls_back_every_row_when_one_fails():
    article = ArticleFactory()
    dataset = tablib.Dataset().load(
        _csv([_row(article, "qwen-a"), _row(article, "qwen-b", kind="nonsense")]).read().decode()
    )

    result = ReleaseResource().import_data(
        dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
    )

    assert result.has_validation_errors()
    assert not ModelRelease.objects.exists()


def test_json_import_works_like_csv(editor_client):
    article = ArticleFactory()
    upload = SimpleUploadedFile(
        "releases.json", json.dumps([_row(article, "qwen-j")]).encode(), content_type="application/json"
    )
    preview = _upload(editor_client, upload, JSON_FORMAT)

    _confirm(editor_client, preview)

    assert ModelRelease.objects.filter(slug="qwen-j").exists()


def test_export_as_csv_names_related_entries_by_slug(editor_client):
    release = ReleaseFactory(slug="qwen-x")

    response = editor_client.post(EXPORT_URL, {"format": CSV_FORMAT, "resource": "0", **_all_export_fields()})

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["slug"] == "qwen-x"
    assert rows[0]["source_article"] == release.source_article.slug


def test_export_as_json(editor_client):
    ReleaseFactory(slug="qwen-x")

    response = editor_client.post(EXPORT_URL, {"format": JSON_FORMAT, "resource": "0", **_all_export_fields()})

    assert [row["slug"] for row in json.loads(response.content)] == ["qwen-x"]


def test_staff_outside_editors_cannot_import(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(IMPORT_URL)

    assert response.status_code == 403


def _all_export_fields():
    return {f"releaseresource_{name}": "on" for name in ReleaseResource._meta.fields}


def test_a_slug_repeated_in_the_file_is_refused_on_its_second_row(editor_client):
    article = ArticleFactory()

    response = _upload(editor_client, _csv([_row(article, "qwen-a"), _row(article, "qwen-a", name="Again")]))

    assert [row.number for row in response.context["result"].invalid_rows] == [2]
    assert "<strong>Line 3</strong>, column <code>slug</code>" in response.content.decode()
    assert "line 2 of this file already has this slug." in response.content.decode()
    assert not ModelRelease.objects.exists()


def test_a_file_over_the_size_limit_is_refused_on_the_upload_field(editor_client, settings):
    settings.IMPORT_MAX_FILE_SIZE = 100
    article = ArticleFactory()

    response = _upload(editor_client, _csv([_row(article, "qwen-a"), _row(article, "qwen-b")]))

    assert response.status_code == 200
    assert response.context["form"].errors["import_file"][0].startswith("This file is")
    assert not ModelRelease.objects.exists()


FORMULAS = ['=HYPERLINK("https://example.com","x")', "+1+1", "-2+3", "@SUM(A1)", "'=already quoted"]


def test_the_admin_csv_export_quotes_every_formula_cell(editor_client):
    for number, formula in enumerate(FORMULAS):
        ReleaseFactory(slug=f"qwen-f{number}", summary=formula, notable_claims=formula)

    response = editor_client.post(EXPORT_URL, {"format": CSV_FORMAT, "resource": "0", **_all_export_fields()})

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    summaries = sorted(row["summary"] for row in rows)
    assert summaries == sorted("'" + formula for formula in FORMULAS)
    assert not [(name, row[name]) for row in rows for name in row if row[name] and row[name][0] in "=+-@"]


def test_an_exported_csv_imported_again_keeps_formula_like_text_unchanged(editor_client):
    for number, formula in enumerate(FORMULAS):
        ReleaseFactory(slug=f"qwen-f{number}", summary=formula, status="draft", published_at=None)
    exported = editor_client.post(EXPORT_URL, {"format": CSV_FORMAT, "resource": "0", **_all_export_fields()})
    ModelRelease.objects.update(summary="changed")

    upload = SimpleUploadedFile("releases.csv", exported.content, content_type="text/csv")
    preview = _upload(editor_client, upload)
    _confirm(editor_client, preview)

    assert sorted(ModelRelease.objects.values_list("summary", flat=True)) == sorted(FORMULAS)


def test_inert_and_revived_undo_each_other():
    from qwensite.spreadsheets.cells import inert, revived

    for text in [*FORMULAS, "plain", "'plain", "''=x", "", "-"]:
        assert revived(inert(text)) == text
    assert inert(7) == 7
