"""Strict filters for query parameters, shared by the reader pages and the API.

A malformed value is a form error (HTTP 400 in the API, an error on the page), and so is a
query parameter the FilterSet does not know. Several values of one filter may be given
comma-separated or the parameter repeated, and mean OR (``year=2024,2025`` is
``year=2024&year=2025``); any other parameter given twice is an error naming it. Each value field states its own OpenAPI
schema (``openapi_schema``), so the API documents exactly what the field accepts.
"""

import re

import django_filters as filters
from django import forms
from django.core.exceptions import BadRequest
from django.http import Http404
from django.utils.functional import cached_property
from django_filters.fields import BaseCSVField, ChoiceField
from django_filters.widgets import BaseCSVWidget

from qwensite.filtering.parameters import (
    MAX_PAGE_SIZE,
    PAGINATION_PARAMETERS,
    missing_page_message,
    positive_integer_error,
    query_without_page,
    repeated_parameter_errors,
    unknown_parameter_errors,
)
from qwensite.ops.errors import ReaderNotFound

MAX_CSV_VALUES = 20
YEAR_PATTERN = r"^[0-9]{4}$"
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
BOOLEAN_VALUES = ["true", "false", "1", "0", "yes", "no"]


class YearField(forms.IntegerField):
    openapi_schema = {"type": "integer", "minimum": 1900, "maximum": 2999}
    default_error_messages = {"invalid": "Enter a whole year, such as 2024."}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2999)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not re.match(YEAR_PATTERN, value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class StrictBooleanField(forms.Field):
    """``true`` or ``false`` (also ``1``/``0``); anything else is an error, never ignored."""

    openapi_schema = {"type": "string", "enum": BOOLEAN_VALUES}
    default_error_messages = {"invalid": "Enter true or false."}
    TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class ChoiceValueField(forms.ChoiceField):
    """A ChoiceField whose error names the accepted values."""

    def validate(self, value):
        if value and not self.valid_value(value):
            accepted = ", ".join(str(key) for key, _ in self.choices if key != "")
            # The reader's value goes in as a parameter, never into the format string itself.
            raise forms.ValidationError(
                "%(value)s is not one of: " + accepted.replace("%", "%%") + ".",
                code="invalid_choice",
                params={"value": repr(value)},
            )
        super().validate(value)


class RepeatedCSVWidget(BaseCSVWidget):
    """Reads every occurrence of its parameter: ``year=2024&year=2025`` is ``year=2024,2025``."""

    def value_from_datadict(self, data, files, name):
        given = data.getlist(name) if hasattr(data, "getlist") else []
        if len(given) > 1:
            return [item for value in given for item in value.split(",")]
        return super().value_from_datadict(data, files, name)


class OrderingValueField(ChoiceValueField, ChoiceField):
    """An ``ordering`` term: django-filter's choice field (with its empty "default order"
    choice), whose error names the accepted terms."""


class BoundedCSVField(BaseCSVField):
    """Comma-separated values (or the parameter repeated), at most MAX_CSV_VALUES of them, none of them empty."""

    base_widget_class = RepeatedCSVWidget

    def clean(self, value):
        if value is not None and len(value) > MAX_CSV_VALUES:
            raise forms.ValidationError(f"Give at most {MAX_CSV_VALUES} comma-separated values.", code="max_values")
        if value is not None and any(not str(item).strip() for item in value):
            raise forms.ValidationError(
                "An item of this comma-separated list is empty: remove the extra comma.", code="empty_item"
            )
        return super().clean(value)


class CSVFilter(filters.BaseCSVFilter):
    """Comma-separated values of one field class, combined with OR by the filter's method."""

    base_field_class = BoundedCSVField


class YearsFilter(CSVFilter, filters.NumberFilter):
    field_class = YearField


class BooleansFilter(CSVFilter):
    field_class = StrictBooleanField


class ChoicesFilter(CSVFilter):
    field_class = ChoiceValueField


class SlugField(forms.SlugField):
    openapi_schema = {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 200}


class SlugsFilter(CSVFilter, filters.CharFilter):
    """Comma-separated slugs, each a valid slug."""

    field_class = SlugField


class PositiveIntegerField(forms.Field):
    """A page number, a page size or an id: ASCII digits from 1 (to ``maximum``); empty means not given."""

    openapi_schema = {"type": "integer", "minimum": 1, "maximum": 999_999_999}

    def __init__(self, *, maximum=None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.maximum = maximum

    def to_python(self, value):
        if value in (None, ""):
            return None
        error = positive_integer_error(str(value), self.maximum)
        if error:
            raise forms.ValidationError(error, code="invalid")
        return int(value)


class IdsFilter(CSVFilter, filters.NumberFilter):
    """Comma-separated ids, each a whole number from 1."""

    field_class = PositiveIntegerField


class PageForm(forms.Form):
    """``page`` and ``page_size`` of a reader's list page, by the rule the API applies."""

    page = PositiveIntegerField()
    page_size = PositiveIntegerField(maximum=MAX_PAGE_SIZE)


class StrictPageMixin:
    """A ListView whose ``page`` follows the site's one rule: not a whole number from 1 is a 400
    saying so (the 400 page shows the message); past the last page, a 404 saying which pages exist."""

    def paginate_queryset(self, queryset, page_size):
        repeated = repeated_parameter_errors(self.request.GET, ())
        if "page" in repeated:
            raise BadRequest(f"Page: {repeated['page'][0]}")
        pages = PageForm({"page": self.request.GET.get("page", "")})
        if not pages.is_valid():
            raise BadRequest(f"Page: {' '.join(pages.errors['page'])}")
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:
            pages_there = self.get_paginator(queryset, page_size, allow_empty_first_page=True).num_pages
            first = f"{self.request.path}?{query_without_page(self.request)}".rstrip("?")
            raise ReaderNotFound(
                missing_page_message(pages.cleaned_data["page"], pages_there), links=[("The first page", first)]
            ) from None


class StrictFilterForm(forms.Form):
    """Rejects unknown parameters by name, and a lower bound above its upper bound.

    ``accepted_parameters``, ``list_parameters`` (the names that take several values) and
    ``bounds`` (pairs of a lower and an upper bound's names) are
    set from the FilterSet, by StrictFilterSet.get_form_class().
    """

    accepted_parameters = frozenset()
    list_parameters = frozenset()
    bounds = ()

    def clean(self):
        cleaned = super().clean()
        for low, high in self.bounds:
            if cleaned.get(low) is not None and cleaned.get(high) is not None and cleaned[low] > cleaned[high]:
                self.add_error(high, f"{high} must be at least {low}.")
        errors = {
            **repeated_parameter_errors(self.data, self.list_parameters),
            **unknown_parameter_errors(self.data, self.accepted_parameters),
        }
        for name, messages in errors.items():
            self._errors[name] = self.error_class(messages)
        return cleaned


class FiltersCopiedShallowly(dict):
    """A FilterSet's filters, copied one by one (not in depth) for each FilterSet made from them.

    django-filter deep-copies every filter of the class for each request, with its choices and
    arguments: about a millisecond a request for the release filters. Nothing a copy shares with
    the class's filter is changed per request (django-filter sets the copy's ``model`` and
    ``parent``; a form field is built on the copy; a ``method`` is bound to the copy again), so a
    shallow copy of each filter is enough.
    """

    def __deepcopy__(self, memo):
        return {name: _copied(filter_) for name, filter_ in self.items()}


def _copied(filter_):
    """What ``copy.copy`` makes of a filter (a new instance with the same attributes), made
    without copy's general protocol, which took a third of a catalogue's FilterSet."""
    cls = type(filter_)
    copied = cls.__new__(cls)
    copied.__dict__.update(filter_.__dict__)
    if filter_.method is not None:
        copied.method = filter_.method  # binds the copy's own filter method, which finds its parent
    return copied


class StrictFilterSet(filters.FilterSet):
    """A FilterSet whose form rejects any query parameter it does not know, naming it."""

    extra_parameters = PAGINATION_PARAMETERS
    bounds = ()  # (lower, upper) filter names whose values must not cross

    class Meta:
        form = StrictFilterForm

    @classmethod
    def get_filters(cls):
        return FiltersCopiedShallowly(super().get_filters())

    @classmethod
    def list_parameters(cls):
        """The filters that take several values, comma-separated or repeated (meaning OR)."""
        return frozenset(name for name, f in cls.base_filters.items() if isinstance(f, filters.BaseCSVFilter))

    def get_form_class(self):
        """The form class, built once per FilterSet class (not once per request)."""
        cls = type(self)
        form_class = cls.__dict__.get("_strict_form_class")
        if form_class is None:
            base = super().get_form_class()
            attributes = {
                "accepted_parameters": frozenset(cls.base_filters) | cls.extra_parameters,
                "list_parameters": cls.list_parameters(),
                "bounds": cls.bounds,
            }
            form_class = type(base.__name__, (base,), attributes)
            cls._strict_form_class = form_class
        return form_class

    def fixed_choices(self, name):
        """The choices of the filter ``name`` whose choices are fixed in the code (not read from
        the database): those of the form class every request shares, without building a form."""
        return self.get_form_class().base_fields[name].choices

    @property
    def form(self):
        """The form, with the choices of each filter whose queryset depends on the request (the
        entries this reader may see, as of now) taken for this request: the form class is
        shared by every request and holds the first one's."""
        if not hasattr(self, "_form"):
            form = super().form
            for name, filter_ in self.filters.items():
                if isinstance(filter_, filters.filters.QuerySetRequestMixin) and callable(filter_.queryset):
                    form.fields[name].queryset = filter_.get_queryset(self.request)
            if self.gives_no_filter:
                form.is_valid()  # cleaned, as after is_valid(), for whoever reads the form
        return self._form

    @cached_property
    def gives_no_filter(self):
        """Whether the query names no filter and breaks no rule of the form: each of its
        parameters is one the form leaves to others (the page's, ``extra_parameters``), given
        once. The form would then find nothing to check and every filter, given no value, would
        leave the queryset as it is (django-filter's filters return it unchanged for an empty
        value, and so do this project's), so no form is built and no filter applied: on an
        unfiltered list they cost more than the rest of the query's building."""
        return self.is_bound and self.names_no_filter(self.data)

    @classmethod
    def names_no_filter(cls, data):
        """Whether the query ``data`` names no filter of this FilterSet (``gives_no_filter``)."""
        if not all(name in cls.extra_parameters for name in data):
            return False
        return not repeated_parameter_errors(data, cls.list_parameters())

    def is_valid(self):
        return self.gives_no_filter or super().is_valid()

    def value_of(self, name):
        """The cleaned value of the filter ``name`` in a valid query (None when not given)."""
        return None if self.gives_no_filter else self.form.cleaned_data.get(name)

    @property
    def qs(self):
        if not hasattr(self, "_qs") and self.gives_no_filter:
            self._qs = self.queryset.all()
        return super().qs
