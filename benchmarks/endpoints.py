"""The endpoints the benchmark measures and the load test reads: data, not code.

Paths may name placeholders filled from the database under test: ``{release}`` (a
published release in the middle of the catalogue), ``{article}`` (a published article)
``{static}`` (the hashed name of css/site.css in the static manifest), and
``{catalogue_last}``/``{api_last}`` (the last page number of the unfiltered lists),
``{api_cursor}`` (the API list's cursor one page before its end). An endpoint
with ``conditional`` is requested with the ETag its first answer carried, in
``If-None-Match``, and is expected to answer 304. ``cached`` says whether the
rendered-response cache can serve it (it is then measured cache-cold and warm); ``cold_only``
endpoints are measured cache-cold only.
"""

from dataclasses import dataclass

FILTER = "year=2025&open_weights=true&min_size=7"


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    cached: bool = True
    conditional: bool = False
    grows: bool = False  # held to the 1k-to-100k growth goal
    cold_only: bool = False  # measured with the response cache off only (the plain-DRF reference)


BASELINE = Endpoint("healthz", "/healthz", cached=False)
REFERENCE = "drf reference"  # the yardstick, not an endpoint of the site: the site's goals leave it out

ENDPOINTS = [
    Endpoint("api list", "/api/v1/releases/", grows=True),
    Endpoint("api filtered", f"/api/v1/releases/?{FILTER}", grows=True),
    Endpoint("api detail", "/api/v1/releases/{release}/", grows=True),
    Endpoint("api list 304", "/api/v1/releases/", conditional=True),
    Endpoint("api last page", "/api/v1/releases/?page={api_last}"),
    Endpoint("api cursor deep", "/api/v1/releases/?cursor={api_cursor}"),
    Endpoint("catalogue", "/releases/", grows=True),
    Endpoint("catalogue filtered", f"/releases/?{FILTER}", grows=True),
    Endpoint("catalogue last page", "/releases/?page={catalogue_last}"),
    Endpoint("release page", "/releases/{release}/", grows=True),
    Endpoint("article page", "/articles/{article}/"),
    Endpoint("home", "/"),
    Endpoint("static file", "{static}", cached=False),
    # The API list as a plain default-DRF ListAPIView (benchmarks.reference; bench server only).
    Endpoint(REFERENCE, "/bench/reference/releases/", cold_only=True),
]

# The mixed reads of the load test: what a reader and an API client do.
LOAD_READS = [
    "/",
    "/releases/",
    f"/releases/?{FILTER}",
    "/releases/{release}/",
    "/articles/{article}/",
    "/api/v1/releases/",
    f"/api/v1/releases/?{FILTER}",
    "/api/v1/releases/{release}/",
    "{static}",
    "/healthz",
]
