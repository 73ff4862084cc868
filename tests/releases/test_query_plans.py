"""The catalogue's queries read composite indexes, in the catalogue's order, on SQLite and PostgreSQL.

The plans come from ``QuerySet.explain()`` after ``ANALYZE`` over a few thousand generated
releases, as a production database with statistics plans them.
"""

import re

import pytest
from django.core.management import call_command
from django.db import connection

from qwensite.freshness.keyset import ordering_of, seek
from releases.filters import ReleaseFilter
from releases.models import ModelRelease

pytestmark = pytest.mark.django_db

CATALOGUE_INDEXES = ("release_catalogue_order", "release_open_order")
PAGE = 25


@pytest.fixture
def catalogue():
    call_command("generate_content", releases=800, articles=5, seed=5, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def sorts(plan):
    """Whether the plan sorts rows itself instead of reading them in index order."""
    return "TEMP B-TREE" in plan or any(
        line.strip().startswith(("Sort", "-> Sort", "->  Sort")) for line in plan.splitlines()
    )


def filtered(data):
    return ReleaseFilter(data, queryset=ModelRelease.objects.published()).qs


def test_first_page_reads_the_catalogue_order_index(catalogue):
    plan = ModelRelease.objects.published()[:PAGE].explain()

    assert "release_catalogue_order" in plan


def test_first_page_needs_no_sort(catalogue):
    plan = ModelRelease.objects.published()[:PAGE].explain()

    assert not sorts(plan)


def test_filtered_catalogue_reads_a_composite_index(catalogue):
    plan = filtered({"year": "2025", "open_weights": "true", "min_size": "7"})[:PAGE].explain()

    assert any(index in plan for index in CATALOGUE_INDEXES)


def test_filtered_catalogue_needs_no_sort(catalogue):
    plan = filtered({"year": "2025", "open_weights": "true", "min_size": "7"})[:PAGE].explain()

    assert not sorts(plan)


def test_size_filter_looks_sizes_up_by_release_through_an_index(catalogue):
    plan = filtered({"year": "2025", "open_weights": "true", "min_size": "7"})[:PAGE].explain()

    assert re.search(r"(Index Cond: \(release_id = |INDEX \w+ \(release_id=)", plan)
    assert "Seq Scan on releases_releasesize" not in plan
    assert "SCAN U0" not in plan


def test_deep_page_keys_are_read_from_the_catalogue_order_index(catalogue):
    plan = ModelRelease.objects.published().values_list("pk", flat=True)[100 : 100 + PAGE].explain()

    assert "release_catalogue_order" in plan
    assert not sorts(plan)


def test_a_deep_page_is_sought_through_an_index(catalogue):
    listed = ModelRelease.objects.published()
    terms = ordering_of(listed)
    key = listed.order_by(*(term.expression() for term in terms)).values_list("release_date", "name", "pk")[600]

    plan = listed.filter(seek(terms, key, inclusive=True))[:PAGE].explain()

    assert re.search(r"release_catalogue_order|release_date_name", plan)
    assert "Seq Scan" not in plan
    assert not re.search(r"\bSCAN releases_modelrelease\b(?! USING)", plan)
