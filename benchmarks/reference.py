"""The benchmark's reference: the release list as a plain, default DRF ListAPIView.

A ModelSerializer of the releases with their sizes nested, DRF's own page-number pagination
(the site's page size), no filters, no throttle, no conditional GET or stored answers of the
site's views: what the API list would cost written the default way. It is routed only by
benchmarks.urls (the bench server's URLconf), never in production, so the benchmark can print
the site's list as a ratio to it, measured on the same server and data.
"""

from rest_framework import generics, pagination, permissions, renderers, serializers

from releases.models import ModelRelease, ReleaseSize


class ReferenceSizeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReleaseSize
        fields = ["id", "label", "parameters_b", "active_parameters_b", "architecture", "licence"]


class ReferenceReleaseSerializer(serializers.ModelSerializer):
    sizes = ReferenceSizeSerializer(many=True, read_only=True)
    source_article = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ModelRelease
        fields = [
            "slug",
            "name",
            "release_date",
            "date_precision",
            "open_weights",
            "access",
            "context_length",
            "kind",
            "sizes",
            "min_size_b",
            "max_size_b",
            "summary",
            "notable_claims",
            "source_article",
            "source_section",
            "source_quote",
            "status",
            "published_at",
            "updated_at",
            "version",
        ]


class ReferenceReleaseList(generics.ListAPIView):
    """DRF's defaults, said explicitly so that the site's settings do not apply."""

    serializer_class = ReferenceReleaseSerializer
    pagination_class = pagination.PageNumberPagination
    permission_classes = [permissions.AllowAny]
    renderer_classes = [renderers.JSONRenderer]
    throttle_classes = []
    filter_backends = []

    def get_queryset(self):
        return (
            ModelRelease.objects.published()
            .select_related("source_article")
            .prefetch_related("sizes")
            .order_by("-release_date", "name", "pk")
        )
