"""Sitemaps on the site's public address (qwensite.seo.origin), whatever Host the request names.

Django's sitemap views take the domain and the scheme from the request. ``SiteSitemap`` names
the site's own for every URL of a section, and ``index`` puts the index's links on it.
"""

import dataclasses
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as django_sitemaps

from qwensite.seo.origin import absolute, site_domain, site_protocol


class SiteSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return site_protocol()

    def get_domain(self, site=None):
        return site_domain()


def index(request, sitemaps, **kwargs):
    """Django's sitemap index, each link's path put on the site's public address."""
    response = django_sitemaps.index(request, sitemaps, **kwargs)
    response.context_data["sitemaps"] = [
        dataclasses.replace(item, location=absolute(_path_and_query(item.location)))
        for item in response.context_data["sitemaps"]
    ]
    return response


def _path_and_query(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
