import datetime as dt
from decimal import Decimal

import pytest
from django.core.paginator import Paginator
from django.db.models import F

from qwensite.freshness import pagination
from qwensite.freshness.pagination import ScalablePaginator
from releases.models import ModelRelease
from tests.factories import ReleaseFactory, ReleaseSizeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deep_pages_from_the_first(monkeypatch):
    monkeypatch.setattr(pagination, "DEFERRED_JOIN_FROM", 0)


def catalogue():
    return ModelRelease.objects.published().with_sizes()


def test_count_is_counted_once_per_content_state(django_assert_num_queries):
    ReleaseFactory.create_batch(3)
    assert ScalablePaginator(catalogue(), 2, count_key="catalogue").count == 3

    with django_assert_num_queries(0):
        assert ScalablePaginator(catalogue(), 2, count_key="catalogue").count == 3


def test_count_follows_every_save():
    ReleaseFactory.create_batch(3)
    assert ScalablePaginator(catalogue(), 2, count_key="catalogue").count == 3

    ReleaseFactory()

    assert ScalablePaginator(catalogue(), 2, count_key="catalogue").count == 4


def test_counts_of_different_keys_are_kept_apart():
    ReleaseFactory.create_batch(3)
    assert ScalablePaginator(catalogue(), 2, count_key="all").count == 3

    assert ScalablePaginator(catalogue().open_weights(), 2, count_key="open").count == 3
    assert ScalablePaginator(catalogue().none(), 2, count_key="none").count == 0


def test_deep_page_has_the_rows_of_an_offset_page_in_order(deep_pages_from_the_first):
    ReleaseFactory.create_batch(7)

    deep = ScalablePaginator(catalogue(), 3, count_key="catalogue").page(2)

    assert list(deep) == list(Paginator(catalogue(), 3).page(2))


def test_deep_page_queries_do_not_grow_with_its_rows(deep_pages_from_the_first, django_assert_max_num_queries):
    ReleaseFactory.create_batch(30)
    ScalablePaginator(catalogue(), 10, count_key="catalogue").count  # noqa: B018 - counted once beforehand

    with django_assert_max_num_queries(3):  # the page's keys, its rows, their sizes
        list(ScalablePaginator(catalogue(), 10, count_key="catalogue").page(3))


# Deep pages sought by key


@pytest.fixture
def tied():
    """Releases that tie on release_date and on name (and on both): only the key parts them."""
    for n in range(17):
        ReleaseFactory(name=f"Qwen {n % 3}", release_date=dt.date(2024, 1 + n % 2, 1))


def offset_pages(queryset, per_page):
    """The pages as OFFSET reads them, in the list's order made total by the key."""
    rows = list(queryset.order_by("-release_date", "name", "pk"))
    return [rows[start : start + per_page] for start in range(0, len(rows), per_page)]


@pytest.mark.parametrize("kept", [1000, 2], ids=["a-key-per-page", "a-key-per-two-pages"])
def test_every_deep_page_is_the_offset_page(deep_pages_from_the_first, tied, monkeypatch, kept):
    monkeypatch.setattr(pagination, "KEPT_BOUNDARIES", kept)
    paginator = ScalablePaginator(catalogue(), 3, count_key="catalogue")

    pages = [list(paginator.page(number)) for number in paginator.page_range]

    assert pages == offset_pages(catalogue(), 3)


def test_a_deep_page_with_orphans_ends_the_list(deep_pages_from_the_first, tied):
    paginator = ScalablePaginator(catalogue(), 5, orphans=2, count_key="catalogue")

    last = list(paginator.page(paginator.num_pages))

    assert last == list(Paginator(catalogue().order_by("-release_date", "name", "pk"), 5, orphans=2).page(3))
    assert len(last) == 7


def test_a_deep_page_reads_its_rows_without_an_offset(deep_pages_from_the_first, tied, django_assert_max_num_queries):
    ScalablePaginator(catalogue(), 3, count_key="catalogue").page(4)  # the count and the pages' first keys

    with django_assert_max_num_queries(2) as captured:  # the page's rows, their sizes
        list(ScalablePaginator(catalogue(), 3, count_key="catalogue").page(5))

    assert not [query for query in captured.captured_queries if "OFFSET" in query["sql"].upper()]


def test_the_kept_keys_follow_an_edit(deep_pages_from_the_first, tied):
    assert list(ScalablePaginator(catalogue(), 3, count_key="catalogue").page(3)) == offset_pages(catalogue(), 3)[2]

    ReleaseFactory(name="Qwen 0", release_date=dt.date(2024, 2, 1))  # a row at the top moves every page on

    page = list(ScalablePaginator(catalogue(), 3, count_key="catalogue").page(3))
    assert page == offset_pages(catalogue(), 3)[2]


def test_a_list_without_a_count_key_reads_deep_pages_by_offset(deep_pages_from_the_first, tied):
    paginator = ScalablePaginator(catalogue(), 3)

    assert list(paginator.page(4)) == offset_pages(catalogue(), 3)[3]


def test_every_page_of_a_nullable_ordering_is_the_offset_page(deep_pages_from_the_first, tied):
    for total in ("7", "72", "0.5"):
        ReleaseSizeFactory(parameters_b=Decimal(total))  # the others have no size: max_size_b is NULL
    ordering = (F("max_size_b").desc(nulls_last=True), "name", "pk")
    listed = catalogue().order_by(*ordering)
    paginator = ScalablePaginator(listed, 4, count_key="by-size")

    pages = [list(paginator.page(number)) for number in paginator.page_range]

    rows = list(listed)
    assert pages == [rows[start : start + 4] for start in range(0, len(rows), 4)]
