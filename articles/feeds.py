"""Atom feeds of published articles: all of them, and those of one tag."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from articles.models import Article, Tag
from qwensite.seo.feeds import SiteFeed

FEED_LENGTH = 20


class LatestArticlesFeed(SiteFeed):
    feed_type = Atom1Feed
    title = "qwensite: articles"
    subtitle = "New articles on the history of the Qwen model family."

    def link(self):
        return reverse("articles:list")

    def items(self):
        return Article.objects.published().with_related()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.title

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.published_at, item.updated_at) if item.updated_at else item.published_at

    def item_author_name(self, item):
        return item.author.name

    def item_author_link(self, item):
        return item.author.website or None

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class TagArticlesFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag):
        return f"qwensite: articles tagged #{tag.name}"

    def subtitle(self, tag):
        return f"New articles tagged #{tag.name}."

    def link(self, tag):
        return tag.get_absolute_url()

    def items(self, tag):
        return Article.objects.published().with_related().filter(tags=tag)[:FEED_LENGTH]
