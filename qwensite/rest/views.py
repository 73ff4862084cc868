"""What every API view shares: strict query parameters, lists filtered and paginated, lists as CSV."""

from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from qwensite.filtering.parameters import empty_value_errors, repeated_parameter_errors, unknown_parameter_errors
from qwensite.freshness.middleware import parameters_checked
from qwensite.ops.transactions import WritesInTransaction
from qwensite.rest.renderers import FORMAT_PARAMETER, CSVListRenderer, JSONRenderer

MAX_CSV_ROWS = 10_000


class StrictAPIViewMixin(WritesInTransaction):
    """Rejects unknown query parameters, filters and paginates lists only, and offers lists as CSV;
    reads outside a transaction, each write in one (qwensite.ops.transactions).

    A list asked for as CSV (``?format=csv`` or ``Accept: text/csv``) holds every filtered row
    (at most MAX_CSV_ROWS; more is a 400 asking to narrow the filters or give a page), or one
    page when ``page`` or ``page_size`` is given.
    """

    list_renderer_classes = (JSONRenderer, CSVListRenderer)
    # Parameters a viewset takes on its reads beyond filters and pages (``expand``, for example).
    read_parameters = frozenset()

    def get_renderers(self):
        # A method the endpoint does not offer (no action) must reach its 405, whatever the format.
        if self.action in ("list", None):
            return [renderer() for renderer in self.list_renderer_classes]
        return super().get_renderers()

    def accepted_query_parameters(self):
        accepted = {FORMAT_PARAMETER}
        if self.action in ("list", "retrieve"):
            accepted |= set(self.read_parameters)
        if self.action == "list":
            filterset_class = getattr(self, "filterset_class", None)
            if filterset_class is not None:
                accepted |= set(filterset_class.base_filters)
            if self.pagination_class is not None:
                accepted |= self.paginator.query_parameters
        return accepted

    def list_query_parameters(self):
        """The parameters that may be repeated: a list's filters that take several values, and
        the read parameters (``expand``)."""
        lists = set(self.read_parameters)
        filterset_class = getattr(self, "filterset_class", None)
        if self.action == "list" and filterset_class is not None:
            lists |= filterset_class.list_parameters()
        return lists

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action is None:
            return  # a method the endpoint does not offer: its 405 comes next
        errors = {
            **empty_value_errors(request.query_params),
            **repeated_parameter_errors(request.query_params, self.list_query_parameters()),
            **unknown_parameter_errors(request.query_params, self.accepted_query_parameters()),
        }
        if errors:
            raise exceptions.ValidationError(errors)
        parameters_checked(request._request)  # values are checked by the filters and paginator

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
            raise exceptions.NotFound(self.not_found_message(value)) from None

    def not_found_message(self, value):
        """The 404's message for an entry that does not exist (or that this client may not see)."""
        model = self.get_queryset().model
        lookup = "id" if self.lookup_field == "pk" else self.lookup_field
        return f"No {model._meta.verbose_name} with {lookup} “{value}”."

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def exports_every_row(self):
        """Whether the list is asked for as CSV without a page: every filtered row, unpaginated."""
        return self.request.accepted_renderer.format == "csv" and not (
            self.paginator.query_parameters & set(self.request.query_params)
        )

    def paginate_queryset(self, queryset):
        if self.exports_every_row():
            if queryset[MAX_CSV_ROWS : MAX_CSV_ROWS + 1].exists():
                raise exceptions.ValidationError(
                    {
                        FORMAT_PARAMETER: [
                            f"A CSV export holds at most {MAX_CSV_ROWS} rows: narrow the filters, "
                            "or give page and page_size."
                        ]
                    }
                )
            return None
        return super().paginate_queryset(queryset)

    def list(self, request, *args, **kwargs):
        """DRF's list, with two savings. A list whose pages the view reads by prepared SQL
        (``prepared_list()``, the list as asked: qwensite.freshness.prepared) is not built as a
        queryset here: its paginator builds it only if a page needs it. A page the paginator
        answered from its kept rows (``page.kept``, qwensite.freshness.pagination) is not
        serialized again: its entries were not read whole."""
        prepared_list = getattr(self, "prepared_list", None)
        if prepared_list is not None and not self.exports_every_row() and prepared_list() is not None:
            queryset = None
        else:
            queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is None:
            return Response(self.get_serializer(queryset, many=True).data)
        kept = getattr(getattr(self.paginator, "page", None), "kept", None)
        return self.get_paginated_response(kept if kept is not None else self.get_serializer(page, many=True).data)

    def get_renderer_context(self):
        context = super().get_renderer_context()
        renderer = getattr(self.request, "accepted_renderer", None)
        if self.action == "list" and getattr(renderer, "format", None) == "csv":
            context["header"] = csv_header(self.get_serializer(), getattr(self, "csv_item_columns", {}))
        return context


def csv_header(serializer, item_columns=None):
    """The CSV columns of a serializer's rows: its fields, nested objects as dotted names, and
    the per-item columns of lists (``item_columns``, CSVListRenderer) after their list."""
    header = []
    for name, field in serializer.fields.items():
        if isinstance(field, Serializer):
            header += [f"{name}.{sub}" for sub in field.fields]
        else:
            header.append(name)
            header += [f"{name}.{key}" for key in (item_columns or {}).get(name, ())]
    return header
