import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from qwensite.editorial.publishing import Status
from releases.models import Access, Architecture, DatePrecision, Kind
from tests.factories import ArticleFactory, ReleaseFactory, ReleaseSizeFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:release-list")


def detail(slug):
    return reverse("api:release-detail", kwargs={"slug": slug})


def slugs(response):
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def sized(*sizes, **kwargs):
    """A release with sizes given as (total, active or None, architecture)."""
    release = ReleaseFactory(**kwargs)
    for total, active, architecture in sizes:
        ReleaseSizeFactory(
            release=release,
            parameters_b=Decimal(str(total)),
            active_parameters_b=None if active is None else Decimal(str(active)),
            architecture=architecture,
        )
    return release


# The contract


def test_release_carries_every_contract_field(api_client):
    article = ArticleFactory(slug="history")
    previous = ReleaseFactory(slug="qwen-1", release_date=dt.date(2023, 9, 1))
    release = ReleaseFactory(
        slug="qwen-3",
        name="Qwen 3",
        release_date=dt.date(2025, 4, 29),
        date_precision=DatePrecision.DAY,
        context_length=131072,
        kind=Kind.GENERAL,
        summary="Hybrid reasoning.",
        predecessor=previous,
        source_article=article,
        source_section="the-qwen-3-era",
    )
    ReleaseSizeFactory(
        release=release,
        label="Qwen3-235B-A22B",
        parameters_b=Decimal("235"),
        active_parameters_b=Decimal("22"),
        architecture=Architecture.MOE,
    )
    ReleaseSizeFactory(release=release, label="0.6B", parameters_b=Decimal("0.6"))

    body = api_client.get(detail("qwen-3")).json()

    assert body["slug"] == "qwen-3"
    assert body["name"] == "Qwen 3"
    assert body["url"] == "http://127.0.0.1:8000/api/v1/releases/qwen-3/"
    assert body["web_url"] == "http://127.0.0.1:8000/releases/qwen-3/"
    assert body["release_date"] == "2025-04-29"
    assert body["date_precision"] == "day"
    assert body["year"] == 2025
    assert body["open_weights"] is True
    assert body["access"] == "open_weights"
    assert body["context_length"] == 131072
    assert body["kind"] == "general"
    assert body["sizes"] == [
        {
            "id": body["sizes"][0]["id"],
            "label": "0.6B",
            "parameters_b": 0.6,
            "active_parameters_b": None,
            "architecture": None,  # the document does not say
            "context_native": None,
            "context_extended": None,
            "licence": None,
            "commercial_use": None,
        },
        {
            "id": body["sizes"][1]["id"],
            "label": "Qwen3-235B-A22B",
            "parameters_b": 235.0,
            "active_parameters_b": 22.0,
            "architecture": "moe",
            "context_native": None,
            "context_extended": None,
            "licence": None,
            "commercial_use": None,
        },
    ]
    assert (body["min_size_b"], body["max_size_b"]) == (0.6, 235.0)
    assert body["summary"] == "Hybrid reasoning."
    assert body["predecessor"] == "qwen-1"
    assert body["source"]["article"] == "history"
    assert body["source"]["section"] == "the-qwen-3-era"
    assert body["source"]["url"] == "http://127.0.0.1:8000/articles/history/#the-qwen-3-era"
    assert body["updated_at"].endswith("Z")


def test_release_without_sizes_or_predecessor_has_nulls(api_client):
    ReleaseFactory(slug="tongyi", access=Access.CLOSED_BETA, context_length=None)

    body = api_client.get(detail("tongyi")).json()

    assert body["sizes"] == []
    assert (body["min_size_b"], body["max_size_b"], body["predecessor"], body["context_length"]) == (
        None,
        None,
        None,
        None,
    )
    assert body["open_weights"] is False


def test_list_is_paginated_with_count_and_links(api_client):
    for _ in range(3):
        ReleaseFactory()

    body = api_client.get(LIST, {"page_size": 2}).json()

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["previous"] is None
    assert body["next"] == "http://127.0.0.1:8000/api/v1/releases/?page=2&page_size=2"


def test_list_default_page_size_is_twenty(api_client):
    for _ in range(21):
        ReleaseFactory()

    assert len(api_client.get(LIST).json()["results"]) == 20


def test_page_size_of_one_hundred_is_accepted(api_client):
    ReleaseFactory()

    assert api_client.get(LIST, {"page_size": 100}).status_code == 200


def test_last_page_holds_the_remainder(api_client):
    for _ in range(3):
        ReleaseFactory()

    body = api_client.get(LIST, {"page_size": 2, "page": 2}).json()

    assert len(body["results"]) == 1
    assert body["next"] is None


def test_a_page_past_the_last_is_404(api_client):
    ReleaseFactory()

    response = api_client.get(LIST, {"page": 2})

    assert response.status_code == 404
    assert response.json() == {"detail": "Page 2 does not exist; there is 1 page."}


def test_the_count_is_not_counted_again_for_the_next_page(api_client, django_assert_max_num_queries):
    ReleaseFactory.create_batch(3)
    api_client.get(LIST, {"page_size": 2})

    with django_assert_max_num_queries(10) as captured:
        body = api_client.get(LIST, {"page_size": 2, "page": 2}).json()

    assert body["count"] == 3
    assert not [query for query in captured.captured_queries if "COUNT(" in query["sql"].upper()]


def test_the_count_follows_an_edit(api_client):
    ReleaseFactory()
    assert api_client.get(LIST).json()["count"] == 1

    ReleaseFactory()

    assert api_client.get(LIST, {"page_size": 5}).json()["count"] == 2


def test_an_editors_count_is_kept_apart_from_a_readers(api_client, editor_api_client):
    ReleaseFactory()
    ReleaseFactory(status=Status.DRAFT, published_at=None)
    assert api_client.get(LIST).json()["count"] == 1

    body = editor_api_client.get(LIST).json()

    assert body["count"] == 2


@pytest.fixture
def deep_pages_from_the_first(monkeypatch):
    """Deep-page reading (keys first) from the first page, so that a few rows exercise it."""
    from qwensite.freshness import pagination

    monkeypatch.setattr(pagination, "DEFERRED_JOIN_FROM", 0)


def test_a_deep_page_holds_the_rows_of_the_full_list_in_order(api_client, deep_pages_from_the_first):
    for day in range(1, 8):
        ReleaseFactory(release_date=dt.date(2024, 5, day), date_precision=DatePrecision.DAY)
    everything = slugs(api_client.get(LIST, {"page_size": 100}))

    page = slugs(api_client.get(LIST, {"page_size": 3, "page": 2}))

    assert page == everything[3:6]


@pytest.mark.parametrize("rows", [30, 90])
def test_a_deep_page_costs_a_constant_few_queries_that_neither_count_nor_skip_whole_rows(
    api_client, assert_max_request_queries, deep_pages_from_the_first, rows
):
    for _ in range(rows):
        ReleaseSizeFactory(release=ReleaseFactory(predecessor=None))
    api_client.get(LIST, {"page_size": 10})  # counted once for this content state

    with assert_max_request_queries(3) as captured:  # the pages' first keys, the page's rows, their sizes
        body = api_client.get(LIST, {"page_size": 10, "page": rows // 10 - 1}).json()

    assert (body["count"], len(body["results"])) == (rows, 10)
    sql = [query["sql"].upper() for query in captured.captured_queries]
    assert not [query for query in sql if "COUNT(" in query]
    assert not [query for query in sql if "OFFSET" in query]  # sought by key: no row is read to be skipped


# Visibility


def test_anonymous_list_shows_only_published_due_releases(api_client):
    live = ReleaseFactory()
    ReleaseFactory(status=Status.DRAFT, published_at=None)
    ReleaseFactory(published_at=timezone.now() + dt.timedelta(days=1))

    assert slugs(api_client.get(LIST)) == [live.slug]


@pytest.mark.parametrize(
    "state",
    [{"status": Status.DRAFT, "published_at": None}, {"published_at": "future"}],
    ids=["draft", "scheduled"],
)
def test_anonymous_detail_of_an_unpublished_release_is_404(api_client, state):
    if state.get("published_at") == "future":
        state = {"published_at": timezone.now() + dt.timedelta(days=1)}
    release = ReleaseFactory(**state)

    response = api_client.get(detail(release.slug))

    assert response.status_code == 404
    # The same answer as for a slug that names no release: nothing says that a draft exists.
    assert response.json() == {"detail": f"No release called “{release.slug}”."}


def test_editor_sees_drafts_in_list_and_detail(editor_api_client):
    draft = ReleaseFactory(status=Status.DRAFT, published_at=None)

    assert slugs(editor_api_client.get(LIST)) == [draft.slug]
    assert editor_api_client.get(detail(draft.slug)).json()["status"] == "draft"


def test_authenticated_user_without_change_permission_sees_only_published(api_client):
    from tests.factories import UserFactory

    ReleaseFactory(status=Status.DRAFT, published_at=None)
    api_client.force_authenticate(UserFactory())

    assert slugs(api_client.get(LIST)) == []


# Filters, alone


def test_filter_year(api_client):
    qwen2 = ReleaseFactory(release_date=dt.date(2024, 6, 1))
    ReleaseFactory(release_date=dt.date(2025, 4, 1))

    assert slugs(api_client.get(LIST, {"year": 2024})) == [qwen2.slug]


def test_filter_years_comma_separated_mean_or(api_client):
    a = ReleaseFactory(release_date=dt.date(2023, 9, 1))
    b = ReleaseFactory(release_date=dt.date(2025, 4, 1))
    ReleaseFactory(release_date=dt.date(2024, 6, 1))

    assert set(slugs(api_client.get(LIST, {"year": "2023,2025"}))) == {a.slug, b.slug}


@pytest.mark.parametrize(("value", "expected"), [("true", "open"), ("false", "closed")])
def test_filter_open_weights(api_client, value, expected):
    releases = {"open": ReleaseFactory(access=Access.OPEN_WEIGHTS), "closed": ReleaseFactory(access=Access.API_ONLY)}

    assert slugs(api_client.get(LIST, {"open_weights": value})) == [releases[expected].slug]


@pytest.mark.parametrize("value", ["72", "72B", "72b", "72.0"])
def test_filter_exact_size_in_billions(api_client, value):
    big = sized((72, None, Architecture.DENSE), (7, None, Architecture.DENSE))
    sized((70, None, Architecture.DENSE))

    assert slugs(api_client.get(LIST, {"size": value})) == [big.slug]


def test_filter_sizes_comma_separated_mean_or(api_client):
    a = sized((0.5, None, Architecture.DENSE))
    b = sized((72, None, Architecture.DENSE))
    sized((7, None, Architecture.DENSE))

    assert set(slugs(api_client.get(LIST, {"size": "0.5,72B"}))) == {a.slug, b.slug}


def test_filter_min_size_needs_one_size_at_least_that(api_client):
    big = sized((0.5, None, Architecture.DENSE), (72, None, Architecture.DENSE))
    sized((7, None, Architecture.DENSE))

    assert slugs(api_client.get(LIST, {"min_size": 70})) == [big.slug]


def test_filter_max_size_needs_one_size_at_most_that(api_client):
    small = sized((0.5, None, Architecture.DENSE), (72, None, Architecture.DENSE))
    sized((14, None, Architecture.DENSE))

    assert slugs(api_client.get(LIST, {"max_size": 1})) == [small.slug]


def test_filter_size_range_needs_one_size_within_both_bounds(api_client):
    inside = sized((14, None, Architecture.DENSE))
    sized((0.5, None, Architecture.DENSE), (72, None, Architecture.DENSE))  # a size each side, none inside

    assert slugs(api_client.get(LIST, {"min_size": 7, "max_size": 32})) == [inside.slug]


def test_filter_active_size_uses_active_parameters_of_moe(api_client):
    moe = sized((235, 22, Architecture.MOE))
    sized((72, None, Architecture.DENSE))

    assert slugs(api_client.get(LIST, {"max_active_size": 30})) == [moe.slug]


def test_filter_active_size_counts_dense_models_at_their_total(api_client):
    dense = sized((32, None, Architecture.DENSE))
    sized((235, 22, Architecture.MOE))

    assert slugs(api_client.get(LIST, {"min_active_size": 30, "max_active_size": 40})) == [dense.slug]


@pytest.mark.parametrize(("value", "expected"), [("dense", "dense"), ("moe", "moe")])
def test_filter_architecture(api_client, value, expected):
    releases = {"dense": sized((72, None, Architecture.DENSE)), "moe": sized((57, 14, Architecture.MOE))}

    assert slugs(api_client.get(LIST, {"architecture": value})) == [releases[expected].slug]


def test_filter_kind_comma_separated(api_client):
    coder = ReleaseFactory(kind=Kind.CODER)
    math = ReleaseFactory(kind=Kind.MATH)
    ReleaseFactory(kind=Kind.GENERAL)

    assert set(slugs(api_client.get(LIST, {"kind": "coder,math"}))) == {coder.slug, math.slug}


def test_filter_search_matches_name_and_summary(api_client):
    by_name = ReleaseFactory(name="QwQ-32B-Preview", summary="Reasoning.")
    by_summary = ReleaseFactory(name="Qwen 2.5 Max", summary="A mixture-of-experts flagship for preview users.")
    ReleaseFactory(name="Qwen 2", summary="Dense and MoE.")

    assert set(slugs(api_client.get(LIST, {"search": "preview"}))) == {by_name.slug, by_summary.slug}


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("release_date", ["old", "mid", "new"]),
        ("-release_date", ["new", "mid", "old"]),
        ("name", ["mid", "new", "old"]),
        ("-max_size_b", ["mid", "old", "new"]),
    ],
)
def test_ordering(api_client, ordering, expected):
    sized((7, None, Architecture.DENSE), slug="old", name="C", release_date=dt.date(2023, 9, 1))
    sized((72, None, Architecture.DENSE), slug="mid", name="A", release_date=dt.date(2024, 6, 1))
    sized((1, None, Architecture.DENSE), slug="new", name="B", release_date=dt.date(2025, 4, 1))

    assert slugs(api_client.get(LIST, {"ordering": ordering})) == expected


# Filters, combined


def test_filters_combine_with_and(api_client):
    wanted = sized((72, None, Architecture.DENSE), release_date=dt.date(2024, 6, 1))
    sized((72, None, Architecture.DENSE), release_date=dt.date(2024, 6, 1), access=Access.API_ONLY)
    sized((7, None, Architecture.DENSE), release_date=dt.date(2024, 6, 1))
    sized((72, None, Architecture.DENSE), release_date=dt.date(2023, 9, 1))

    response = api_client.get(LIST, {"year": 2024, "open_weights": "true", "min_size": 70})

    assert slugs(response) == [wanted.slug]


def test_architecture_kind_and_search_combine(api_client):
    wanted = sized((235, 22, Architecture.MOE), kind=Kind.GENERAL, name="Qwen 3")
    sized((235, 22, Architecture.MOE), kind=Kind.CODER, name="Qwen 3 Coder")
    sized((32, None, Architecture.DENSE), kind=Kind.GENERAL, name="Qwen 3 dense")

    response = api_client.get(LIST, {"architecture": "moe", "kind": "general", "search": "qwen"})

    assert slugs(response) == [wanted.slug]


def test_filters_and_pagination_count_only_matching_rows(api_client):
    for _ in range(3):
        ReleaseFactory(release_date=dt.date(2024, 6, 1))
    ReleaseFactory(release_date=dt.date(2025, 4, 1))

    body = api_client.get(LIST, {"year": 2024, "page_size": 2}).json()

    assert body["count"] == 3
    assert "year=2024" in body["next"]


# Bad input: 400 naming the parameter


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"year": "abc"}, "year"),
        ({"year": "0.5"}, "year"),
        ({"year": "2024.0"}, "year"),
        ({"year": "99999"}, "year"),
        ({"size": "big"}, "size"),
        ({"size": "1e3"}, "size"),
        ({"size": "-7"}, "size"),
        ({"min_size": "NaN"}, "min_size"),
        ({"open_weights": "maybe"}, "open_weights"),
        ({"architecture": "sparse"}, "architecture"),
        ({"kind": "poetry"}, "kind"),
        ({"ordering": "summary"}, "ordering"),
        ({"min_size": "72", "max_size": "7"}, "max_size"),
        ({"year": ",".join(["2024"] * 21)}, "year"),
        ({"search": "x" * 201}, "search"),
        ({"search": "qwen\x00"}, "search"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"format": "xml"}, "format"),
    ],
)
def test_bad_value_is_400_naming_the_parameter(api_client, params, name):
    ReleaseFactory()

    response = api_client.get(LIST, params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == [name]
    assert response.json()[name][0]


def test_bad_year_says_what_is_expected(api_client):
    response = api_client.get(LIST, {"year": "abc"})

    assert response.json() == {"year": ["Enter a whole year, such as 2024."]}


def test_unknown_parameter_is_400_listing_the_accepted_ones(api_client):
    response = api_client.get(LIST, {"yaer": 2024})

    assert response.status_code == 400
    message = response.json()["yaer"][0]
    assert message.startswith("Unknown query parameter. Accepted parameters: ")
    for accepted in ("year", "open_weights", "size", "min_size", "max_active_size", "ordering", "page_size"):
        assert accepted in message


def test_unknown_parameter_on_a_detail_is_400(api_client):
    release = ReleaseFactory()

    response = api_client.get(detail(release.slug), {"year": 2024})

    assert response.status_code == 400
    assert "year" in response.json()


def test_bad_value_in_csv_is_still_a_json_error(api_client):
    response = api_client.get(LIST, {"year": "abc", "format": "csv"})

    assert response.status_code == 400
    assert response.json() == {"year": ["Enter a whole year, such as 2024."]}


# Query counts: constant in rows and page size


@pytest.mark.parametrize("rows", [3, 30])
def test_list_query_count_does_not_grow_with_rows_or_page_size(api_client, assert_max_request_queries, rows):
    for index in range(rows):
        previous = ReleaseFactory() if index % 2 else None
        release = ReleaseFactory(predecessor=previous)
        ReleaseSizeFactory(release=release, parameters_b=Decimal("7"))
        ReleaseSizeFactory(release=release, parameters_b=Decimal("72"))

    with assert_max_request_queries(3):
        response = api_client.get(LIST, {"page_size": rows, "year": 2024, "min_size": 1})

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_csv_query_count_does_not_grow_with_rows(api_client, assert_max_request_queries, rows):
    for _ in range(rows):
        ReleaseSizeFactory(release=ReleaseFactory())

    with assert_max_request_queries(3):
        response = api_client.get(LIST, {"format": "csv"})

    assert response.status_code == 200


def test_detail_query_count_is_small(api_client, assert_max_request_queries):
    release = ReleaseFactory(predecessor=ReleaseFactory())
    ReleaseSizeFactory(release=release)

    with assert_max_request_queries(2):
        assert api_client.get(detail(release.slug)).status_code == 200
