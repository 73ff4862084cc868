"""The bench server's URLconf: the site's, and the plain-DRF reference list (benchmarks.reference)."""

from django.urls import include, path

from benchmarks.reference import ReferenceReleaseList

REFERENCE_PATH = "bench/reference/releases/"

urlpatterns = [
    path(REFERENCE_PATH, ReferenceReleaseList.as_view(), name="bench-reference"),
    path("", include("qwensite.urls")),
]

handler400 = "qwensite.ops.errors.bad_request"
handler500 = "qwensite.ops.errors.server_error"
