"""Template context every page of the reader site needs."""

from django.conf import settings

from qwensite.seo.origin import absolute


def site(request):
    """The canonical address of the current page (its path on the configured site URL), and the
    site search box's text: none but on the search page, whose view gives its own (a name every
    page's layout reads is given, not looked for in vain: a missing variable costs the template
    engine an exception)."""
    return {"site_url": settings.SITE_URL, "canonical_url": absolute(request.path), "query": ""}
