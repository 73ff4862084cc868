import hashlib
import math

from concurrency.fields import AutoIncVersionField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.cache import cache
from django.db import models
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from simple_history.models import HistoricalRecords

from articles.markdown import heading_anchors, nearest_sentence, passage_found, render_markdown, section_texts
from qwensite.editorial.publishing import Publishable, PublishableQuerySet
from qwensite.freshness.build import BUILD
from qwensite.fulltext.vectors import SearchIndexed
from qwensite.routing.reversal import reverse_slug

WORDS_PER_MINUTE = 230
# The rendered body is shared through the cache (Redis in production) by every request and
# every worker. Keys hold the article's pk, its version (bumped by each save) and a digest of
# the body (rows loaded raw, from fixtures or a restore, keep their version), and the build of the
# code (qwensite.freshness.build), so a deploy that changes render_markdown renders the body anew.
BODY_CACHE_FORMAT = 2
BODY_CACHE_TIMEOUT = 24 * 60 * 60


class Author(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    bio = models.TextField("short bio", max_length=1000, blank=True)
    website = models.URLField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_slug("articles:author", self.slug)


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_slug("articles:tag", self.slug)


class ArticleQuerySet(PublishableQuerySet):
    def with_related(self):
        return self.select_related("author").prefetch_related("tags")


class Article(SearchIndexed, Publishable):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="articles")
    tags = models.ManyToManyField(Tag, related_name="articles", blank=True)
    summary = models.TextField(max_length=1000, blank=True)
    body = models.TextField("body (Markdown)", max_length=200_000)
    version = AutoIncVersionField()
    search_vector = SearchVectorField(null=True, editable=False)  # full-text search, on PostgreSQL

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[tags], excluded_fields=["search_vector"])
    search_vectors = {"search_vector": {"title": "A", "summary": "B", "body": "C"}}

    class Meta:
        ordering = ["-published_at", "title"]
        get_latest_by = "published_at"
        indexes = [
            models.Index(fields=["status", "published_at"], name="article_status_published"),
            GinIndex(fields=["search_vector"], name="article_search"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse_slug("articles:detail", self.slug)

    def body_cache_key(self, part):
        """The cache key of ``part``, something derived from this saved version of the body."""
        digest = hashlib.blake2b(self.body.encode(), digest_size=16).hexdigest()
        return f"article-body:{BODY_CACHE_FORMAT}:{BUILD}:{self.pk}:{self.version}:{digest}:{part}"

    @cached_property
    def body_html(self):
        """The body rendered to sanitized HTML: rendered once per saved version, then read from the cache."""
        if self.pk is None:
            return render_markdown(self.body)
        return cache.get_or_set(self.body_cache_key("html"), lambda: render_markdown(self.body), BODY_CACHE_TIMEOUT)

    @cached_property
    def word_count(self):
        """Words a reader reads; lists need only this, so it is cached apart from the (large) HTML."""
        if self.pk is None:
            return _count_words(self.body_html)
        return cache.get_or_set(self.body_cache_key("words"), lambda: _count_words(self.body_html), BODY_CACHE_TIMEOUT)

    @property
    def reading_time_minutes(self):
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    @cached_property
    def sections(self):
        """The (anchor, heading) of each section of the body: found by rendering it, so, like the
        rendered body, once per saved version."""
        if self.pk is None:
            return heading_anchors(self.body)
        return cache.get_or_set(self.body_cache_key("sections"), lambda: heading_anchors(self.body), BODY_CACHE_TIMEOUT)

    def passage_error(self, anchor, passage):
        """Why ``passage`` is not a verbatim quote of the section ``anchor``, or None when it is.

        Whitespace and typographic quotes do not count; a passage not found is shown the
        section's sentence nearest to it."""
        texts = section_texts(self.body)
        if anchor not in texts:
            anchors = ", ".join(a for a, _ in self.sections) or "none"
            return f"“{self}” has no section with the anchor “{anchor}”. Its sections are: {anchors}."
        if passage_found(texts[anchor], passage):
            return None
        nearest = nearest_sentence(texts[anchor], passage)
        hint = f" The nearest sentence there is: “{nearest}”" if nearest else ""
        return f"This passage is not found word for word in the section “{anchor}” of “{self}”.{hint}"


def _count_words(html):
    return len(strip_tags(html).split())
