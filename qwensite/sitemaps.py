"""sitemap.xml: every page a reader can reach without a query string."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article, Author, Tag
from releases.models import ModelRelease


class PagesSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["home", "articles:list", "releases:list", "releases:compare"]

    def location(self, item):
        return reverse(item)


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.9

    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class ReleaseSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return ModelRelease.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class TagSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return Tag.objects.filter(articles__in=Article.objects.published()).distinct().order_by("pk")


class AuthorSitemap(TagSitemap):
    def items(self):
        return Author.objects.filter(articles__in=Article.objects.published()).distinct().order_by("pk")


SITEMAPS = {
    "pages": PagesSitemap,
    "articles": ArticleSitemap,
    "releases": ReleaseSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
