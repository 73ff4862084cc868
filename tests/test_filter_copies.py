"""A FilterSet's filters are copied per request one by one (qwensite.filtering.filters.FiltersCopiedShallowly)."""

from django.http import QueryDict

from releases.filters import ReleaseAPIFilter
from releases.models import ModelRelease


def test_each_filterset_has_its_own_filters_bound_to_it():
    first = ReleaseAPIFilter(QueryDict("year=2024"), queryset=ModelRelease.objects.none())
    second = ReleaseAPIFilter(QueryDict("year=2025"), queryset=ModelRelease.objects.none())

    for name, filter_ in first.filters.items():
        assert filter_ is not ReleaseAPIFilter.base_filters[name]
        assert filter_ is not second.filters[name]
        assert filter_.parent is first
    assert second.filters["year"].parent is second


def test_a_method_filter_calls_the_method_of_its_own_filterset():
    filterset = ReleaseAPIFilter(QueryDict("year=2024"), queryset=ModelRelease.objects.none())
    year = filterset.filters["year"]

    assert year.method  # filtered by a method of the FilterSet
    assert year.filter.method.__self__ is filterset


def test_each_copy_is_of_the_class_filters_type_and_holds_its_arguments():
    filterset = ReleaseAPIFilter(QueryDict(""), queryset=ModelRelease.objects.none())
    per_filterset = {"parent", "model", "_method", "filter"}  # set on each copy by django-filter, or bound to it

    for name, filter_ in filterset.filters.items():
        original = ReleaseAPIFilter.base_filters[name]
        assert type(filter_) is type(original)
        assert {key: value for key, value in vars(filter_).items() if key not in per_filterset} == {
            key: value for key, value in vars(original).items() if key not in per_filterset
        }
