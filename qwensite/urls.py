"""The site's URL map."""

from django.contrib import admin
from django.urls import include, path

from qwensite import health
from releases.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("articles/", include("articles.urls")),
    path("releases/", include("releases.urls")),
    path("admin/", admin.site.urls),
    # Probes: /healthz is answered by HealthCheckMiddleware before the stack; the route names it.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
