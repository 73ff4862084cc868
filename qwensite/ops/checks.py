"""Deployment checks of qwensite's own settings (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Error, Info, Tags, Warning, register

DEFAULT_SITE_URL = "http://127.0.0.1:8000"


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    if settings.SITE_URL == DEFAULT_SITE_URL or not settings.SITE_URL.startswith("https://"):
        return [
            Warning(
                f"DJANGO_SITE_URL is {settings.SITE_URL!r}: canonical links, feeds, the sitemap and "
                "structured data would point there.",
                hint="Set DJANGO_SITE_URL to the site's public https:// origin.",
                id="qwensite.W001",
            )
        ]
    return []


@register(Tags.caches, deploy=True)
def check_shared_content_state(app_configs, **kwargs):
    if not settings.CONTENT_STATE_SHARED:
        return [
            Info(
                "No shared cache: the response cache, ETags and cached page counts are off.",
                hint="Set REDIS_URL so that every app server shares one cache.",
                id="qwensite.I001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_trusted_proxy_count(app_configs, **kwargs):
    """Production settings trust X-Forwarded-Proto, so they assume a proxy: say how many there are."""
    if not settings.TRUSTED_PROXY_COUNT_SET:
        return [
            Error(
                "DJANGO_TRUSTED_PROXY_COUNT is not set. Behind a proxy, 0 would make every client look "
                "like the proxy: five wrong passwords from anyone would lock an editor out everywhere, "
                "and all anonymous clients would share one API throttle.",
                hint="Set it to the number of proxies in front of the app that append to X-Forwarded-For "
                "(1 behind one TLS proxy), or to 0 if clients reach the app directly.",
                id="qwensite.E001",
            )
        ]
    return []
