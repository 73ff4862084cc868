import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import F

from articles.models import Article
from qwensite.editorial.publishing import visible_slug
from qwensite.freshness.keyset import Term, Unkeyable, boundary_keys, boundary_query, ordering_of, seek
from releases.models import ModelRelease
from tests.factories import ReleaseFactory, ReleaseSizeFactory

pytestmark = pytest.mark.django_db


def annotated():
    """The API's list: each release with the slugs of its article and predecessor, through joins."""
    reader = AnonymousUser()
    return (
        ModelRelease.objects.published()
        .annotate(
            source_slug=visible_slug("source_article", Article, reader),
            predecessor_slug=visible_slug("predecessor", ModelRelease, reader),
        )
        .order_by("-release_date", "name", "pk")
    )


def test_an_ordering_is_closed_by_the_key():
    terms = ordering_of(ModelRelease.objects.order_by("-release_date", "name"))

    assert [term.label for term in terms] == ["-release_date", "name", "pk"]


def test_the_models_own_ordering_is_read_when_none_is_given():
    assert [term.label for term in ordering_of(ModelRelease.objects.all())] == ["-release_date", "name", "pk"]


def test_a_nullable_term_names_where_its_nulls_go():
    terms = ordering_of(ModelRelease.objects.order_by(F("max_size_b").desc(nulls_last=True), "pk"))

    assert [term.label for term in terms] == ["-max_size_b|nulls-last", "pk"]


@pytest.mark.parametrize("ordering", ["?", "source_slug"])
def test_an_ordering_without_a_key_is_refused(ordering):
    with pytest.raises(Unkeyable):
        ordering_of(annotated().order_by(ordering))


def test_the_seek_leads_with_a_bound_on_the_first_term_alone():
    terms = (Term("release_date", descending=True), Term("name"), Term("pk"))

    where = str(ModelRelease.objects.filter(seek(terms, (dt.date(2024, 6, 1), "Qwen", 7))).query)

    assert '"release_date" <= 2024-06-01 AND' in where


def test_rows_after_a_key_are_those_after_it_in_the_ordering_with_ties():
    for n in range(9):
        ReleaseFactory(name=f"Qwen {n % 2}", release_date=dt.date(2024, 1 + n % 3, 1))
    listed = annotated()
    terms = ordering_of(listed)
    rows = list(listed)
    middle = rows[4]

    after = list(listed.filter(seek(terms, (middle.release_date, middle.name, middle.pk))))

    assert after == rows[5:]


def test_the_boundary_walk_leaves_out_the_joins_of_display_annotations():
    walk = str(boundary_query(annotated(), ordering_of(annotated()), 20).query)

    assert "articles_article" not in walk
    assert " JOIN " not in walk


def test_a_filter_through_a_join_keeps_its_join():
    ReleaseFactory(source_article__title="Kept")
    ReleaseFactory()
    listed = annotated().filter(source_article__title="Kept")

    keys = boundary_keys(listed, ordering_of(listed), 1)

    assert len(keys) == 1


def test_a_distinct_list_is_numbered_once_per_row():
    for n in range(5):
        release = ReleaseFactory(name=f"Qwen {n}")
        ReleaseSizeFactory(release=release, parameters_b=Decimal("7"))
        ReleaseSizeFactory(release=release, parameters_b=Decimal("72"))  # two joined rows per release
    listed = ModelRelease.objects.filter(sizes__parameters_b__gt=1).distinct().order_by("name", "pk")
    terms = ordering_of(listed)

    keys = boundary_keys(listed, terms, 2)

    rows = list(listed)
    assert keys == [(row.name, row.pk) for row in rows[::2]]
