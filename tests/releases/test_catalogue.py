"""The release catalogue page: the API's FilterSet behind a GET form."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from releases.models import Access, Architecture, Kind
from tests.factories import ReleaseFactory, ReleaseSizeFactory
from tests.site.helpers import build_catalogue

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("releases:list")


def listed(response):
    return [release.slug for release in response.context["releases"]]


def test_catalogue_lists_published_releases_newest_first(client):
    old = ReleaseFactory(release_date=dt.date(2023, 9, 1))
    new = ReleaseFactory(release_date=dt.date(2025, 4, 1))
    ReleaseFactory(status="draft", published_at=None)

    response = client.get(CATALOGUE)

    assert response.status_code == 200
    assert listed(response) == [new.slug, old.slug]


def test_catalogue_filters_by_year(client):
    in_2024 = ReleaseFactory(release_date=dt.date(2024, 6, 1))
    ReleaseFactory(release_date=dt.date(2025, 1, 1))

    response = client.get(CATALOGUE, {"year": "2024"})

    assert listed(response) == [in_2024.slug]


def test_catalogue_year_accepts_several_years_as_or(client):
    a = ReleaseFactory(release_date=dt.date(2023, 6, 1))
    b = ReleaseFactory(release_date=dt.date(2025, 6, 1))
    ReleaseFactory(release_date=dt.date(2024, 6, 1))

    response = client.get(CATALOGUE, {"year": "2023,2025"})

    assert set(listed(response)) == {a.slug, b.slug}


@pytest.mark.parametrize(("value", "expected"), [("true", "open"), ("false", "closed")])
def test_catalogue_filters_by_open_weights(client, value, expected):
    releases = {"open": ReleaseFactory(access=Access.OPEN_WEIGHTS), "closed": ReleaseFactory(access=Access.API_ONLY)}

    response = client.get(CATALOGUE, {"open_weights": value})

    assert listed(response) == [releases[expected].slug]


def test_catalogue_filters_by_exact_size(client):
    seventy_two = ReleaseSizeFactory(parameters_b=Decimal("72")).release
    ReleaseSizeFactory(parameters_b=Decimal("7"))

    response = client.get(CATALOGUE, {"size": "72B"})

    assert listed(response) == [seventy_two.slug]


def test_catalogue_filters_by_size_range(client):
    ReleaseSizeFactory(parameters_b=Decimal("0.5"))
    middle = ReleaseSizeFactory(parameters_b=Decimal("32")).release
    ReleaseSizeFactory(parameters_b=Decimal("235"))

    response = client.get(CATALOGUE, {"min_size": "10", "max_size": "100"})

    assert listed(response) == [middle.slug]


def test_catalogue_filters_by_architecture(client):
    moe = ReleaseSizeFactory(architecture=Architecture.MOE).release
    ReleaseSizeFactory(architecture=Architecture.DENSE)

    response = client.get(CATALOGUE, {"architecture": "moe"})

    assert listed(response) == [moe.slug]


def test_catalogue_filters_by_kind(client):
    coder = ReleaseFactory(kind=Kind.CODER)
    ReleaseFactory(kind=Kind.GENERAL)

    response = client.get(CATALOGUE, {"kind": "coder"})

    assert listed(response) == [coder.slug]


def test_catalogue_searches_names(client):
    qwq = ReleaseFactory(name="QwQ-32B")
    ReleaseFactory(name="Qwen 3")

    response = client.get(CATALOGUE, {"search": "qwq"})

    assert listed(response) == [qwq.slug]


def test_catalogue_orders_by_largest_size(client):
    small = ReleaseSizeFactory(parameters_b=Decimal("7")).release
    large = ReleaseSizeFactory(parameters_b=Decimal("72")).release

    response = client.get(CATALOGUE, {"ordering": "-max_size_b"})

    assert listed(response) == [large.slug, small.slug]


def test_catalogue_combines_filters_into_a_shareable_url(client):
    match = ReleaseFactory(release_date=dt.date(2024, 2, 1), access=Access.OPEN_WEIGHTS)
    ReleaseFactory(release_date=dt.date(2024, 2, 1), access=Access.API_ONLY)
    ReleaseFactory(release_date=dt.date(2025, 2, 1), access=Access.OPEN_WEIGHTS)

    response = client.get(f"{CATALOGUE}?year=2024&open_weights=true")

    assert listed(response) == [match.slug]
    assert 'name="year"' in response.text
    assert 'name="year" value="2024" checked' in response.text


def test_empty_form_fields_redirect_to_the_short_url(client):
    response = client.get(CATALOGUE, {"year": "2024", "size": "", "kind": "", "open_weights": "true"})

    assert response.status_code == 302
    assert response["Location"] == f"{CATALOGUE}?year=2024&open_weights=true"


def test_non_numeric_year_is_a_form_error_with_status_400_and_no_list(client):
    ReleaseFactory(release_date=dt.date(2024, 6, 1))

    response = client.get(CATALOGUE, {"year": "abc"})

    assert response.status_code == 400
    assert "Enter a whole year, such as 2024." in response.text
    assert 'aria-invalid="true"' in response.text
    assert "releases" not in response.context
    assert 'class="catalogue"' not in response.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"open_weights": "maybe"}, "Enter true or false."),
        ({"size": "huge"}, "Enter a size in billions of parameters"),
        ({"min_size": "100", "max_size": "10"}, "max_size must be at least min_size."),
        ({"architecture": "quantum"}, "is not one of"),
        ({"kind": "poetry"}, "is not one of"),
        ({"ordering": "colour"}, "is not one of: release_date, name, -name"),
        ({"colour": "red"}, "Unknown query parameter"),
    ],
    ids=["open_weights", "size", "crossed range", "architecture", "kind", "ordering", "unknown parameter"],
)
def test_bad_filter_values_are_form_errors_not_unfiltered_lists(client, params, message):
    ReleaseFactory()

    response = client.get(CATALOGUE, params)

    assert response.status_code == 400
    assert message in response.text
    assert "releases" not in response.context


def test_a_bad_value_is_kept_in_the_form_so_the_reader_can_correct_it(client):
    response = client.get(CATALOGUE, {"kind": "poetry"})

    assert '<option value="poetry" selected>poetry</option>' in response.text


def test_catalogue_paginates_and_keeps_the_filters_in_page_links(client):
    for n in range(30):
        ReleaseFactory(release_date=dt.date(2024, 1 + n % 12, 1))

    response = client.get(CATALOGUE, {"year": "2024"})

    assert len(response.context["releases"]) == 25
    assert "?year=2024&amp;page=2" in response.text


def test_a_page_beyond_the_last_is_not_found(client):
    ReleaseFactory()

    response = client.get(CATALOGUE, {"page": "9"})

    assert response.status_code == 404


def test_no_match_says_so(client):
    ReleaseFactory(release_date=dt.date(2024, 6, 1))

    response = client.get(CATALOGUE, {"year": "2020"})

    assert response.status_code == 200
    assert "No release matches these filters." in response.text


@pytest.mark.parametrize("count", [3, 30])
def test_catalogue_queries_do_not_grow_with_releases(client, assert_max_request_queries, count):
    build_catalogue(count)

    # the count, the years, the page's releases, their sizes, and (a size filter being given)
    # the count of releases it leaves out for want of a stated size
    with assert_max_request_queries(5):
        response = client.get(CATALOGUE, {"open_weights": "true", "min_size": "1"})

    assert response.status_code == 200


def test_catalogue_filters_by_active_parameters(client):
    moe = ReleaseSizeFactory(
        parameters_b=Decimal("235"), active_parameters_b=Decimal("22"), architecture=Architecture.MOE
    ).release
    ReleaseSizeFactory(parameters_b=Decimal("72"))

    response = client.get(CATALOGUE, {"max_active_size": "30"})

    assert listed(response) == [moe.slug]


def test_catalogue_honours_page_size_like_the_api(client):
    for _ in range(5):
        ReleaseFactory()

    response = client.get(CATALOGUE, {"page_size": "2"})

    assert len(response.context["releases"]) == 2


def test_a_bad_page_size_is_a_form_error(client):
    response = client.get(CATALOGUE, {"page_size": "lots"})

    assert response.status_code == 400
    assert "Enter a whole number from 1 to 100." in response.text


def test_catalogue_links_the_same_view_in_the_api(client):
    ReleaseFactory(release_date=dt.date(2024, 6, 1))

    response = client.get(CATALOGUE, {"year": "2024", "open_weights": "true"})

    assert 'href="/api/v1/releases/?year=2024&amp;open_weights=true"' in response.text
