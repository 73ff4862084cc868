"""The API's filter backend: django-filter's, with the list's position left to the paginator."""

from django_filters.rest_framework import DjangoFilterBackend

from qwensite.rest.pagination import CURSOR_PARAMETER


class ListFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend, whose FilterSets do not see ``cursor``.

    The FilterSets are strict (an unknown parameter is a 400) and the catalogue page shares
    ReleaseFilter, where a cursor means nothing; in the API a cursor is a position in the list,
    read and checked by the paginator (qwensite.rest.pagination), as the view's own check of
    the query parameters knows.
    """

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        if CURSOR_PARAMETER in kwargs["data"]:
            data = kwargs["data"].copy()
            data.pop(CURSOR_PARAMETER)
            kwargs["data"] = data
        return kwargs
