import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from articles.models import Article, Author, Tag
from qwensite.editorial.models import PreviewLink
from qwensite.editorial.publishing import Status
from releases.models import (
    Access,
    Claim,
    DatePrecision,
    Kind,
    ModelRelease,
    ReleaseSize,
    Source,
    column_value,
)
from releases.provenance import SourceKind, Tier


class UserFactory(DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True


class AuthorFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Author {n}")
    slug = factory.LazyAttribute(lambda o: f"author-{o.name.split()[-1]}")
    bio = "Writes about language models."
    website = factory.LazyAttribute(lambda o: f"https://{o.slug}.example.org")

    class Meta:
        model = Author


class TagFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"tag{n}")
    slug = factory.LazyAttribute(lambda o: o.name)

    class Meta:
        model = Tag


class ArticleFactory(DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    author = factory.SubFactory(AuthorFactory)
    summary = "A short summary."
    body = "Intro paragraph.\n\n## First section\n\nSome words about Qwen.\n"
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))

    class Meta:
        model = Article
        skip_postgeneration_save = True

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class ReleaseFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Release {n}")
    slug = factory.Sequence(lambda n: f"release-{n}")
    release_date = dt.date(2024, 6, 1)
    date_precision = DatePrecision.MONTH
    access = Access.OPEN_WEIGHTS
    kind = Kind.GENERAL
    summary = "A release of the Qwen family."
    source_article = factory.SubFactory(ArticleFactory)
    source_section = "first-section"
    source_quote = "Some words about Qwen."
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))

    class Meta:
        model = ModelRelease


class ReleaseSizeFactory(DjangoModelFactory):
    release = factory.SubFactory(ReleaseFactory)
    parameters_b = Decimal("7")
    label = factory.LazyAttribute(lambda o: f"{o.parameters_b.normalize():f}B")
    architecture = ""

    class Meta:
        model = ReleaseSize


class PreviewLinkFactory(DjangoModelFactory):
    entry = factory.SubFactory(ArticleFactory, status=Status.DRAFT, published_at=None)
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(hours=1))

    class Meta:
        model = PreviewLink


class SourceFactory(DjangoModelFactory):
    """An article of this site as a source (the factories' articles say "Some words about Qwen.")."""

    kind = SourceKind.SITE_ARTICLE
    title = factory.LazyAttribute(lambda o: o.article.title)
    publisher = "A test author"
    article = factory.SubFactory(ArticleFactory)
    tier = Tier.SECONDARY

    class Meta:
        model = Source


def cite_every_value(release, source=None):
    """Preferred claims for every value ``release`` and its sizes state, quoting its source article
    (the factories' passage), so that the release may be published."""
    source = source or SourceFactory(article=release.source_article)
    quote = {"quote": "Some words about Qwen.", "locator": "first-section", "source": source, "preferred": True}
    release_values = {"release_date": column_value(release, "release_date"), "access": release.access}
    if release.context_length is not None:
        release_values["context_length"] = str(release.context_length)
    for field, value in release_values.items():
        Claim.objects.create(release=release, field=field, value=value, **quote)
    for size in release.sizes.all():
        for field in ("parameters_b", "active_parameters_b", "architecture"):
            if column_value(size, field):
                Claim.objects.create(release=release, size=size, field=field, value=column_value(size, field), **quote)
    return source
