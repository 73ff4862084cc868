"""An Atom feed of new releases in the catalogue."""

import datetime as dt

from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from qwensite.seo.feeds import SiteFeed
from releases.models import ModelRelease

FEED_LENGTH = 20


class LatestReleasesFeed(SiteFeed):
    feed_type = Atom1Feed
    title = "qwensite: new releases"
    subtitle = "Releases of the Qwen model family, newest first."

    def link(self):
        return reverse("releases:list")

    def items(self):
        return ModelRelease.objects.published().order_by("-release_date", "name")[:FEED_LENGTH]

    def item_title(self, item):
        return f"{item.name} ({item.release_date_display})"

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return dt.datetime.combine(item.release_date, dt.time.min, tzinfo=dt.UTC)

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.get_kind_display(), item.get_access_display()]
