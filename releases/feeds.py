"""An Atom feed of new releases in the catalogue."""

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from qwensite.seo.feeds import SiteFeed
from qwensite.seo.origin import absolute
from releases.models import ModelRelease, ValueChange

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


class CorrectionsFeed(SiteFeed):
    """Each change of a value readers see, newest first, with its source."""

    feed_type = Atom1Feed
    title = "qwensite: corrections"
    subtitle = "Changes to the values of the Qwen release catalogue, each with its source."

    def link(self):
        return reverse("releases:changes")

    def items(self):
        return (
            ValueChange.objects.filter(release__in=ModelRelease.objects.published())
            .with_sources_for(AnonymousUser())
            .select_related("release")
            .order_by("-changed_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return f"{item.release.name}: {item.what.lower()} {item.old_display} → {item.new_display}"

    def item_description(self, item):
        source = item.shown_source
        source = f" Source: {source.title} ({source.publisher})." if source else ""
        return f"{item.what} was {item.old_display}, now {item.new_display}.{source}"

    def item_link(self, item):
        return absolute(f"{item.release.get_absolute_url()}#changes")

    def item_guid(self, item):
        return absolute(f"{reverse('releases:changes')}#change-{item.pk}")

    def item_pubdate(self, item):
        return item.changed_at
