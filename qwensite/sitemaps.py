"""The sitemaps: every page a reader can reach without a query string.

/sitemap.xml is an index of one sitemap per section (/sitemap-releases.xml, ...), each cut
into pages of at most ``limit`` URLs (``?p=2``): the protocol allows 50,000 URLs in one
file, and a page of a few thousand keeps each request small at any catalogue size. The
index reads a count and a latest modification time per section, never the entries.
"""

from django.db.models import Max
from django.urls import reverse

from articles.models import Article, Author, Tag
from qwensite.seo.sitemaps import SiteSitemap
from releases.models import ModelRelease


class PagesSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return [
            "home",
            "articles:list",
            "releases:list",
            "releases:compare",
            "releases:sources",
            "releases:changes",
            "data",
        ]

    def location(self, item):
        return reverse(item)


# URLs in one page of a section's sitemap.
SITEMAP_PAGE_SIZE = 5000


class EntrySitemap(SiteSitemap):
    """Published entries, by key, with their last change; the latest is one aggregate query."""

    changefreq = "monthly"
    limit = SITEMAP_PAGE_SIZE
    model = None

    def items(self):
        return self.model.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # Django's default calls lastmod() on every item: all rows of the section.
        return self.model.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class ArticleSitemap(EntrySitemap):
    priority = 0.9
    model = Article


class ReleaseSitemap(EntrySitemap):
    priority = 0.7
    model = ModelRelease


class FamilySitemap(ReleaseSitemap):
    """A family page for each first release of a line with successors (any member's family
    page names that one as canonical)."""

    priority = 0.5

    def items(self):
        return (
            ModelRelease.objects.published()
            .filter(predecessor__isnull=True, successors__in=ModelRelease.objects.published())
            .distinct()
            .order_by("pk")
            .only("slug", "updated_at")
        )

    def location(self, item):
        return reverse("releases:family", kwargs={"slug": item.slug})

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class TagSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.4
    limit = SITEMAP_PAGE_SIZE

    def items(self):
        return Tag.objects.filter(articles__in=Article.objects.published()).distinct().order_by("pk")


class AuthorSitemap(TagSitemap):
    def items(self):
        return Author.objects.filter(articles__in=Article.objects.published()).distinct().order_by("pk")


SITEMAPS = {
    "pages": PagesSitemap,
    "articles": ArticleSitemap,
    "releases": ReleaseSitemap,
    "families": FamilySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
