"""The one FilterSet behind both the public catalogue page and the API.

Strict like every FilterSet of the site (qwensite.filtering): a malformed value or an unknown
parameter is an error naming it; comma-separated values mean OR (``year=2024,2025``). Its
labels and choices are the ones the catalogue's form shows and the API documents.
"""

import datetime as dt
import re
from decimal import Decimal

import django_filters as filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce

from articles.models import Article
from qwensite.filtering.filters import (
    SLUG_PATTERN,
    BooleansFilter,
    BoundedCSVField,
    ChoicesFilter,
    CSVFilter,
    IdsFilter,
    OrderingValueField,
    SlugsFilter,
    StrictFilterSet,
    YearsFilter,
)
from releases.models import Architecture, Claim, Kind, ModelRelease, ReleaseSize, Source
from releases.provenance import FIELD_CHOICES, Basis, SourceKind, Tier

MAX_SIZE_B = Decimal("100000")

# What a size may look like, in plain ASCII digits (no sign, exponent or NaN); the API schema
# publishes the same pattern.
SIZE_PATTERN = r"^ *(([0-9]{1,5}(\.[0-9]{1,3})?|100000(\.0{1,3})?) *[bB]?)? *$"


class LicenceField(forms.CharField):
    """One licence as written: an SPDX expression or a named licence (letters, digits, spaces, . + - ( ))."""

    PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 .+()-]*$"
    openapi_schema = {"type": "string", "minLength": 1, "maxLength": 80, "pattern": PATTERN}
    default_error_messages = {
        "invalid": "Give a licence as written, such as Apache-2.0 or Qwen License (letters, digits, spaces, . + - ( ))."
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 80)
        super().__init__(**kwargs)
        self.validators.append(RegexValidator(self.PATTERN, message=self.error_messages["invalid"], code="invalid"))


class LicencesFilter(CSVFilter, filters.CharFilter):
    """Comma-separated licences, each matched as written (``Apache-2.0``, ``Qwen License``)."""

    field_class = LicenceField


class SizeField(forms.DecimalField):
    """Billions of parameters: ``72``, ``0.5`` or ``72B`` (plain digits only: no exponent, sign or NaN)."""

    openapi_schema = {"type": "string", "pattern": SIZE_PATTERN}
    default_error_messages = {"invalid": "Enter a size in billions of parameters, such as 72, 0.5 or 72B."}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_value", MAX_SIZE_B)
        kwargs.setdefault("max_digits", 9)
        kwargs.setdefault("decimal_places", 3)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            if not re.match(SIZE_PATTERN, value):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            value = re.sub(r"\s*[bB]$", "", value.strip())
        return super().to_python(value)


class SizesFilter(CSVFilter, filters.NumberFilter):
    field_class = SizeField
    openapi_example = "7B"  # the API docs' "Try it out" value: a size several releases have


class SizeBoundFilter(filters.NumberFilter):
    """A lower or upper size bound; the bounds are applied together in ReleaseFilter.filter_queryset.

    ``example`` is the value the API documentation offers (its "Try it out" form): realistic
    bounds that together still find releases."""

    field_class = SizeField

    def __init__(self, *args, example=None, **kwargs):
        kwargs.setdefault("method", lambda queryset, name, value: queryset)
        super().__init__(*args, **kwargs)
        self.openapi_example = example


class ArticleField(forms.ModelChoiceField):
    """An article by its slug, among those the reader may see.

    A slug of no article and a slug of one that is not published are one and the same error,
    so that the filter tells no reader that unpublished work exists; a value that is no slug
    at all is refused before any query."""

    openapi_schema = {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 200}
    widget = forms.TextInput  # a slug is typed or linked; the articles are never all listed
    default_error_messages = {
        "invalid_choice": "No article has the address %(value)s: give the last part of an article's address."
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        is_slug = isinstance(value, str) and len(value) <= 200 and re.match(SLUG_PATTERN, value)
        found = self.queryset.filter(slug=value).first() if is_slug else None
        if found is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": repr(value)}
            )
        return found


def articles_for(request):
    """The articles the catalogue may be filtered to: those ``request``'s reader may see."""
    return Article.objects.visible_to(request.user) if request is not None else Article.objects.published()


class ArticleFilter(filters.ModelChoiceFilter):
    """The releases one article tells (their source article), by the article's slug."""

    field_class = ArticleField
    openapi_example = "the-history-of-qwen"  # the API docs' "Try it out" value: the document's article


class ReleaseOrderingFilter(filters.OrderingFilter):
    """Ordering among the allowed fields, with a stable tie-breaker for pagination.

    ``labels`` names each value as readers see it (the catalogue's menu lists them in this
    order); a value without a label is accepted too and gets django-filter's own label.
    """

    base_field_class = BoundedCSVField  # at most MAX_CSV_VALUES terms, none empty
    field_class = OrderingValueField  # an unknown value is an error listing the accepted ones

    def __init__(self, *args, labels=None, **kwargs):
        self.labels = labels or {}
        super().__init__(*args, **kwargs)

    def build_choices(self, fields, labels):
        built = dict(super().build_choices(fields, labels))
        return [(value, self.labels[value]) for value in self.labels] + [
            (value, label) for value, label in built.items() if value not in self.labels
        ]

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = []
        for param in value:
            field = self.get_ordering_value(param)
            expression = F(field.lstrip("-"))
            descending = field.startswith("-")
            ordering.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True))
        return qs.order_by(*ordering, "name", "pk")


class ReleaseFilter(StrictFilterSet):
    bounds = (("min_size", "max_size"), ("min_active_size", "max_active_size"))

    year = YearsFilter(method="filter_year", label="Year", help_text="Year of release, e.g. 2024 or 2024,2025.")
    open_weights = BooleansFilter(
        method="filter_open_weights", label="Open weights", help_text="true for open-weight releases, false for closed."
    )
    disputed = BooleansFilter(
        method="filter_disputed",
        label="Sources disagree",
        help_text="true for releases where sources of the same or a higher tier disagree on a value.",
    )
    licence = LicencesFilter(
        method="filter_licence",
        label="Licence",
        help_text="A size under this licence (SPDX, such as Apache-2.0, or a named licence); comma-separated for OR.",
    )
    commercial_use = BooleansFilter(
        method="filter_commercial_use",
        label="Commercial use",
        help_text="true for releases with a size whose licence allows commercial use, false for one that does not.",
    )
    size = SizesFilter(
        method="filter_size", label="Size (billions)", help_text="A size of exactly this many billion parameters."
    )
    min_size = SizeBoundFilter(
        example="0.5",
        label="Min size (billions)",
        help_text="At least one size of at least this many billion parameters.",
    )
    max_size = SizeBoundFilter(
        example="72",
        label="Max size (billions)",
        help_text="At least one size of at most this many billion parameters.",
    )
    min_active_size = SizeBoundFilter(
        example="3",
        label="Min active size (billions)",
        help_text="Active parameters per token (total for dense models), lower bound.",
    )
    max_active_size = SizeBoundFilter(
        example="22",
        label="Max active size (billions)",
        help_text="Active parameters per token (total for dense models), upper bound.",
    )
    architecture = ChoicesFilter(
        method="filter_architecture",
        choices=Architecture.choices,
        label="Architecture",
        help_text="dense or moe: lists at least one size of that architecture.",
    )
    kind = ChoicesFilter(field_name="kind", lookup_expr="in", choices=Kind.choices, label="Kind")
    article = ArticleFilter(
        field_name="source_article",
        queryset=articles_for,
        label="Article",
        help_text="Slug of an article, e.g. the-history-of-qwen: the releases it tells.",
    )
    search = filters.CharFilter(
        method="filter_search", label="Search", max_length=200, help_text="Words in the name or summary."
    )
    ordering = ReleaseOrderingFilter(
        fields=(("release_date", "release_date"), ("name", "name"), ("max_size_b", "max_size_b")),
        labels={
            "release_date": "Oldest first",
            "name": "Name, A to Z",
            "-name": "Name, Z to A",
            "-max_size_b": "Largest first",
            "max_size_b": "Smallest first",
        },
        empty_label="Newest first",
        label="Ordering",
        help_text="release_date, name or max_size_b; prefix - for descending.",
    )

    class Meta(StrictFilterSet.Meta):
        model = ModelRelease
        fields = []

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        sizes = self._size_range_condition(data.get("min_size"), data.get("max_size"), "parameters_b")
        if sizes is not None:
            queryset = queryset.filter(Exists(ReleaseSize.objects.filter(sizes, release=OuterRef("pk"))))
        active = self._size_range_condition(data.get("min_active_size"), data.get("max_active_size"), "effective")
        if active is not None:
            matching = ReleaseSize.objects.annotate(effective=Coalesce("active_parameters_b", "parameters_b")).filter(
                active, release=OuterRef("pk")
            )
            queryset = queryset.filter(Exists(matching))
        return queryset

    @staticmethod
    def _size_range_condition(low, high, field):
        if low is None and high is None:
            return None
        condition = Q()
        if low is not None:
            condition &= Q(**{f"{field}__gte": low})
        if high is not None:
            condition &= Q(**{f"{field}__lte": high})
        return condition

    def filter_year(self, queryset, name, value):
        condition = Q()
        for year in value:
            condition |= Q(release_date__gte=dt.date(year, 1, 1), release_date__lt=dt.date(year + 1, 1, 1))
        return queryset.filter(condition)

    def filter_open_weights(self, queryset, name, value):
        return queryset.filter(open_weights__in=set(value))

    def filter_licence(self, queryset, name, value):
        return queryset.filter(Exists(ReleaseSize.objects.filter(release=OuterRef("pk"), licence__in=value)))

    def filter_commercial_use(self, queryset, name, value):
        return queryset.filter(
            Exists(ReleaseSize.objects.filter(release=OuterRef("pk"), commercial_use__in=set(value)))
        )

    def filter_disputed(self, queryset, name, value):
        return queryset.filter(disputed__in=set(value))

    def filter_size(self, queryset, name, value):
        return queryset.filter(Exists(ReleaseSize.objects.filter(release=OuterRef("pk"), parameters_b__in=value)))

    def filter_architecture(self, queryset, name, value):
        return queryset.filter(Exists(ReleaseSize.objects.filter(release=OuterRef("pk"), architecture__in=value)))

    def filter_search(self, queryset, name, value):
        condition = Q()
        for word in value.split():
            condition &= Q(name__icontains=word) | Q(summary__icontains=word)
        return queryset.filter(condition)


class ReleaseAPIFilter(ReleaseFilter):
    """The API's release filters: the catalogue's, beside which a read may ask to ``expand``."""

    extra_parameters = ReleaseFilter.extra_parameters | {"expand"}


class ReleaseSizeFilter(StrictFilterSet):
    """Sizes by release (slugs, comma-separated) and architecture."""

    release = SlugsFilter(
        field_name="release__slug", lookup_expr="in", label="Release", help_text="Slug of the release, e.g. qwen-2."
    )
    architecture = ChoicesFilter(field_name="architecture", lookup_expr="in", choices=Architecture.choices)
    licence = LicencesFilter(
        field_name="licence", lookup_expr="in", label="Licence", help_text="SPDX or named licence."
    )
    commercial_use = BooleansFilter(field_name="commercial_use", lookup_expr="in", help_text="Commercial use allowed.")

    class Meta(StrictFilterSet.Meta):
        model = ReleaseSize
        fields = []


class SourceFilter(StrictFilterSet):
    """Sources by kind and tier."""

    kind = ChoicesFilter(field_name="kind", lookup_expr="in", choices=SourceKind.choices)
    tier = ChoicesFilter(field_name="tier", lookup_expr="in", choices=[(str(t.value), t.label) for t in Tier])

    class Meta(StrictFilterSet.Meta):
        model = Source
        fields = []


class ClaimFilter(StrictFilterSet):
    """Claims by release, size, field, source and basis; disputed and preferred ones."""

    release = SlugsFilter(
        field_name="release__slug", lookup_expr="in", label="Release", help_text="Slug of the release."
    )
    size = IdsFilter(field_name="size", lookup_expr="in", label="Size", help_text="Id of the size (checkpoint).")
    field = ChoicesFilter(field_name="field", lookup_expr="in", choices=FIELD_CHOICES)
    source = IdsFilter(field_name="source", lookup_expr="in", label="Source", help_text="Id of the source.")
    basis = ChoicesFilter(field_name="basis", lookup_expr="in", choices=Basis.choices)
    disputed = BooleansFilter(field_name="disputed", lookup_expr="in", help_text="true for claims of a disputed field.")
    preferred = BooleansFilter(
        field_name="preferred", lookup_expr="in", help_text="true for the values the catalogue shows."
    )

    class Meta(StrictFilterSet.Meta):
        model = Claim
        fields = []
