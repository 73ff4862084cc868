"""The site's URL map."""

from django.contrib import admin
from django.urls import include, path

from qwensite.logins import ObtainAuthTokenView
from releases.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("articles/", include("articles.urls")),
    path("releases/", include("releases.urls")),
    path("api/v1/auth/token/", ObtainAuthTokenView.as_view(), name="api-token"),
    path("admin/", admin.site.urls),
]

handler500 = "qwensite.outages.server_error"
