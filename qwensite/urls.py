"""The site's URL map."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from articles.feeds import LatestArticlesFeed, TagArticlesFeed
from articles.models import Article
from articles.views import ArticleDetailView
from qwensite.editorial.previews import SharedPreviewView
from qwensite.ops import health
from qwensite.ops.logins import ObtainAuthTokenView
from qwensite.ops.transactions import only_reads, safe_reads
from qwensite.seo import sitemaps as site_sitemaps
from qwensite.sitemaps import SITEMAPS
from qwensite.views import HomeView, feeds_view, robots_txt, search_view
from releases.feeds import CorrectionsFeed, LatestReleasesFeed
from releases.models import ModelRelease
from releases.views import DataView, ReleaseCalendarView, ReleaseDetailView, SnapshotFileView, SnapshotView

API = settings.API_PREFIX.lstrip("/")
# What a shared preview link can show, and the readers' view that renders each.
PREVIEWABLE = {Article: ArticleDetailView, ModelRelease: ReleaseDetailView}

urlpatterns = [
    path("", only_reads(HomeView.as_view()), name="home"),
    path("articles/", include("articles.urls")),
    path("releases/", include("releases.urls")),
    path(f"{API}auth/token/", ObtainAuthTokenView.as_view(), name="api-token"),
    path("preview/<str:token>/", SharedPreviewView.as_view(detail_views=PREVIEWABLE), name="preview"),
    path("admin/", admin.site.urls),
    # Reader site: search, feeds and discovery.
    path("search/", search_view, name="search"),
    path("feeds/", feeds_view, name="feeds"),
    path("feeds/articles/", safe_reads(LatestArticlesFeed()), name="feed-articles"),
    path("feeds/articles/tags/<slug:slug>/", safe_reads(TagArticlesFeed()), name="feed-tag"),
    path("feeds/releases/", safe_reads(LatestReleasesFeed()), name="feed-releases"),
    path("feeds/corrections/", safe_reads(CorrectionsFeed()), name="feed-corrections"),
    path("releases.ics", only_reads(ReleaseCalendarView.as_view()), name="release-calendar"),
    # Open data: dated, immutable snapshots of the catalogue.
    path("data/", only_reads(DataView.as_view()), name="data"),
    path("data/<slug:slug>/", only_reads(SnapshotView.as_view()), name="snapshot"),
    path("data/<slug:slug>/<str:name>", only_reads(SnapshotFileView.as_view()), name="snapshot-file"),
    path("sitemap.xml", safe_reads(site_sitemaps.index), {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        safe_reads(sitemaps.sitemap),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("robots.txt", robots_txt, name="robots"),
    # Probes: /healthz is answered by HealthCheckMiddleware before the stack; the route names it.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(API, include("qwensite.api")),
]

handler400 = "qwensite.ops.errors.bad_request"
handler404 = "qwensite.ops.errors.page_not_found"
handler500 = "qwensite.ops.errors.server_error"
