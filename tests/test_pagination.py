import pytest
from django.core.paginator import Paginator

from qwensite.freshness import pagination
from qwensite.freshness.pagination import ScalablePaginator
from releases.models import ModelRelease
from tests.factories import ReleaseFactory

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
