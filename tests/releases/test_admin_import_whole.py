"""Import and export carry the whole release (its sizes and claims), and a refused file lists
every problem of every row in words, each on its spreadsheet line, column and value."""

import csv
import html as html_text
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict

from releases.models import Claim, ModelRelease, ReleaseSize
from tests.factories import ArticleFactory, ReleaseFactory, SourceFactory
from tests.releases.test_admin_import import (
    CSV_FORMAT,
    EXPORT_URL,
    JSON_FORMAT,
    _all_export_fields,
    _confirm,
    _csv,
    _row,
    _upload,
)

pytestmark = pytest.mark.django_db


def _export(client, file_format):
    return client.post(EXPORT_URL, {"format": file_format, "resource": "0", **_all_export_fields()})


def _everything():
    """Every stored row of releases, sizes and claims, every column."""
    return {
        model.__name__: sorted(
            (
                {**model_to_dict(entry), **{f.attname: getattr(entry, f.attname) for f in model._meta.concrete_fields}}
                for entry in model.objects.all()
            ),
            key=lambda row: row["id"],
        )
        for model in (ModelRelease, ReleaseSize, Claim)
    }


def _size(label, total, **values):
    return {"label": label, "parameters_b": total, **values}


def _claim(field, value, source, **values):
    return {
        "field": field,
        "value": value,
        "source": source,
        "quote": "Some words about Qwen.",
        "locator": "first-section",
        **values,
    }


@pytest.fixture
def article():
    article = ArticleFactory(slug="history")
    SourceFactory(article=article)
    return article


def _list_items(response):
    html = response.content.decode()
    block = html[
        html.index('<ol class="import-problems"') : html.index("</ol>", html.index('<ol class="import-problems"'))
    ]
    return [html_text.unescape(item.split("</li>")[0].strip()) for item in block.split("<li>")[1:]]


# The round trip


@pytest.mark.parametrize("file_format", [CSV_FORMAT, JSON_FORMAT])
def test_exporting_the_shipped_content_and_importing_it_again_changes_no_row(seeded, editor_client, file_format):
    before = _everything()
    assert before["ReleaseSize"]
    assert before["Claim"]
    exported = _export(editor_client, file_format)
    name = "releases.csv" if file_format == CSV_FORMAT else "releases.json"

    preview = _upload(editor_client, SimpleUploadedFile(name, exported.content), file_format)
    assert "confirm_form" in preview.context, preview.content.decode()[-3000:]
    _confirm(editor_client, preview)

    assert _everything() == before


def test_the_csv_holds_one_row_per_release_with_its_sizes_and_claims_as_json_one_object_a_line(seeded, editor_client):
    rows = list(csv.DictReader(io.StringIO(_export(editor_client, CSV_FORMAT).content.decode("utf-8-sig"))))

    qwen3 = next(row for row in rows if row["slug"] == "qwen-3")
    sizes = json.loads(qwen3["sizes"])
    assert len(qwen3["sizes"].splitlines()) == len(sizes) + 2  # "[", one line per size, "]"
    moe = next(size for size in sizes if size["label"] == "Qwen3-235B-A22B")
    assert (moe["parameters_b"], moe["active_parameters_b"], moe["architecture"]) == (235, 22, "moe")
    assert set(moe) == {
        "label",
        "parameters_b",
        "active_parameters_b",
        "architecture",
        "context_native",
        "context_extended",
        "licence",
        "commercial_use",
    }
    claims = json.loads(qwen3["claims"])
    [date] = [claim for claim in claims if claim["field"] == "release_date"]
    assert (date["value"], date["preferred"], date["size"]) == ("2025-04", True, None)
    assert date["source"] == "the-history-of-qwen"
    assert len(rows) == ModelRelease.objects.count()


def test_the_json_export_nests_sizes_and_claims(seeded, editor_client):
    releases = json.loads(_export(editor_client, JSON_FORMAT).content)

    qwen3 = next(release for release in releases if release["slug"] == "qwen-3")
    assert isinstance(qwen3["sizes"], list)
    assert isinstance(qwen3["claims"], list)
    assert Claim.objects.filter(release__slug="qwen-3").count() == len(qwen3["claims"])


# Importing sizes and claims


def test_an_imported_release_arrives_with_its_sizes_and_claims(editor_client, article):
    row = _row(article, "qwen-9", context_length="")
    row["sizes"] = json.dumps(
        [
            _size("Qwen9-7B", 7),
            _size(
                "Qwen9-30B-A3B",
                "30",
                active_parameters_b=3,
                architecture="moe",
                licence="Apache-2.0",
                commercial_use=True,
            ),
        ]
    )
    row["claims"] = json.dumps(
        [
            _claim("release_date", "2025-04", "history", preferred=True),
            _claim("parameters_b", "30", "history", size="Qwen9-30B-A3B", preferred=True),
            _claim(
                "active_parameters_b",
                "3",
                "history",
                size="Qwen9-30B-A3B",
                basis="derived",
                derivation="3B active, from the name A3B",
            ),
        ]
    )

    _confirm(editor_client, _upload(editor_client, _csv([row])))

    release = ModelRelease.objects.get(slug="qwen-9")
    moe = release.sizes.get(label="Qwen9-30B-A3B")
    assert [size.label for size in release.sizes.all()] == ["Qwen9-7B", "Qwen9-30B-A3B"]
    assert (moe.active_parameters_b, moe.architecture, moe.licence, moe.commercial_use) == (
        3,
        "moe",
        "Apache-2.0",
        True,
    )
    assert release.max_size_b == 30
    assert sorted(release.claims.values_list("field", "size__label", "preferred")) == [
        ("active_parameters_b", "Qwen9-30B-A3B", False),
        ("parameters_b", "Qwen9-30B-A3B", True),
        ("release_date", None, True),
    ]


def test_json_import_takes_nested_sizes_and_claims(editor_client, article):
    row = {
        **_row(article, "qwen-9"),
        "sizes": [_size("Qwen9-7B", 7)],
        "claims": [_claim("parameters_b", "7", "history", size="Qwen9-7B", preferred=True)],
    }
    upload = SimpleUploadedFile("releases.json", json.dumps([row]).encode())

    _confirm(editor_client, _upload(editor_client, upload, JSON_FORMAT))

    assert ReleaseSize.objects.get(release__slug="qwen-9").claims.get().value == "7"


def test_an_import_changes_a_size_with_its_claim_and_drops_what_the_file_leaves_out(seeded, editor_client):
    releases = json.loads(_export(editor_client, JSON_FORMAT).content)
    qwen1 = next(release for release in releases if release["slug"] == "qwen-1")
    [seven] = [size for size in qwen1["sizes"] if size["label"] == "7B"]
    seven["parameters_b"] = 8
    for claim in qwen1["claims"]:
        if claim["size"] == "7B" and claim["field"] == "parameters_b":
            claim["value"] = "8"
            claim["note"] = "Corrected."
    qwen1["sizes"] = [seven]
    qwen1["claims"] = [claim for claim in qwen1["claims"] if claim["size"] in (None, "7B")]
    upload = SimpleUploadedFile("releases.json", json.dumps([qwen1]).encode())

    preview = _upload(editor_client, upload, JSON_FORMAT)
    assert "confirm_form" in preview.context, _list_items(preview)
    _confirm(editor_client, preview)

    release = ModelRelease.objects.get(slug="qwen-1")
    assert [(size.label, size.parameters_b) for size in release.sizes.all()] == [("7B", 8)]
    assert release.claims.get(size__label="7B", field="parameters_b", preferred=True).note == "Corrected."
    assert release.max_size_b == 8


def test_a_file_without_sizes_and_claims_columns_leaves_them_as_they_are(editor_client, article):
    release = ReleaseFactory(slug="qwen-a", source_article=article)
    ReleaseSize.objects.create(release=release, label="A-7B", parameters_b=7)

    _confirm(editor_client, _upload(editor_client, _csv([_row(article, "qwen-a", name="Renamed")])))

    assert list(release.sizes.values_list("label", flat=True)) == ["A-7B"]
    assert ModelRelease.objects.get(slug="qwen-a").name == "Renamed"


# Every problem, in words


def test_three_bad_rows_give_three_messages_naming_line_column_and_value_and_write_nothing(editor_client, article):
    rows = [
        _row(article, "qwen-a"),
        _row(article, "qwen-b", context_length="abc"),
        _row(article, "qwen-c", predecessor="qwen-9"),
        _row(article, "qwen-d", release_date="2025-04-17"),
    ]

    response = _upload(editor_client, _csv(rows))

    assert _list_items(response) == [
        "<strong>Line 3</strong>, column <code>context_length</code>, value "
        '<span class="value">“abc”</span>: not a whole number.',
        "<strong>Line 4</strong>, column <code>predecessor</code>, value "
        '<span class="value">“qwen-9”</span>: no release has this slug.',
        "<strong>Line 5</strong>, column <code>release_date</code>, value "
        '<span class="value">“2025-04-17”</span>: With month precision the date must be the first of the month; '
        "choose day precision to record the exact day.",
    ]
    html = response.content.decode()
    assert "3 problems in this file" in html
    assert "nothing was imported" in html
    assert "[&lt;class" not in html
    assert "matching query does not exist" not in html
    assert "validation-error-count" not in html  # reasons in words, not behind a count
    assert "confirm_form" not in response.context
    assert not ModelRelease.objects.exists()


def test_every_problem_of_one_row_is_listed(editor_client, article):
    rows = [_row(article, "qwen-a", context_length="abc", kind="nonsense", source_article="nope")]

    items = _list_items(_upload(editor_client, _csv(rows)))

    assert len(items) == 3
    assert any("column <code>source_article</code>" in item and "no article has this slug." in item for item in items)
    assert any("column <code>kind</code>" in item and "“nonsense”" in item for item in items)


def test_incomplete_claims_are_refused_each_with_its_reason(editor_client, article):
    row = _row(article, "qwen-9")
    row["sizes"] = json.dumps([_size("Qwen9-7B", 7)])
    row["claims"] = json.dumps(
        [
            {"field": "access", "value": "open_weights", "locator": "first-section"},  # no source, no quote
            _claim("access", "open_weights", "history", preferred=True),
            _claim("access", "open_weights", "history", preferred=True, locator="first-section", note="again"),
            _claim("active_parameters_b", "9", "history", size="Qwen9-7B"),
            _claim("parameters_b", "7", "history", size="Qwen9-8B"),
            _claim("context_length", "8192", "nowhere"),
        ]
    )

    response = _upload(editor_client, _csv([row]))

    items = _list_items(response)
    text = "\n".join(items)
    assert "claim 1 (access): give its source." in text
    assert "claim 1 (access): give its quote." in text
    assert "claim 3 (access): this row already has this claim (same field, size, source and value)." in text
    assert (
        "claim 4 (active_parameters_b of Qwen9-7B), value: Active parameters (9B) cannot exceed the size's total (7B)."
        in text
    )
    assert "claim 5 (parameters_b of Qwen9-8B): this row has no size labelled Qwen9-8B." in text
    assert "claim 6 (context_length), source “nowhere”: no source in the register" in text
    assert all(item.startswith("<strong>Line 2</strong>, column <code>claims</code>:") for item in items)
    numbers = [int(item.split("claim ")[1].split(" ")[0]) for item in items]
    assert numbers == sorted(numbers)  # each claim's reasons together, in the order of the cell
    assert not ModelRelease.objects.exists()
    assert not Claim.objects.exists()


def test_a_second_preferred_claim_for_one_field_is_refused(editor_client, article):
    row = _row(article, "qwen-9")
    row["claims"] = json.dumps(
        [
            _claim("release_date", "2025-04", "history", preferred=True),
            _claim("release_date", "2025-05", "history", preferred=True),
        ]
    )

    items = _list_items(_upload(editor_client, _csv([row])))

    assert any(
        "claim 2 (release_date): claim 1 of this row is already the preferred one for the release_date" in item
        for item in items
    )
    assert not ModelRelease.objects.exists()


def test_a_size_with_active_parameters_above_its_total_is_refused(editor_client, article):
    row = _row(article, "qwen-9")
    row["sizes"] = json.dumps([_size("Qwen9-A", 7, active_parameters_b=9, architecture="moe"), _size("Qwen9-B", "abc")])

    items = _list_items(_upload(editor_client, _csv([row])))

    assert any(
        "size 1 (Qwen9-A)" in item and "Active parameters cannot exceed total parameters." in item for item in items
    )
    assert any("size 2 (Qwen9-B), parameters_b “abc”: Give a number of billions" in item for item in items)
    assert not ReleaseSize.objects.exists()


def test_a_claim_contradicting_its_rows_column_is_refused_on_that_column(editor_client, article):
    row = _row(article, "qwen-9", context_length="32768")
    row["claims"] = json.dumps([_claim("context_length", "8192", "history", preferred=True)])

    items = _list_items(_upload(editor_client, _csv([row])))

    assert any("column <code>context_length</code>" in item and "gives 8,192 tokens" in item for item in items)


def test_a_sizes_cell_that_is_not_json_is_refused_in_words(editor_client, article):
    row = {**_row(article, "qwen-9"), "sizes": "Qwen9-7B, 7"}

    [item] = _list_items(_upload(editor_client, _csv([row])))

    assert item.startswith(
        '<strong>Line 2</strong>, column <code>sizes</code>, value <span class="value">“Qwen9-7B, 7”</span>: '
        "not a list of sizes in JSON (Expecting value at character 1)"
    )


def test_an_invented_passage_in_an_import_is_refused_with_the_nearest_sentence(editor_client, article):
    row = _row(article, "qwen-9", source_quote="Some invented words about Qwen 9.")

    [item] = _list_items(_upload(editor_client, _csv([row])))

    assert "column <code>source_quote</code>" in item
    assert "The nearest sentence there is: “Some words about Qwen.”" in item
