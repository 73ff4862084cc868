"""The API's one router: every endpoint under /api/v1/, with its OpenAPI schema and documentation."""

from django.urls import NoReverseMatch, include, path, re_path, reverse
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.response import Response
from rest_framework.routers import APIRootView, DefaultRouter

from articles.api import ArticleViewSet, AuthorViewSet, TagViewSet
from qwensite.rest.errors import not_found
from qwensite.seo.origin import absolute
from releases.api import ClaimViewSet, ReleaseSizeViewSet, ReleaseViewSet, SourceViewSet


class APIRoot(APIRootView):
    """/api/v1/: each endpoint's address, then where the API is documented (its interactive
    documentation and its OpenAPI schema), on the site's public address."""

    def get(self, request, *args, **kwargs):
        links = {}
        for key, url_name in self.api_root_dict.items():
            try:
                links[key] = absolute(reverse(f"api:{url_name}"))
            except NoReverseMatch:
                continue
        links["docs"] = absolute(reverse("api:docs"))
        links["schema"] = absolute(reverse("api:schema"))
        return Response(links)


class Router(DefaultRouter):
    APIRootView = APIRoot


router = Router()
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
