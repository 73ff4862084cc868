"""The article list's filters in the API: strict, like the catalogue's (unknown parameters are errors)."""

import datetime as dt

import django_filters as filters
from django.db.models import Q

from articles.models import Article
from qwensite.filtering.filters import SlugsFilter, StrictFilterSet, YearsFilter


class ArticleFilter(StrictFilterSet):
    tag = SlugsFilter(
        field_name="tags__slug", lookup_expr="in", distinct=True, label="Tag", help_text="Tag slugs, e.g. history."
    )
    author = SlugsFilter(field_name="author__slug", lookup_expr="in", label="Author", help_text="Author slugs.")
    year = YearsFilter(method="filter_year", label="Year", help_text="Year of publication, e.g. 2026 or 2025,2026.")
    search = filters.CharFilter(
        method="filter_search", label="Search", max_length=200, help_text="Words in the title, summary or body."
    )

    class Meta(StrictFilterSet.Meta):
        model = Article
        fields = []

    def filter_year(self, queryset, name, value):
        condition = Q()
        for year in value:
            start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
            condition |= Q(published_at__gte=start, published_at__lt=start.replace(year=year + 1))
        return queryset.filter(condition)

    def filter_search(self, queryset, name, value):
        condition = Q()
        for word in value.split():
            condition &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        return queryset.filter(condition)
