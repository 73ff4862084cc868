"""The editors' admin for the release catalogue: releases with their sizes inline."""

import datetime as dt

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from import_export.admin import ImportExportMixin

from articles.forms import SectionListInput, SectionSelect, article_sections
from qwensite.editorial.admin import EditorialAdmin, EditorialForm, PlainDecimalField
from qwensite.editorial.imports import BoundedImportForm
from qwensite.editorial.revisions import Follow
from qwensite.spreadsheets.formats import CSV, JSON
from releases.models import Architecture, Claim, ModelRelease, ReleaseSize, Source
from releases.provenance import STALE_AFTER
from releases.resources import ReleaseResource

# Sizes deleted along with their release are recorded within this time of it.
CASCADE_WINDOW = dt.timedelta(seconds=5)


class ReleaseYearFilter(admin.SimpleListFilter):
    title = "release year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = ModelRelease.objects.dates("release_date", "year", order="DESC")
        return [(str(year.year), str(year.year)) for year in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(release_date__year=self.value())
        return queryset


class ArchitectureFilter(admin.SimpleListFilter):
    title = "architecture"
    parameter_name = "architecture"

    def lookups(self, request, model_admin):
        return Architecture.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(sizes__architecture=self.value()).distinct()
        return queryset


SIZE_FIELDS = ["label", "parameters_b", "active_parameters_b", "architecture"]
# The field each of ReleaseSize's check constraints is about, and what to do about a violation.
SIZE_CONSTRAINT_FIELDS = {
    "size_parameters_positive": ("parameters_b", ""),
    "size_active_not_above_total": (
        "active_parameters_b",
        "Give a number above zero and at most the total ({total}B).",
    ),
    "size_active_only_for_moe": (
        "active_parameters_b",
        "Choose that architecture, or leave active parameters empty.",
    ),
}


class ReleaseSizeForm(forms.ModelForm):
    class Meta:
        model = ReleaseSize
        fields = SIZE_FIELDS
        field_classes = {"parameters_b": PlainDecimalField, "active_parameters_b": PlainDecimalField}
        error_messages = {"label": {"unique": "This release already has a size with that label."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A tabular inline shows labels only as column headings: name each input too.
        for name in SIZE_FIELDS:
            if name in self.fields:
                self.fields[name].widget.attrs.setdefault("aria-label", capfirst(self.fields[name].label))

    def clean(self):
        cleaned = super().clean()
        self.place_constraint_errors(cleaned)
        return cleaned

    def place_constraint_errors(self, cleaned):
        """Check the model's constraints here, each message on the field it is about.

        ModelForm validation checks them too, but reports a violated CheckConstraint on the
        form as a whole (above the inline's row). The rules stay the model's (its constraints);
        this adds only where each message goes and a hint on how to fix it. A field with an
        error is then left out of ModelForm's own check, so no message is given twice.
        """
        candidate = ReleaseSize(**{name: cleaned[name] for name in SIZE_FIELDS if name in cleaned})
        for constraint in ReleaseSize._meta.constraints:
            field, hint = SIZE_CONSTRAINT_FIELDS.get(constraint.name, (None, ""))
            if field is None or field in self.errors:
                continue
            unchecked = set(self.errors) | (set(SIZE_FIELDS) - set(cleaned))  # fields without a valid value
            try:
                constraint.validate(ReleaseSize, candidate, exclude=unchecked)
            except ValidationError as error:
                total = cleaned.get("parameters_b")
                hint = hint.format(total=f"{total.normalize():f}" if total is not None else "?")
                self.add_error(field, " ".join([*error.messages, hint]).strip())


class ReleaseSizeFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = "Delete this size"


class ReleaseSizeInline(admin.TabularInline):
    model = ReleaseSize
    form = ReleaseSizeForm
    formset = ReleaseSizeFormSet
    extra = 1
    min_num = 0


class ClaimForm(forms.ModelForm):
    """A claim's locator suggests the headings of the site's articles, and accepts a page or a
    line for any other source: the source is picked in the same form, so the choice cannot be
    narrowed to one article before it is saved; the model checks the anchor against the chosen
    source's article (Claim.clean)."""

    class Meta:
        model = Claim
        fields = [
            "release",
            "size",
            "field",
            "value",
            "preferred",
            "source",
            "locator",
            "basis",
            "quote",
            "derivation",
            "as_of",
            "checked_on",
            "note",
        ]
        widgets = {"locator": SectionListInput()}


class ClaimInline(admin.StackedInline):
    """The claims of a release and of its sizes, edited with the release."""

    model = Claim
    form = ClaimForm
    fk_name = "release"
    extra = 0
    autocomplete_fields = ["source"]
    fields = [
        ("field", "size", "value", "preferred"),
        "source",
        ("locator", "basis"),
        "quote",
        "derivation",
        ("as_of", "checked_on"),
        "note",
    ]
    verbose_name_plural = "claims: where each value comes from"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "locator":  # the headings read once for all the claims of the page
            kwargs["widget"] = SectionListInput(sections=article_sections())
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "size":
            release_pk = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = (
                ReleaseSize.objects.filter(release_id=release_pk) if release_pk else ReleaseSize.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReleaseForm(EditorialForm):
    class Meta:
        model = ModelRelease
        fields = "__all__"
        # The headings of the site's articles, by article; the model checks the chosen one
        # belongs to the source article and holds the passage (ModelRelease.clean).
        widgets = {"source_section": SectionSelect()}
        error_messages = {
            "slug": {"unique": "Another release already uses this slug: choose a different one."},
            "source_article": {
                "required": "Every release needs a source: choose the article that tells its story.",
            },
            "source_section": {"required": "Give the anchor of the section of the source article."},
            "source_quote": {"required": "Quote the source passage this release rests on."},
        }


def claim_label(claim):
    """A claim in words, by what it gives: "the context length", "the total parameters of Qwen3-8B"."""
    target = ""
    if claim.size_id is not None:
        label = ReleaseSize._base_manager.filter(pk=claim.size_id).values_list("label", flat=True).first()
        target = f" of {label or 'a deleted size'}"
    return f"for the {claim.get_field_display().lower()}{target}"


# A release's revision holds its sizes and its claims: reverting restores all of them.
RELEASE_FOLLOWS = (
    Follow(
        name="sizes",
        model=ReleaseSize,
        fk="release_id",
        label=lambda size: size.label,
        primary="parameters_b",
        units={"parameters_b": "B", "active_parameters_b": "B"},
        noun="size",
    ),
    Follow(
        name="claims",
        model=Claim,
        fk="release_id",
        label=claim_label,
        noun="claim",
    ),
)


@admin.register(ModelRelease)
class ModelReleaseAdmin(ImportExportMixin, EditorialAdmin):
    form = ReleaseForm
    resource_classes = [ReleaseResource]
    formats = [CSV, JSON]  # CSV quotes formula cells (qwensite.spreadsheets.formats)
    import_form_class = BoundedImportForm
    import_template_name = "admin/editorial/import.html"
    inlines = [ReleaseSizeInline, ClaimInline]
    revision_follows = RELEASE_FOLLOWS
    list_display = [
        "name",
        "release_date_column",
        "access",  # says "Open weights" where they are: no column of its own for the derived flag
        "kind",
        "size_range",
        "publication_state",
        "view_link",
    ]
    list_filter = ["status", ReleaseYearFilter, "open_weights", "access", "kind", ArchitectureFilter]
    search_fields = ["name", "slug", "summary", "sizes__label"]
    date_hierarchy = "release_date"
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["predecessor", "source_article"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "release_date", "date_precision", "access", "kind", "context_length"]}),
        ("Description", {"fields": ["summary", "notable_claims", "predecessor", "sizes_are_range"]}),
        ("Source", {"fields": ["source_article", "source_section", "source_quote"]}),
        ("Publication", {"fields": ["status", "published_at", "public_link", "version"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset, may_have_duplicates or bool(search_term)

    @admin.display(description="released", ordering="release_date")
    def release_date_column(self, obj):
        return obj.release_date_display

    @admin.display(description="sizes (B)", ordering="max_size_b")
    def size_range(self, obj):
        if obj.min_size_b is None:
            return "—"
        low, high = obj.min_size_b.normalize(), obj.max_size_b.normalize()
        return f"{low:f}" if low == high else f"{low:f} to {high:f}"

    @admin.display(description="page")
    def view_link(self, obj):
        return format_html('<a href="{}">View</a>', obj.get_absolute_url())

    def recover_related(self, request, instance, record):
        """Bring back the sizes deleted together with the release."""
        deleted_sizes = (
            ReleaseSize.history.filter(release_id=instance.pk, history_type="-")
            .filter(history_date__range=(record.history_date - CASCADE_WINDOW, record.history_date + CASCADE_WINDOW))
            .exclude(id__in=ReleaseSize.objects.values("id"))
            .order_by("id", "-history_date")
        )
        seen = set()
        for size_record in deleted_sizes:
            if size_record.id in seen:
                continue
            seen.add(size_record.id)
            size = size_record.instance
            size._history_user = request.user
            size.save(force_insert=True)


class StaleFilter(admin.SimpleListFilter):
    title = "checked"
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", "Not checked for 12 months (external sources)")]

    def queryset(self, request, queryset):
        return queryset.stale() if self.value() == "yes" else queryset


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "publisher", "tier", "published_on", "accessed_on"]
    list_filter = ["kind", "tier"]
    search_fields = ["title", "publisher", "url", "note"]
    autocomplete_fields = ["article"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = [
        ("kind", "tier"),
        "title",
        "publisher",
        "article",
        "url",
        ("published_on", "published_precision"),
        "accessed_on",
        "archive_url",
        "note",
    ]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    form = ClaimForm
    list_display = ["__str__", "source", "basis", "preferred", "disputed", "checked_on", "is_stale"]
    list_filter = [StaleFilter, "disputed", "preferred", "basis", "field", "source__tier"]
    search_fields = ["release__name", "size__label", "quote", "source__title"]
    autocomplete_fields = ["release", "source"]
    list_select_related = ["release", "size", "source"]

    @admin.display(boolean=True, description="stale")
    def is_stale(self, obj):
        if not obj.source.is_external:
            return False
        return obj.checked_on is None or obj.checked_on < timezone.localdate() - STALE_AFTER
