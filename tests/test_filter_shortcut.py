"""A query that names no filter builds neither the form nor the filters
(qwensite.filtering.filters.StrictFilterSet.gives_no_filter), and means what the whole path means."""

import datetime as dt

import django_filters
import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.test import RequestFactory

from qwensite.filtering.filters import StrictFilterSet
from releases.filters import ReleaseAPIFilter, ReleaseFilter
from releases.models import ModelRelease
from tests.factories import ReleaseFactory


def strict_filtersets():
    """Every StrictFilterSet of the project (the ones each list of the API and the catalogue use)."""
    found, waiting = [], list(StrictFilterSet.__subclasses__())
    while waiting:
        filterset = waiting.pop()
        found.append(filterset)
        waiting.extend(filterset.__subclasses__())
    return sorted(found, key=lambda filterset: filterset.__qualname__)


def made(filterset_class, query):
    model = filterset_class._meta.model
    request = RequestFactory().get("/", QueryDict(query))
    request.user = AnonymousUser()
    return filterset_class(QueryDict(query), queryset=model._default_manager.all(), request=request)


def test_every_filterset_of_the_project_is_checked():
    names = {filterset.__name__ for filterset in strict_filtersets()}

    assert {"ReleaseFilter", "ReleaseAPIFilter", "ReleaseSizeFilter", "ClaimFilter", "SourceFilter"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "page=2", "page=2&page_size=10&format=json"])
@pytest.mark.parametrize("filterset_class", strict_filtersets(), ids=lambda filterset: filterset.__name__)
def test_no_filter_given_is_the_query_the_whole_path_builds(filterset_class, query):
    """With no value, every filter of every FilterSet leaves the queryset as it is: the shortcut
    gives the very SQL django-filter's own path gives (built on a second, untouched FilterSet)."""
    shortcut, whole = made(filterset_class, query), made(filterset_class, query)

    assert shortcut.gives_no_filter
    assert shortcut.is_valid()
    assert django_filters.FilterSet.is_valid(whole)
    assert str(shortcut.qs.query) == str(django_filters.FilterSet.qs.fget(whole).query)
    assert "_form" not in shortcut.__dict__  # no form was built


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("colour=red", "colour"),  # unknown
        ("page=1&page=2", "page"),  # repeated
        ("year=nineteen", "year"),  # a filter: the form checks it
    ],
)
def test_a_query_the_form_must_check_takes_the_whole_path(query, error):
    filterset = made(ReleaseAPIFilter, query)

    assert not filterset.gives_no_filter
    assert not filterset.is_valid()
    assert error in filterset.errors


@pytest.mark.django_db
def test_a_given_filter_still_filters():
    ReleaseFactory(slug="shown", release_date=dt.date(2024, 5, 1))
    ReleaseFactory(slug="left-out", release_date=dt.date(2023, 5, 1))

    filterset = made(ReleaseAPIFilter, "year=2024")

    assert not filterset.gives_no_filter
    assert filterset.is_valid()
    assert [release.slug for release in filterset.qs] == ["shown"]


@pytest.mark.django_db
def test_the_form_read_after_the_shortcut_is_cleaned():
    filterset = made(ReleaseFilter, "page=2")

    assert filterset.is_valid()
    assert filterset.value_of("article") is None
    assert filterset.form.cleaned_data["article"] is None  # a form read later is a validated one
    built = made(ReleaseFilter, "year=2024").form.fields["ordering"].choices
    assert list(filterset.fixed_choices("ordering")) == list(built)  # the menu a built form offers
    assert ("-max_size_b", "Largest first") in built


def test_an_unbound_filterset_is_not_valid_as_before():
    filterset = ReleaseFilter(None, queryset=ModelRelease.objects.none())

    assert not filterset.gives_no_filter
    assert not filterset.is_valid()
