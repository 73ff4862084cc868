"""The site's public address: every absolute URL the site hands out starts with DJANGO_SITE_URL.

Never the request's Host header, which a client chooses: a sitemap, a feed, the calendar or an
API link built from it would carry whatever origin the client sent, and caches would keep it.
"""

from django.conf import settings


def absolute(path):
    """The public URL of a path on this site (``/releases/`` -> ``https://…/releases/``)."""
    return f"{settings.SITE_URL}{path}"


def site_domain():
    """The host (and port) of the site's public address, as sitemaps and feeds name it."""
    return settings.SITE_URL.split("://", 1)[-1]


def site_protocol():
    return settings.SITE_URL.split("://", 1)[0]
