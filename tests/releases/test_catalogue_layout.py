"""The catalogue as a reader sees it: headers that sort, sizes shown as sizes, what a size
filter leaves out, and the releases to compare picked from the list."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.urls import reverse

from releases.catalogue import sort_headers
from releases.models import Architecture
from tests.factories import ReleaseFactory, ReleaseSizeFactory

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("releases:list")


def header(text, label):
    """The <th> of the column headed ``label``."""
    return re.search(rf'<th scope="col"[^>]*><a class="sort" href="[^"]*">{label}<.*?</th>', text).group(0)


def row(text, name):
    start = text.index(f">{name}</a></th>")
    return text[start : text.index("</tr>", start)]


@pytest.mark.parametrize(
    ("query", "column", "aria_sort", "link"),
    [
        ("", "release_date", "descending", "ordering=release_date"),
        ("ordering=release_date", "release_date", "ascending", ""),
        ("ordering=name", "name", "ascending", "ordering=-name"),
        ("ordering=-name", "name", "descending", "ordering=name"),
        ("ordering=-max_size_b", "max_size_b", "descending", "ordering=max_size_b"),
        ("ordering=max_size_b", "max_size_b", "ascending", "ordering=-max_size_b"),
    ],
)
def test_the_sorted_column_says_its_order_and_links_to_the_reverse(query, column, aria_sort, link):
    headers = sort_headers("/releases/", QueryDict(query))

    assert headers[column].aria_sort == aria_sort
    assert headers[column].url == (f"/releases/?{link}" if link else "/releases/")
    assert [field for field, h in headers.items() if h.aria_sort] == [column]  # only one column is sorted


def test_a_column_not_sorted_by_links_to_its_natural_first_order():
    headers = sort_headers("/releases/", QueryDict("ordering=name"))

    assert headers["max_size_b"].url == "/releases/?ordering=-max_size_b"
    assert headers["max_size_b"].action == "sort largest first"
    assert headers["release_date"].url == "/releases/"  # newest first is the catalogue's own order


def test_sort_links_keep_the_filters_and_return_to_the_first_page():
    headers = sort_headers("/releases/", QueryDict("year=2024&page=2&kind=coder"))

    assert headers["name"].url == "/releases/?year=2024&kind=coder&ordering=name"


def test_catalogue_headers_are_links_with_aria_sort_on_the_sorted_one(client):
    ReleaseFactory()

    text = client.get(CATALOGUE, {"ordering": "-name", "year": "2024"}).text

    assert header(text, "Release").startswith(
        '<th scope="col" aria-sort="descending"><a class="sort" href="/releases/?'
    )
    assert 'href="/releases/?ordering=name&amp;year=2024"' in header(text, "Release")
    assert "aria-sort" not in header(text, "Date")
    assert "aria-sort" not in header(text, "Sizes")


def test_following_a_sort_link_sorts_the_catalogue(client):
    ReleaseFactory(name="Beta")
    ReleaseFactory(name="Alpha")
    url = sort_headers(CATALOGUE, QueryDict(""))["name"].url

    response = client.get(url)

    assert [r.name for r in response.context["releases"]] == ["Alpha", "Beta"]


def test_a_stated_range_reads_as_a_range_and_checkpoint_names_stand_apart(client, seeded):
    text = client.get(CATALOGUE).text

    assert '<td data-label="Sizes">0.5B to 72B</td>' in row(text, "Qwen 1.5")
    assert '<td data-label="Sizes">0.6B to 235B (MoE included)</td>' in row(text, "Qwen 3")
    assert '<span class="checkpoint">Qwen3-235B-A22B</span>' in row(text, "Qwen 3")
    assert '<td data-label="Sizes">57B (MoE), 72B</td>' in row(text, "Qwen 2")
    assert '<span class="checkpoint">Qwen2-72B</span>' in row(text, "Qwen 2")
    assert '<td data-label="Sizes">7B, 14B</td>' in row(text, "Qwen 1.0")
    assert '<td data-label="Sizes">32B</td>' in row(text, "QwQ-32B")
    assert '<td data-label="Sizes">not stated</td>' in row(text, "Qwen 2.5 Max")


def test_sizes_without_a_stated_range_are_each_listed_once():
    release = ReleaseFactory()
    ReleaseSizeFactory(release=release, parameters_b=Decimal("72"), label="Qwen-72B")
    ReleaseSizeFactory(release=release, parameters_b=Decimal("72"), label="Qwen-72B-Chat")
    ReleaseSizeFactory(release=release, parameters_b=Decimal("1.8"))

    assert release.sizes_display == "1.8B, 72B"
    assert release.checkpoint_names == ["Qwen-72B", "Qwen-72B-Chat"]


def test_a_range_needs_two_sizes_to_read_as_one():
    release = ReleaseFactory(sizes_are_range=True)
    ReleaseSizeFactory(release=release, parameters_b=Decimal("7"))

    assert release.sizes_display == "7B"


@pytest.mark.parametrize(
    ("label", "is_checkpoint"),
    [
        ("72B", False),
        ("0.5B", False),
        ("57B MoE", False),
        ("14B (dense)", False),
        ("QwQ-32B", True),
        ("Qwen3-235B-A22B", True),
    ],
)
def test_a_label_names_a_checkpoint_unless_it_is_only_the_size(label, is_checkpoint):
    size = ReleaseSizeFactory.build(
        label=label, architecture=Architecture.MOE if "MoE" in label else Architecture.DENSE
    )

    assert size.names_a_checkpoint is is_checkpoint


def test_a_size_filter_says_how_many_releases_without_a_stated_size_it_leaves_out(client, seeded):
    response = client.get(CATALOGUE, {"min_size": "7", "year": "2024"})

    note = response.text[response.text.index('id="unsized-note"') :]
    # In 2024 the source states no size for Qwen2.5-Coder and Qwen2.5-Math.
    assert "leaves out 2 releases whose size the source does not state" in note
    assert 'href="/releases/?year=2024"' in note[: note.index("</p>")]


def test_no_note_without_a_size_filter_or_when_nothing_is_left_out(client, seeded):
    assert 'id="unsized-note"' not in client.get(CATALOGUE, {"year": "2024"}).text
    assert 'id="unsized-note"' not in client.get(CATALOGUE, {"min_size": "7", "kind": "reasoning"}).text


def test_each_release_has_a_compare_checkbox_in_a_form_for_the_compare_page(client):
    release = ReleaseFactory(name="Qwen 3", slug="qwen-3")

    text = client.get(CATALOGUE).text

    form = text[
        text.index('<form class="compare-picker"') : text.index("</form>", text.index('<form class="compare-picker"'))
    ]
    assert 'method="get" action="/releases/compare/"' in form
    assert (
        f'<input type="checkbox" name="r" value="{release.slug}"> Compare<span class="visually-hidden"> Qwen 3</span>'
        in form
    )
    assert '<button type="submit">Compare selected</button>' in form


def test_the_checked_releases_open_side_by_side_on_the_compare_page(client):
    ReleaseFactory(name="Qwen 2", slug="qwen-2")
    ReleaseFactory(name="Qwen 3", slug="qwen-3")

    response = client.get("/releases/compare/", {"r": ["qwen-2", "qwen-3"]})  # what the form sends

    assert response.status_code == 200
    assert [release.slug for release in response.context["compared"]] == ["qwen-2", "qwen-3"]


def test_the_size_note_costs_one_query_once_per_content_state(client, settings, assert_max_request_queries):
    settings.RESPONSE_CACHE_ENABLED = False
    for n in range(5):
        ReleaseSizeFactory(release=ReleaseFactory(release_date=dt.date(2024, 1 + n, 1)))
        ReleaseFactory(release_date=dt.date(2024, 1 + n, 1))
    client.get(CATALOGUE, {"min_size": "1"})

    with assert_max_request_queries(2):  # the page's releases and their sizes; the counts are remembered
        response = client.get(CATALOGUE, {"min_size": "1"})

    assert response.context["unsized_left_out"]["count"] == 5
