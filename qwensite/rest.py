"""The REST framework pieces every API endpoint shares.

Strict query parameters and pagination (a bad value is a 400 naming the parameter), the
throttle for anonymous clients, JSON errors whatever the representation asked for, the CSV
representation of lists, and the one atomic write path that applies the admin's validation.
"""

import math
import re

from concurrency.exceptions import RecordModifiedError
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.encoding import force_str
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle
from rest_framework_csv.renderers import CSVRenderer

from qwensite.caching import parameters_checked
from qwensite.pagination import ScalablePaginator, count_key_for

MAX_PAGE_SIZE = 100
MAX_CSV_ROWS = 10_000
FORMAT_PARAMETER = "format"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
POSITIVE_INTEGER = re.compile(r"[0-9]{1,9}")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Someone else changed this entry since you read it; read it again and retry."
    default_code = "conflict"


class StrictCharField(serializers.CharField):
    """Text must be sent as a JSON string: a number is not silently turned into one."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictSlugField(StrictCharField, serializers.SlugField):
    pass


class StrictIntegerField(serializers.IntegerField):
    """A whole number must be sent as a JSON integer, not as a string, a float or a boolean."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictDecimalField(serializers.DecimalField):
    """A decimal must be sent as a JSON number."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictManyRelatedField(serializers.ManyRelatedField):
    """A list of related entries must be sent as a JSON array (an object is not a list of its keys)."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose fields take only the JSON types the schema states."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.SlugField: StrictSlugField,
        models.IntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.DecimalField: StrictDecimalField,
    }

    def model_field_paths(self):
        """Where each writable model field sits in this serializer, for the model's own messages.

        ``{"source_section": ("source", "section"), "body": ("body_markdown",)}``: a field of a
        nested serializer that reads the whole instance (``source="*"``) is under its name.
        """
        paths = {}
        for name, field in self.fields.items():
            if field.read_only:
                continue
            if isinstance(field, serializers.Serializer) and field.source == "*":
                nested = field.fields.items()
                paths.update({sub.source: (name, sub_name) for sub_name, sub in nested if not sub.read_only})
            elif field.source != "*":
                paths[field.source] = (name,)
        return paths

    def save_instance(self, instance, validated_data, **kwargs):
        """save_validated() with the model's messages placed on this serializer's fields."""
        return save_validated(instance, fields=validated_data, error_paths=self.model_field_paths(), **kwargs)


def _positive_integer(request, name, default, maximum=None):
    raw = request.query_params.get(name)
    if raw is None:
        return default
    expected = f"Enter a whole number from 1 to {maximum}." if maximum else "Enter a whole number of at least 1."
    if not POSITIVE_INTEGER.fullmatch(raw) or int(raw) < 1 or (maximum and int(raw) > maximum):
        raise exceptions.ValidationError({name: [expected]})
    return int(raw)


class StrictPageNumberPagination(PageNumberPagination):
    """``page`` and ``page_size`` (1 to 100, default 20); a malformed value is a 400.

    A well-formed page number past the last page is a 404 (``Invalid page.``): the page does
    not exist, as a detail URL for a missing slug does not.

    Pages come from ScalablePaginator (qwensite/pagination.py): the count is kept in the cache
    under the content state, so it is counted once per change of content rather than on every
    request, and a deep page reads its keys first instead of fetching and discarding every row
    before it.
    """

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()

    def django_paginator_class(self, object_list, per_page):
        """The paginator for this request (DRF calls it with the list and the page size).

        The count is kept per list and filters (the path and query string), and per audience:
        an editor's count includes drafts that a reader's must not.
        """
        user = getattr(self.request, "user", None)
        audience = f"user:{user.pk}" if user is not None and user.is_authenticated else "anonymous"
        return ScalablePaginator(object_list, per_page, count_key=count_key_for(self.request, audience))

    def get_page_size(self, request):
        return _positive_integer(request, self.page_size_query_param, self.page_size, self.max_page_size)

    def get_page_number(self, request, paginator):
        return _positive_integer(request, self.page_query_param, 1)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number, from 1. A page past the last one is 404.",
                "schema": {"type": "integer", "minimum": 1, "maximum": 999_999_999},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page, from 1 to {self.max_page_size} (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


class AnonymousBurstThrottle(AnonRateThrottle):
    """Requests per anonymous client, counted in the configured cache (Redis: shared by every worker).

    The client is REMOTE_ADDR, or the address the trusted proxies saw when ``NUM_PROXIES`` says
    how many there are, so a made-up ``X-Forwarded-For`` never earns a fresh allowance. The
    rate is read at each request, so that settings changes (and tests) take effect at once.
    """

    scope = "anon"

    def get_rate(self):
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError as exc:
            raise exceptions.ImproperlyConfigured(f"No throttle rate set for scope {self.scope!r}.") from exc

    def allow_request(self, request, view):
        if getattr(getattr(request, "_request", request), "_throttle_counted", False):
            return True  # already counted by throttle_gate, before the response cache
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


def throttle_gate(request):
    """Count an anonymous API request before the response cache answers it (qwensite.caching).

    A stored copy or a 304 never reaches the view, so the throttle runs here, once: the
    request is marked counted, and the view's own throttle lets it through. Returns the 429
    response when the client is over its rate, else None.
    """
    if not hasattr(request, "user"):  # answered before AuthenticationMiddleware: no credentials
        request.user = AnonymousUser()
    throttle = AnonymousBurstThrottle()
    allowed = throttle.allow_request(request, None)
    request._throttle_counted = True
    if allowed:
        return None
    wait = math.ceil(throttle.wait() or 1)
    response = JsonResponse({"detail": f"Request was throttled. Expected available in {wait} seconds."}, status=429)
    response["Retry-After"] = str(wait)
    return response


class StrictContentNegotiation(DefaultContentNegotiation):
    """An unknown ``?format=`` is a 400 naming the accepted formats, not a 404."""

    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            accepted = ", ".join(renderer.format for renderer in renderers)
            raise exceptions.ValidationError({FORMAT_PARAMETER: [f"{format!r} is not one of: {accepted}."]})
        return matching


class CSVListRenderer(CSVRenderer):
    """Rows of a list as CSV, columns in the serializer's order.

    Nested objects become dotted columns (``source.article``); lists of objects become one
    cell, their items separated by ``; `` and named by their ``label`` or ``slug``.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        response, view = renderer_context.get("response"), renderer_context.get("view")
        if response is not None and view is not None and response.status_code == 200:
            response["Content-Disposition"] = f'attachment; filename="{view.basename}.csv"'
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        rows = [self.flatten_row(row) for row in data or []]
        header = renderer_context.get("header") or (list(rows[0]) if rows else None)
        return super().render(rows, media_type, {**renderer_context, "header": header})

    def flatten_row(self, row, prefix=""):
        flat = {}
        for key, value in row.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict):
                flat.update(self.flatten_row(value, prefix=f"{name}."))
            elif isinstance(value, list):
                flat[name] = "; ".join(self.list_item_text(item) for item in value)
            elif isinstance(value, bool):
                flat[name] = "true" if value else "false"
            else:
                flat[name] = self.inert(value)
        return flat

    @staticmethod
    def inert(value):
        """Text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``...) is quoted with ``'``."""
        if isinstance(value, str) and value[:1] in FORMULA_PREFIXES:
            return f"'{value}"
        return value

    def list_item_text(self, item):
        if isinstance(item, dict):
            return str(self.inert(item.get("label") or item.get("slug") or item))
        return str(self.inert(item))


class BibTeXRenderer(JSONRenderer):
    """A BibTeX entry, already formatted by the view."""

    media_type = "text/x-bibtex"
    format = "bib"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return force_str(data).encode(self.charset)


@csrf_exempt
def not_found(request, *args, **kwargs):
    """A JSON 404 for any path under the API that names no endpoint, whatever the method.

    A path that only lacks its trailing slash is sent on with a 308, which keeps the method.
    """
    with_slash = f"{request.path_info}/"
    if not request.path_info.endswith("/"):
        try:
            match = resolve(with_slash)
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            target = f"{request.path}/" + (f"?{query}" if query else "")
            return HttpResponseRedirect(target, status=308)
    return JsonResponse({"detail": "Not found."}, status=404)


def json_exception_handler(exc, context):
    """DRF's handler, with every error in JSON even when CSV or BibTeX was asked for."""
    # Imported here: rest_framework.views reads the settings that name this module's classes.
    from rest_framework.views import exception_handler

    response = exception_handler(exc, context)
    request = context.get("request")
    if response is not None and request is not None:
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is None or renderer.media_type != "application/json":
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
    return response


def validation_messages(error, paths=None):
    """A Django ValidationError as DRF field errors: ``{field: [message, ...]}``.

    ``paths`` gives where a model field sits in the request when that differs from its name
    (``{"source_section": ("source", "section")}`` nests the message as DRF does).
    """
    if not hasattr(error, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: list(error.messages)}
    paths = {NON_FIELD_ERRORS: (api_settings.NON_FIELD_ERRORS_KEY,), **(paths or {})}
    result = {}
    for field, messages in error.message_dict.items():
        path = paths.get(field, (field,))
        node = result
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node.setdefault(path[-1], []).extend(messages)
    return result


@transaction.atomic
def save_validated(instance, *, fields, related=None, prepare=None, error_paths=None):
    """Set ``fields`` on ``instance``, validate it as the admin does, save it, then set ``related``.

    One transaction: a model validation error, a database constraint or a concurrent edit
    leaves nothing written and becomes a 400 (or 409) with the model's own messages, each
    on its field (``error_paths``: see validation_messages).
    """
    for name, value in fields.items():
        setattr(instance, name, value)
    if prepare is not None:
        prepare(instance)
    try:
        instance.full_clean()
    except DjangoValidationError as error:
        raise exceptions.ValidationError(validation_messages(error, error_paths)) from error
    try:
        with transaction.atomic():
            instance.save()
            for name, values in (related or {}).items():
                getattr(instance, name).set(values)
    except IntegrityError as error:
        raise exceptions.ValidationError(
            {api_settings.NON_FIELD_ERRORS_KEY: [constraint_message(instance, error)]}
        ) from error
    except RecordModifiedError as error:
        raise Conflict() from error
    return instance


def constraint_message(instance, error):
    """The model's own message for the database constraint an IntegrityError names."""
    text = str(error)
    table = instance._meta.db_table
    for constraint in instance._meta.constraints:
        # PostgreSQL names the constraint; SQLite names a unique constraint by its columns.
        columns = [instance._meta.get_field(name).column for name in getattr(constraint, "fields", ())]
        if constraint.name in text or (columns and all(f"{table}.{column}" in text for column in columns)):
            return constraint.get_violation_error_message()
    return "The change conflicts with the stored data (a value that must be unique is already taken?)."


def delete_entry(instance):
    """Delete in one transaction; a protected reference is a 409 naming what still uses it."""
    try:
        with transaction.atomic():
            instance.delete()
    except ProtectedError as error:
        used_by = sorted({str(obj) for obj in error.protected_objects})[:10]
        raise Conflict(f"Still referenced by: {', '.join(used_by)}. Remove those references first.") from error


class StrictAPIViewMixin:
    """Rejects unknown query parameters, filters and paginates lists only, and offers lists as CSV.

    A list asked for as CSV (``?format=csv`` or ``Accept: text/csv``) holds every filtered row
    (at most MAX_CSV_ROWS; more is a 400 asking to narrow the filters or give a page), or one
    page when ``page`` or ``page_size`` is given.
    """

    list_renderer_classes = (JSONRenderer, CSVListRenderer)

    def get_renderers(self):
        # A method the endpoint does not offer (no action) must reach its 405, whatever the format.
        if self.action in ("list", None):
            return [renderer() for renderer in self.list_renderer_classes]
        return super().get_renderers()

    def accepted_query_parameters(self):
        accepted = {FORMAT_PARAMETER}
        if self.action == "list":
            filterset_class = getattr(self, "filterset_class", None)
            if filterset_class is not None:
                accepted |= set(filterset_class.base_filters)
            if self.pagination_class is not None:
                accepted |= {self.paginator.page_query_param, self.paginator.page_size_query_param}
        return accepted

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action is None:
            return  # a method the endpoint does not offer: its 405 comes next
        accepted = self.accepted_query_parameters()
        unknown = sorted(set(request.query_params) - accepted)
        if unknown:
            listed = ", ".join(sorted(accepted))
            message = f"Unknown query parameter. Accepted parameters: {listed}."
            raise exceptions.ValidationError({name: [message] for name in unknown})
        parameters_checked(request._request)  # values are checked by the filters and paginator

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def paginate_queryset(self, queryset):
        if self.request.accepted_renderer.format == "csv" and not (
            {self.paginator.page_query_param, self.paginator.page_size_query_param} & set(self.request.query_params)
        ):
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

    def get_renderer_context(self):
        context = super().get_renderer_context()
        renderer = getattr(self.request, "accepted_renderer", None)
        if self.action == "list" and getattr(renderer, "format", None) == "csv":
            context["header"] = csv_header(self.get_serializer())
        return context


def csv_header(serializer):
    """The CSV columns of a serializer's rows: its fields, nested objects as dotted names."""
    from rest_framework.serializers import Serializer

    header = []
    for name, field in serializer.fields.items():
        if isinstance(field, Serializer):
            header += [f"{name}.{sub}" for sub in field.fields]
        else:
            header.append(name)
    return header
