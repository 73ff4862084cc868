"""The API's representation of releases and their sizes.

The declared fields describe the contract (for the schema) and validate writes; reading builds
each row as a plain dict, because a catalogue list is read far more often than it is written
and DRF's field-by-field machinery would otherwise dominate the request.
"""

from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import prefetch_related_objects
from django.utils.functional import cached_property
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.models import Article
from qwensite.editorial.publishing import sees_drafts
from qwensite.freshness.fragments import VERSION_FIELDS, KeptRows, version_of
from qwensite.rest.fields import (
    Links,
    StrictCharField,
    StrictDecimalField,
    StrictModelSerializer,
    StrictSlugField,
    timestamp,
)
from releases.models import Architecture, Claim, ModelRelease, ReleaseSize, Source


def number(value):
    """A decimal count of billions as a JSON number (null stays null)."""
    return None if value is None else float(value)


class ReleaseSizeFieldsMixin:
    def size_dict(self, size):
        return {
            "id": size.pk,
            "label": size.label,
            "parameters_b": number(size.parameters_b),
            "active_parameters_b": number(size.active_parameters_b),
            "architecture": size.architecture or None,
            "context_native": size.context_native,
            "context_extended": size.context_extended,
            "licence": size.licence or None,
            "commercial_use": size.commercial_use,
        }


SIZE_TERMS = ["context_native", "context_extended", "licence", "commercial_use"]


class NestedSizeSerializer(ReleaseSizeFieldsMixin, StrictModelSerializer):
    """A size as listed inside its release (read-only there: sizes are written at /api/v1/sizes/)."""

    parameters_b = serializers.FloatField(read_only=True, help_text="Total parameters, in billions.")
    active_parameters_b = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Active parameters per token for mixture-of-experts; null for dense."
    )

    licence = serializers.CharField(
        read_only=True, allow_null=True, help_text="SPDX or named licence; null: not stated."
    )
    architecture = serializers.ChoiceField(
        choices=Architecture.choices, read_only=True, allow_null=True, help_text="dense or moe; null: not stated."
    )

    class Meta:
        model = ReleaseSize
        fields = ["id", "label", "parameters_b", "active_parameters_b", "architecture", *SIZE_TERMS]
        read_only_fields = fields


class ReleaseSizeSerializer(ReleaseSizeFieldsMixin, StrictModelSerializer):
    """A size on its own endpoint, where editors create, change and delete sizes."""

    url = serializers.URLField(read_only=True)
    release = serializers.SlugRelatedField(
        slug_field="slug", queryset=ModelRelease.objects.all(), help_text="Slug of the release this size belongs to."
    )
    parameters_b = StrictDecimalField(
        max_digits=9, decimal_places=3, min_value=Decimal("0.001"), help_text="Total parameters, in billions."
    )
    active_parameters_b = StrictDecimalField(
        max_digits=9,
        decimal_places=3,
        min_value=Decimal("0.001"),
        allow_null=True,
        required=False,
        help_text="Active parameters per token, for a mixture-of-experts size only; null for dense.",
    )

    licence = StrictCharField(
        max_length=120,
        allow_blank=True,
        allow_null=True,
        required=False,
        help_text="An SPDX expression or a named licence; null or empty where the source does not say.",
    )
    architecture = serializers.ChoiceField(
        choices=Architecture.choices,
        allow_blank=True,
        allow_null=True,
        required=False,
        help_text="dense or moe; null or empty where the source does not say.",
    )

    class Meta:
        model = ReleaseSize
        fields = ["id", "url", "release", "label", "parameters_b", "active_parameters_b", "architecture", *SIZE_TERMS]
        validators = []  # the model's constraints are checked by full_clean() in the write

    @cached_property
    def links(self):
        return Links(lookup="pk", api="api:size-detail")

    def validate_licence(self, value):
        return value or ""  # not stated is stored as empty text, as in the admin

    def validate_architecture(self, value):
        return value or ""

    def create(self, validated_data):
        return self.save_instance(ReleaseSize(), validated_data)

    def update(self, instance, validated_data):
        return self.save_instance(instance, validated_data)

    def to_representation(self, size):
        return {
            **self.size_dict(size),
            "url": self.links("api", size.pk),
            "release": release_slug(size),
        }


def annotated(instance, name, fallback):
    """A value the list's queryset annotates (no query per row), or ``fallback(instance)`` without it."""
    if name in instance.__dict__:
        return instance.__dict__[name]
    return fallback(instance)


def release_slug(size):
    return annotated(size, "release_slug", lambda s: s.release.slug)


class NullWhenHidden:
    """A field required in a request but null in a response whose target the client may not see."""


class NullWhenHiddenExtension(OpenApiSerializerFieldExtension):
    """The schema says so: nullable in responses only."""

    target_class = NullWhenHidden
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        return {**schema, "nullable": True} if direction == "response" else schema


class SourceArticleField(NullWhenHidden, serializers.SlugRelatedField):
    pass


class SourceSectionField(NullWhenHidden, StrictSlugField):
    pass


class SourceSerializer(serializers.Serializer):
    """Where the article tells this release's story.

    When the article is not yet published (and the client may not see drafts), ``article``,
    ``section`` and ``url`` are null: a reader never learns that a draft exists.
    """

    article = SourceArticleField(
        source="source_article",
        slug_field="slug",
        queryset=Article.objects.all(),
        help_text="Slug of the article (null in a response while the article is not published).",
    )
    section = SourceSectionField(
        source="source_section",
        max_length=120,
        help_text="Anchor of the article section (null in a response with the article).",
    )
    url = serializers.URLField(
        read_only=True,
        allow_null=True,
        help_text="The article page at that section: /articles/<slug>/#<section>; null with the article.",
    )
    quote = StrictCharField(source="source_quote", max_length=2000, help_text="The passage, quoted verbatim.")


@extend_schema_field({"type": "string", "nullable": True, "description": "Slug of the previous release."})
class PredecessorField(serializers.SlugRelatedField):
    pass


REPRESENTATION_FORMAT = "release-v1"  # the kept representation's name; each build of the code keeps its own


class ReleaseListSerializer(serializers.ListSerializer):
    """A list of releases, each representation kept per release version (qwensite.freshness.fragments).

    The list's queryset leaves the sizes out (``ReleaseViewSet``): they are read, in one query,
    only for the releases whose representation is not kept yet, so a page of kept releases is
    one query. Claims (``expand=claims``) depend on the client's rights and are built each time.
    """

    def to_representation(self, data):
        releases = list(data.all() if hasattr(data, "all") else data)
        child = self.child
        if self.context.get("expand_claims"):
            prefetch_related_objects(releases, "sizes")
            return [child.to_representation(release) for release in releases]
        return child.kept_rows().kept(
            releases, child.to_representation, prepare=lambda missing: prefetch_related_objects(missing, "sizes")
        )


class ReleaseSerializer(ReleaseSizeFieldsMixin, StrictModelSerializer):
    url = serializers.URLField(read_only=True, help_text="This release in the API.")
    web_url = serializers.URLField(read_only=True, help_text="This release's page on the site.")
    year = serializers.IntegerField(read_only=True)
    open_weights = serializers.BooleanField(read_only=True, help_text="Derived from access.")
    sizes = NestedSizeSerializer(many=True, read_only=True)
    min_size_b = serializers.FloatField(read_only=True, allow_null=True)
    max_size_b = serializers.FloatField(read_only=True, allow_null=True)
    predecessor = PredecessorField(
        slug_field="slug", queryset=ModelRelease.objects.all(), allow_null=True, required=False
    )
    source = SourceSerializer(source="*")
    published_at = serializers.DateTimeField(allow_null=True, required=False)
    updated_at = serializers.DateTimeField(read_only=True)
    version = serializers.IntegerField(read_only=True, help_text="Increases with every change.")

    class Meta:
        model = ModelRelease
        fields = [
            "slug",
            "name",
            "url",
            "web_url",
            "release_date",
            "date_precision",
            "year",
            "open_weights",
            "access",
            "context_length",
            "kind",
            "sizes",
            "min_size_b",
            "max_size_b",
            "summary",
            "notable_claims",
            "predecessor",
            "source",
            "status",
            "published_at",
            "updated_at",
            "version",
        ]
        validators = []  # the model's constraints are checked by full_clean() in the write
        list_serializer_class = ReleaseListSerializer

    @cached_property
    def links(self):
        return Links(api="api:release-detail", web="releases:detail", article="articles:detail")

    def kept_rows(self):
        """How the representations are kept: per release version (representation_version),
        read by ReleaseListSerializer and, for a page answered from them, by its paginator. The
        address the links are made of is what that version reads besides the release (its context)."""
        return KeptRows(REPRESENTATION_FORMAT, self.representation_version, VERSION_FIELDS, self.links("web", ""))

    def representation_version(self, release):
        """What the representation of ``release`` depends on: its saved version (a change of its
        sizes moves its ``updated_at``), what the client may see of its article and predecessor,
        and the site's public address its links are made of."""
        article_slug = annotated(release, "source_slug", lambda r: self.visible_slug(r.source_article))
        predecessor = annotated(release, "predecessor_slug", lambda r: self.visible_slug(r.predecessor))
        return version_of(release, article_slug, predecessor, self.links("web", ""))

    def visible_slug(self, entry):
        """The slug of a related entry the client may see, else None (for rows not annotated by the list)."""
        if entry is None:
            return None
        request = self.context.get("request")
        user = request.user if request is not None else AnonymousUser()
        return entry.slug if entry.is_published or sees_drafts(user, type(entry)) else None

    def to_representation(self, release):
        links = self.links
        slug = release.slug
        article_slug = annotated(release, "source_slug", lambda r: self.visible_slug(r.source_article))
        predecessor = annotated(release, "predecessor_slug", lambda r: self.visible_slug(r.predecessor))
        data = {
            "slug": slug,
            "name": release.name,
            "url": links("api", slug),
            "web_url": links("web", slug),
            "release_date": release.release_date.isoformat(),
            "date_precision": release.date_precision,
            "year": release.release_date.year,
            "open_weights": release.open_weights,
            "access": release.access,
            "context_length": release.context_length,
            "kind": release.kind,
            "sizes": [self.size_dict(size) for size in release.sizes.all()],
            "min_size_b": number(release.min_size_b),
            "max_size_b": number(release.max_size_b),
            "summary": release.summary,
            "notable_claims": release.notable_claims,
            "predecessor": predecessor,
            "source": {
                "article": article_slug,
                "section": release.source_section if article_slug else None,
                "url": f"{links('article', article_slug)}#{release.source_section}" if article_slug else None,
                "quote": release.source_quote,
            },
            "status": release.status,
            "published_at": timestamp(release.published_at),
            "updated_at": timestamp(release.updated_at),
            "version": release.version,
        }
        if self.context.get("expand_claims"):
            claims = ClaimSerializer(context=self.context)
            data["claims"] = [claims.to_representation(claim) for claim in release.claims.all()]
        return data

    def create(self, validated_data):
        return self.save_instance(ModelRelease(), validated_data)

    def update(self, instance, validated_data):
        return self.save_instance(instance, validated_data)


class SourceRecordSerializer(StrictModelSerializer):
    """A source of the register. Editors add and change sources here as in the admin (https only,
    an article of this site linked by its slug, an accessed date for an external source); a
    source that claims cite cannot be deleted (409 naming them)."""

    url = serializers.URLField(read_only=True, help_text="This source in the API.")
    address = StrictCharField(
        source="url",
        max_length=500,
        allow_blank=True,
        required=False,
        help_text="The source's https:// address; empty for an article of this site.",
    )
    article = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Article.objects.all(),
        allow_null=True,
        required=False,
        help_text="For an article of this site: its slug.",
    )
    link = serializers.URLField(read_only=True, help_text="Where to read it: its page on this site, or its address.")
    archive_url = StrictCharField(
        max_length=500, allow_blank=True, required=False, help_text="An archived copy (https); empty if none."
    )

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "kind",
            "title",
            "publisher",
            "address",
            "article",
            "link",
            "published_on",
            "published_precision",
            "accessed_on",
            "archive_url",
            "tier",
            "note",
        ]
        validators = []  # the model's constraints are checked by full_clean() in the write

    def create(self, validated_data):
        return self.save_instance(Source(), validated_data)

    def update(self, instance, validated_data):
        return self.save_instance(instance, validated_data)

    @cached_property
    def links(self):
        return Links(lookup="pk", api="api:source-detail")

    def to_representation(self, source):
        return {
            "id": source.pk,
            "url": self.links("api", source.pk),
            "kind": source.kind,
            "title": source.title,
            "publisher": source.publisher,
            "address": source.url,
            "article": source.article.slug if source.article_id else None,
            "link": source.public_link,
            "published_on": source.published_on.isoformat() if source.published_on else None,
            "published_precision": source.published_precision,
            "accessed_on": source.accessed_on.isoformat() if source.accessed_on else None,
            "archive_url": source.archive_url,
            "tier": source.tier,
            "note": source.note,
        }


class ClaimSerializer(StrictModelSerializer):
    """One value of one field of a release or a size, with its source and passage.

    Editors write claims here as in the admin: the same rules (a typed value, a verbatim passage
    for an article of this site, one preferred claim per field), and a preferred claim moves the
    release's value. Reads build each row as a plain dict."""

    url = serializers.URLField(read_only=True, help_text="This claim in the API.")
    release = serializers.SlugRelatedField(
        slug_field="slug", queryset=ModelRelease.objects.all(), help_text="Slug of the release the value is about."
    )
    size_label = serializers.CharField(
        read_only=True, allow_null=True, help_text="The size's name, for a size's field."
    )
    value_display = serializers.CharField(read_only=True, help_text='The value as readers see it ("September 2023").')
    disputed = serializers.BooleanField(
        read_only=True, help_text="Its field's sources of the same or a higher tier disagree."
    )

    class Meta:
        model = Claim
        fields = [
            "id",
            "url",
            "release",
            "size",
            "size_label",
            "field",
            "value",
            "value_display",
            "source",
            "quote",
            "locator",
            "basis",
            "derivation",
            "as_of",
            "checked_on",
            "preferred",
            "disputed",
            "note",
        ]
        validators = []  # the model's constraints are checked by full_clean() in the write

    def create(self, validated_data):
        return self.save_instance(Claim(), validated_data)

    def update(self, instance, validated_data):
        return self.save_instance(instance, validated_data)

    @cached_property
    def links(self):
        return Links(lookup="pk", api="api:claim-detail")

    def to_representation(self, claim):
        return {
            "id": claim.pk,
            "url": self.links("api", claim.pk),
            "release": claim.release.slug,
            "size": claim.size_id,
            "size_label": claim.size.label if claim.size_id else None,
            "field": claim.field,
            "value": claim.value,
            "value_display": claim.value_display,
            "source": claim.source_id,
            "quote": claim.quote,
            "locator": claim.locator,
            "basis": claim.basis,
            "derivation": claim.derivation,
            "as_of": claim.as_of.isoformat() if claim.as_of else None,
            "checked_on": claim.checked_on.isoformat() if claim.checked_on else None,
            "preferred": claim.preferred,
            "disputed": claim.disputed,
            "note": claim.note,
        }
