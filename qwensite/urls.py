"""The site's URL map."""

from django.contrib import admin
from django.urls import include, path

from releases.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("articles/", include("articles.urls")),
    path("releases/", include("releases.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("qwensite.api")),
]
