"""The API's representation of articles, authors and tags.

As for releases, reads build plain dicts (cheap), and the declared fields describe the
contract and validate writes.
"""

from django.utils.functional import cached_property
from rest_framework import serializers

from articles.models import Article, Author, Tag
from qwensite.rest.fields import Links, StrictCharField, StrictManyRelatedField, StrictModelSerializer, timestamp


class ArticleSerializer(StrictModelSerializer):
    """An article as listed: everything but its body."""

    url = serializers.URLField(read_only=True, help_text="This article in the API.")
    web_url = serializers.URLField(read_only=True, help_text="This article's page on the site.")
    author = serializers.SlugRelatedField(
        slug_field="slug", queryset=Author.objects.all(), help_text="Slug of the author."
    )
    tags = StrictManyRelatedField(
        child_relation=serializers.SlugRelatedField(slug_field="slug", queryset=Tag.objects.all()),
        required=False,
        help_text="Slugs of its tags.",
    )
    reading_time_minutes = serializers.IntegerField(read_only=True)
    published_at = serializers.DateTimeField(allow_null=True, required=False)
    updated_at = serializers.DateTimeField(read_only=True)
    version = serializers.IntegerField(read_only=True, help_text="Increases with every change.")

    class Meta:
        model = Article
        fields = [
            "slug",
            "title",
            "url",
            "web_url",
            "author",
            "tags",
            "summary",
            "reading_time_minutes",
            "status",
            "published_at",
            "updated_at",
            "version",
        ]
        validators = []  # the model's own validation runs in full_clean() in the write

    @cached_property
    def links(self):
        return Links(api="api:article-detail", web="articles:detail")

    def to_representation(self, article):
        slug = article.slug
        return {
            "slug": slug,
            "title": article.title,
            "url": self.links("api", slug),
            "web_url": self.links("web", slug),
            "author": article.author.slug,
            "tags": [tag.slug for tag in article.tags.all()],
            "summary": article.summary,
            "reading_time_minutes": article.reading_time_minutes,
            "status": article.status,
            "published_at": timestamp(article.published_at),
            "updated_at": timestamp(article.updated_at),
            "version": article.version,
        }

    def create(self, validated_data):
        tags = validated_data.pop("tags", [])
        return self.save_instance(Article(), validated_data, related={"tags": tags})

    def update(self, instance, validated_data):
        tags = validated_data.pop("tags", None)
        return self.save_instance(instance, validated_data, related=None if tags is None else {"tags": tags})


class ArticleDetailSerializer(ArticleSerializer):
    """One article, with its Markdown and the sanitized HTML readers see."""

    body_markdown = StrictCharField(source="body", max_length=200_000, help_text="The body, in Markdown.")
    body_html = serializers.CharField(read_only=True, help_text="The body rendered to sanitized HTML.")

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body_markdown", "body_html"]

    def to_representation(self, article):
        return {**super().to_representation(article), "body_markdown": article.body, "body_html": article.body_html}


class AuthorSerializer(StrictModelSerializer):
    url = serializers.URLField(read_only=True)
    web_url = serializers.URLField(read_only=True)
    article_count = serializers.IntegerField(read_only=True, help_text="Articles by this author that you may see.")

    class Meta:
        model = Author
        fields = ["slug", "name", "url", "web_url", "bio", "website", "article_count"]
        read_only_fields = fields

    @cached_property
    def links(self):
        return Links(api="api:author-detail", web="articles:author")

    def to_representation(self, author):
        return {
            "slug": author.slug,
            "name": author.name,
            "url": self.links("api", author.slug),
            "web_url": self.links("web", author.slug),
            "bio": author.bio,
            "website": author.website,
            "article_count": author.article_count,
        }


class TagSerializer(StrictModelSerializer):
    url = serializers.URLField(read_only=True)
    web_url = serializers.URLField(read_only=True)
    article_count = serializers.IntegerField(read_only=True, help_text="Articles with this tag that you may see.")

    class Meta:
        model = Tag
        fields = ["slug", "name", "url", "web_url", "article_count"]
        read_only_fields = fields

    @cached_property
    def links(self):
        return Links(api="api:tag-detail", web="articles:tag")

    def to_representation(self, tag):
        return {
            "slug": tag.slug,
            "name": tag.name,
            "url": self.links("api", tag.slug),
            "web_url": self.links("web", tag.slug),
            "article_count": tag.article_count,
        }
