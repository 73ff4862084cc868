"""Articles, authors and tags in the API."""

from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from articles.filters import ArticleFilter
from articles.models import Article, Author, Tag
from articles.serializers import ArticleDetailSerializer, ArticleSerializer, AuthorSerializer, TagSerializer
from qwensite.rest.views import StrictAPIViewMixin
from qwensite.rest.writes import delete_entry


@extend_schema_view(
    list=extend_schema(summary="List articles", description="Articles, newest first, without their bodies."),
    retrieve=extend_schema(summary="One article", description="With its Markdown body and the sanitized HTML."),
    create=extend_schema(summary="Add an article"),
    update=extend_schema(summary="Replace an article"),
    partial_update=extend_schema(summary="Change an article"),
    destroy=extend_schema(summary="Delete an article"),
)
class ArticleViewSet(StrictAPIViewMixin, viewsets.ModelViewSet):
    """Articles. Anonymous clients see published, due articles; editors also see drafts."""

    filterset_class = ArticleFilter
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return Article.objects.visible_to(self.request.user).with_related().order_by("-published_at", "title", "pk")

    def get_serializer_class(self):
        return ArticleSerializer if self.action == "list" else ArticleDetailSerializer

    def perform_destroy(self, instance):
        delete_entry(instance)


def visible_article_count(user):
    """Count of the articles ``user`` may see (Article.objects.visible_to), as an annotation on authors or tags."""
    visible = Article.objects.visible_to(user).values("pk")
    return Count("articles", filter=Q(articles__in=visible), distinct=True)


@extend_schema_view(list=extend_schema(summary="List authors"), retrieve=extend_schema(summary="One author"))
class AuthorViewSet(StrictAPIViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AuthorSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return Author.objects.annotate(article_count=visible_article_count(self.request.user)).order_by("name", "pk")


@extend_schema_view(list=extend_schema(summary="List tags"), retrieve=extend_schema(summary="One tag"))
class TagViewSet(StrictAPIViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TagSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return Tag.objects.annotate(article_count=visible_article_count(self.request.user)).order_by("name", "pk")
