"""Health probes: ``/healthz`` (liveness) and ``/readyz`` (readiness).

``/healthz`` answers a constant body without touching the database, the cache, the
session or any other middleware: ``HealthCheckMiddleware`` sits first in the stack and
answers it before anything else runs, so a probe costs almost nothing, works over plain
HTTP behind a TLS proxy and does not depend on the Host header a load balancer sends.
It is also the benchmark's baseline.

``/readyz`` answers 200 only when the database answers a query and the cache keeps a
value; otherwise 503 with the reason, so an orchestrator stops routing traffic here.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connections, transaction
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger("qwensite.ops.health")

HEALTHZ_PATH = "/healthz"
_LIVE_BODY = b'{"status":"ok"}'
_PROBE_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


class HealthCheckMiddleware:
    """Answer ``/healthz`` before any other middleware does work. Put it first in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTHZ_PATH:
            return healthz(request)
        return self.get_response(request)


def healthz(request):
    """Liveness: the process is up and serving requests. Constant; touches nothing."""
    return HttpResponse(_LIVE_BODY, content_type="application/json", headers=_PROBE_HEADERS)


def check_database(alias="default"):
    """None when the database answers a query, else the reason."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return _unreachable("database", error)
    return None


def check_cache():
    """None when the cache stores and returns a value, else the reason.

    A round trip rather than a ping: a cache configured to swallow its errors (serving
    misses while Redis is down) still shows here as not ready.
    """
    key, token = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, token, timeout=10)
        stored = cache.get(key)
        cache.delete(key)
    except Exception as error:  # noqa: BLE001 - every cache backend raises its own errors
        return _unreachable("cache", error)
    if stored != token:
        return "cache unreachable: a value written was not read back"
    return None


def _unreachable(service, error):
    """The public reason names the kind of error only; the detail (which can name hosts and
    ports) goes to the operators' log."""
    logger.warning("readyz: %s unreachable: %s: %s", service, type(error).__name__, _first_line(error))
    return f"{service} unreachable: {type(error).__name__}"


def _first_line(error):
    lines = str(error).strip().splitlines()
    return lines[0] if lines else "no detail"


@never_cache
@transaction.non_atomic_requests  # a probe checks the database; it has nothing to commit
def readyz(request):
    """Readiness: 200 when the database and the cache both work, else 503 with the reasons."""
    checks = {"database": check_database(), "cache": check_cache()}
    failures = {name: reason for name, reason in checks.items() if reason}
    body = {
        "status": "unavailable" if failures else "ok",
        "checks": {name: reason or "ok" for name, reason in checks.items()},
    }
    return JsonResponse(body, status=503 if failures else 200)
