"""The site's URL map."""

from django.contrib import admin
from django.urls import include, path

from articles.previews import SharedPreviewView
from releases.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("articles/", include("articles.urls")),
    path("releases/", include("releases.urls")),
    path("preview/<str:token>/", SharedPreviewView.as_view(), name="preview"),
    path("admin/", admin.site.urls),
]
