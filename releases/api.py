"""The release catalogue in the API: releases, their sizes, and a citation for each release."""

from django.db.models import F, Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from articles.models import Article
from qwensite.editorial.publishing import sees_drafts, visible_slug
from qwensite.freshness.prepared import PreparedList
from qwensite.rest.pagination import PageNumberOrCursorPagination
from qwensite.rest.renderers import BibTeXRenderer
from qwensite.rest.views import StrictAPIViewMixin
from qwensite.rest.writes import delete_entry
from releases import names
from releases.citations import release_citation
from releases.filters import ClaimFilter, ReleaseAPIFilter, ReleaseSizeFilter, SourceFilter
from releases.models import Claim, ModelRelease, ReleaseSize, Source
from releases.serializers import ClaimSerializer, ReleaseSerializer, ReleaseSizeSerializer, SourceRecordSerializer

EXPAND = "expand"
EXPANSIONS = ("claims",)
EXPAND_PARAMETER = OpenApiParameter(
    EXPAND,
    str,
    OpenApiParameter.QUERY,
    enum=list(EXPANSIONS),
    description="claims: add each release's claims (value, source, passage, basis) under `claims`.",
)


class ReleaseQuerySetMixin:
    def get_queryset(self):
        return self.releases_at()

    def releases_at(self, now=None):
        """The releases this client may see at ``now`` (by default the present)."""
        user = self.request.user
        queryset = (
            ModelRelease.objects.visible_to(user, now)
            .annotate(
                source_slug=visible_slug("source_article", Article, user, now),
                predecessor_slug=visible_slug("predecessor", ModelRelease, user, now),
            )
            .order_by("-release_date", "name", "pk")
        )
        # A list reads the sizes only of the releases whose representation is not kept yet
        # (releases.serializers.ReleaseListSerializer).
        return queryset.for_lists() if self.action == "list" else queryset.with_sizes()


@extend_schema_view(
    list=extend_schema(
        summary="List releases",
        description="Releases, newest first, filtered and paginated.",
        parameters=[EXPAND_PARAMETER],
    ),
    retrieve=extend_schema(summary="One release", parameters=[EXPAND_PARAMETER]),
    create=extend_schema(summary="Add a release"),
    update=extend_schema(summary="Replace a release"),
    partial_update=extend_schema(summary="Change a release"),
    destroy=extend_schema(summary="Delete a release"),
)
class ReleaseViewSet(StrictAPIViewMixin, ReleaseQuerySetMixin, viewsets.ModelViewSet):
    """The release catalogue. Anonymous clients see published, due releases; editors also see drafts."""

    serializer_class = ReleaseSerializer
    filterset_class = ReleaseAPIFilter
    pagination_class = PageNumberOrCursorPagination  # the long list: pages by cursor too
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    read_parameters = frozenset({EXPAND})
    # The CSV names each size's licence and commercial use after its label (CSVListRenderer).
    csv_item_columns = {"sizes": ["licence", "commercial_use"]}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        given = request.query_params.getlist(EXPAND)
        if any(value not in EXPANSIONS for value in given):
            raise exceptions.ValidationError({EXPAND: [f"Give {', '.join(EXPANSIONS)}, or leave it out."]})
        self.expand_claims = "claims" in given

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "expand_claims", False):
            readable = Claim.objects.readable_by(self.request.user)
            queryset = queryset.prefetch_related(Prefetch("claims", queryset=readable.select_related("size")))
        return queryset

    def prepared_list(self):
        """The list as asked, when it names no filter: its pages are read by SQL kept per
        process and audience (qwensite.freshness.prepared); None for any other list."""
        if self.action != "list" or getattr(self, "expand_claims", False):
            return None
        if not self.filterset_class.names_no_filter(self.request.query_params):
            return None
        user = self.request.user
        audience = (sees_drafts(user, Article), sees_drafts(user, ModelRelease))
        return PreparedList(("api:release-list", *audience), self.releases_at)

    def kept_rows(self):
        """How the list's representations are kept (ReleaseListSerializer), for its paginator to
        answer a page from them without reading its releases whole."""
        return self.get_serializer().kept_rows()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "expand_claims": getattr(self, "expand_claims", False)}

    def perform_destroy(self, instance):
        delete_entry(instance)

    def not_found_message(self, value):
        close = names.suggestions(value, ModelRelease.objects.published())
        message = f"No release called “{value}”."
        if close:
            message += " Close matches: " + ", ".join(release.slug for release in close) + "."
        return message

    @extend_schema(
        summary="Cite a release",
        description="A BibTeX entry for the release, its page and the passage of the article that tells its story.",
        responses={(200, "text/x-bibtex"): OpenApiResponse(OpenApiTypes.STR, description="A BibTeX @misc entry.")},
    )
    @action(detail=True, methods=["get"], renderer_classes=[BibTeXRenderer], pagination_class=None)
    def cite(self, request, slug=None):
        release = self.get_object()
        entry = release_citation(release)
        response = Response(entry, content_type="text/x-bibtex; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{release.slug}.bib"'
        return response


@extend_schema_view(
    list=extend_schema(summary="List sizes", description="Sizes of the releases you may see, filtered by release."),
    retrieve=extend_schema(summary="One size"),
    create=extend_schema(summary="Add a size to a release"),
    update=extend_schema(summary="Replace a size"),
    partial_update=extend_schema(summary="Change a size"),
    destroy=extend_schema(summary="Delete a size"),
)
class ReleaseSizeViewSet(StrictAPIViewMixin, viewsets.ModelViewSet):
    """Sizes of releases, with their own endpoint for writes (a release lists its sizes read-only)."""

    serializer_class = ReleaseSizeSerializer
    filterset_class = ReleaseSizeFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        visible = ModelRelease.objects.visible_to(self.request.user)
        return ReleaseSize.objects.filter(release__in=visible).annotate(release_slug=F("release__slug"))

    def perform_destroy(self, instance):
        delete_entry(instance)


@extend_schema_view(
    list=extend_schema(summary="List sources", description="The register of sources the claims cite."),
    retrieve=extend_schema(summary="A source"),
    create=extend_schema(summary="Add a source"),
    update=extend_schema(summary="Replace a source"),
    partial_update=extend_schema(summary="Change a source"),
    destroy=extend_schema(summary="Delete a source", description="A source that claims cite is a 409 naming them."),
)
class SourceViewSet(StrictAPIViewMixin, viewsets.ModelViewSet):
    """The sources of the catalogue's values; an article of this site is listed once readers can see it."""

    serializer_class = SourceRecordSerializer
    filterset_class = SourceFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return Source.objects.readable_by(self.request.user).select_related("article").order_by("tier", "title", "pk")

    def perform_destroy(self, instance):
        delete_entry(instance)


@extend_schema_view(
    list=extend_schema(
        summary="List claims",
        description="Every value of a release or a size with its source, passage and basis; several per field "
        "where sources differ, one of them preferred.",
    ),
    retrieve=extend_schema(summary="A claim"),
    create=extend_schema(summary="Add a claim", description="A preferred claim sets the value the catalogue shows."),
    update=extend_schema(summary="Replace a claim"),
    partial_update=extend_schema(summary="Change a claim"),
    destroy=extend_schema(summary="Delete a claim"),
)
class ClaimViewSet(StrictAPIViewMixin, viewsets.ModelViewSet):
    """Claims of the releases this client may see, citing the sources it may see; editors write them."""

    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        user = self.request.user
        return (
            Claim.objects.filter(release__in=ModelRelease.objects.visible_to(user))
            .readable_by(user)
            .select_related("release", "size")
            .order_by("release__release_date", "release__name", "size__parameters_b", "field", "-preferred", "pk")
        )

    def perform_destroy(self, instance):
        delete_entry(instance)
