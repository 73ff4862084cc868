"""Atom feeds whose every link is on the site's public address (qwensite.seo.origin)."""

from django.contrib.syndication.views import Feed

from qwensite.seo.origin import absolute


class SiteFeed(Feed):
    """A Feed whose links, entry links and self link use DJANGO_SITE_URL, never the Host header.

    Django's Feed prefixes relative links with the request's host; absolute links it leaves alone,
    so ``link()`` and ``item_link()`` of a subclass return paths and this class makes them absolute."""

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        request_link = feed.feed["link"]
        feed.feed["link"] = absolute(self._get_dynamic_attr("link", obj))
        feed.feed["feed_url"] = absolute(request.path)
        if feed.feed.get("id") == request_link:  # the Atom id defaults to the link
            feed.feed["id"] = feed.feed["link"]
        return feed

    def item_link(self, item):
        return absolute(item.get_absolute_url())
