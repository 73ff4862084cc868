import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from qwensite.editorial.publishing import Status
from releases.models import DatePrecision
from tests.factories import ArticleFactory, ReleaseFactory, ReleaseSizeFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:release-list")


def csv_rows(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


# CSV


def test_format_csv_gives_the_same_filtered_rows_as_json(api_client):
    for year in (2023, 2024, 2024, 2025):
        ReleaseFactory(release_date=dt.date(year, 1, 1))
    params = {"year": "2024,2025", "ordering": "name"}

    as_json = [row["slug"] for row in api_client.get(LIST, params).json()["results"]]
    as_csv = [row["slug"] for row in csv_rows(api_client.get(LIST, {**params, "format": "csv"}))]

    assert as_csv == as_json
    assert len(as_csv) == 3


def test_accept_text_csv_gives_csv(api_client):
    release = ReleaseFactory()

    rows = csv_rows(api_client.get(LIST, HTTP_ACCEPT="text/csv"))

    assert [row["slug"] for row in rows] == [release.slug]


def test_csv_holds_every_filtered_row_not_one_page(api_client):
    for _ in range(25):
        ReleaseFactory()

    assert len(csv_rows(api_client.get(LIST, {"format": "csv"}))) == 25


def test_csv_with_page_size_holds_that_page(api_client):
    for _ in range(5):
        ReleaseFactory()

    assert len(csv_rows(api_client.get(LIST, {"format": "csv", "page_size": 2, "page": 3}))) == 1


def test_csv_flattens_source_and_sizes_into_columns(api_client):
    release = ReleaseFactory(slug="qwen-2", source_article=ArticleFactory(slug="history"), source_section="rapid")
    ReleaseSizeFactory(release=release, label="Qwen2-0.5B", parameters_b=Decimal("0.5"))
    ReleaseSizeFactory(release=release, label="Qwen2-72B", parameters_b=Decimal("72"))

    (row,) = csv_rows(api_client.get(LIST, {"format": "csv"}))

    assert row["sizes"] == "Qwen2-0.5B; Qwen2-72B"
    assert row["source.article"] == "history"
    assert row["source.url"] == "http://127.0.0.1:8000/articles/history/#rapid"
    assert (row["min_size_b"], row["max_size_b"], row["open_weights"]) == ("0.5", "72.0", "true")


def test_csv_is_offered_as_a_download_named_for_the_list(api_client):
    response = api_client.get(LIST, {"format": "csv"})

    assert response["Content-Disposition"] == 'attachment; filename="release.csv"'


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted(api_client):
    ReleaseFactory(name='=HYPERLINK("http://evil.example")', summary="@SUM(A1)")

    (row,) = csv_rows(api_client.get(LIST, {"format": "csv"}))

    assert row["name"] == '\'=HYPERLINK("http://evil.example")'
    assert row["summary"] == "'@SUM(A1)"


def test_empty_csv_still_has_its_header(api_client):
    response = api_client.get(LIST, {"format": "csv", "year": 1999})

    assert response.content.decode().splitlines()[0].startswith("slug,name,url,web_url,release_date")


def test_csv_keeps_drafts_from_anonymous_clients(api_client):
    ReleaseFactory(status=Status.DRAFT, published_at=None)

    assert csv_rows(api_client.get(LIST, {"format": "csv"})) == []


def test_csv_is_not_offered_on_a_detail(api_client):
    release = ReleaseFactory()

    response = api_client.get(reverse("api:release-detail", kwargs={"slug": release.slug}), {"format": "csv"})

    assert response.status_code == 400
    assert list(response.json()) == ["format"]


def test_articles_list_as_csv(api_client):
    article = ArticleFactory(tags=[])

    rows = csv_rows(api_client.get(reverse("api:article-list"), {"format": "csv"}))

    assert [row["slug"] for row in rows] == [article.slug]


# Citation


def cite(api_client, slug):
    return api_client.get(reverse("api:release-cite", kwargs={"slug": slug}))


def test_cite_returns_bibtex(api_client):
    ReleaseFactory(slug="qwen-2", name="Qwen 2", release_date=dt.date(2024, 6, 1))

    response = cite(api_client, "qwen-2")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/x-bibtex; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("@misc{qwen-2,\n")
    assert "  title = {{Qwen 2}},\n" in text
    assert "  year = 2024,\n  month = jun,\n" in text
    assert "url = {http://127.0.0.1:8000/releases/qwen-2/}" in text
    assert text.rstrip().endswith("}")


def test_cite_gives_the_day_only_at_day_precision(api_client):
    ReleaseFactory(slug="qwen-3", release_date=dt.date(2025, 4, 29), date_precision=DatePrecision.DAY)

    text = cite(api_client, "qwen-3").content.decode()

    assert "  day = {29},\n" in text
    assert "  date = {2025-04-29},\n" in text


def test_cite_escapes_bibtex_special_characters(api_client):
    ReleaseFactory(slug="odd", name="Qwen 100% & {more}_#1")

    text = cite(api_client, "odd").content.decode()

    assert r"title = {{Qwen 100\% \& \{more\}\_\#1}}" in text


def test_cite_keeps_unicode(api_client):
    ReleaseFactory(slug="tongyi", name="通义千问 Tongyi Qianwen")

    assert "通义千问" in cite(api_client, "tongyi").content.decode("utf-8")


def test_cite_of_a_draft_is_a_json_404(api_client):
    ReleaseFactory(slug="secret", status=Status.DRAFT, published_at=None)

    response = cite(api_client, "secret")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_csv_names_each_sizes_licence_and_commercial_use_after_its_label(api_client):
    release = ReleaseFactory(slug="qwen-3")
    ReleaseSizeFactory(release=release, label="Qwen3-0.6B", parameters_b=Decimal("0.6"), licence="Apache-2.0")
    ReleaseSizeFactory(
        release=release, label="Qwen3-8B", parameters_b=Decimal("8"), licence="Qwen License", commercial_use=False
    )
    ReleaseSizeFactory(release=release, label="Qwen3-32B", parameters_b=Decimal("32"), commercial_use=True)

    response = api_client.get(LIST, {"format": "csv"})

    (row,) = csv_rows(response)
    assert row["sizes.licence"] == "Qwen3-0.6B: Apache-2.0; Qwen3-8B: Qwen License; Qwen3-32B: not stated"
    assert row["sizes.commercial_use"] == "Qwen3-0.6B: not stated; Qwen3-8B: false; Qwen3-32B: true"
    header = response.content.decode().splitlines()[0].split(",")
    at = header.index("sizes")
    assert header[at : at + 3] == ["sizes", "sizes.licence", "sizes.commercial_use"]


def test_an_empty_csv_has_the_sizes_licence_columns_too(api_client):
    response = api_client.get(LIST, {"format": "csv", "year": 1999})

    assert "sizes,sizes.licence,sizes.commercial_use" in response.content.decode().splitlines()[0]
