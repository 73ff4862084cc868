"""The API's one router: every endpoint under /api/v1/, with its OpenAPI schema and documentation."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from articles.api import ArticleViewSet, AuthorViewSet, TagViewSet
from qwensite.rest.errors import not_found
from releases.api import ClaimViewSet, ReleaseSizeViewSet, ReleaseViewSet, SourceViewSet

router = DefaultRouter()
router.include_format_suffixes = False
router.register("releases", ReleaseViewSet, basename="release")
router.register("sizes", ReleaseSizeViewSet, basename="size")
router.register("sources", SourceViewSet, basename="source")
router.register("claims", ClaimViewSet, basename="claim")
router.register("articles", ArticleViewSet, basename="article")
router.register("authors", AuthorViewSet, basename="author")
router.register("tags", TagViewSet, basename="tag")

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path("", include(router.urls)),
    re_path(r"", not_found),
]
