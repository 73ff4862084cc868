"""Template context every page of the reader site needs."""

from django.conf import settings

from qwensite.seo.origin import absolute


def site(request):
    """The canonical address of the current page (its path on the configured site URL)."""
    return {"site_url": settings.SITE_URL, "canonical_url": absolute(request.path)}
