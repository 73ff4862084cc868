"""Data builders shared by the reader-site tests."""

import datetime as dt
from decimal import Decimal

from releases.models import Access, Architecture
from tests.factories import ArticleFactory, ReleaseFactory, ReleaseSizeFactory, TagFactory


def build_catalogue(count):
    """``count`` published releases of one article, each with two sizes and a predecessor."""
    article = ArticleFactory(tags=[TagFactory(), TagFactory()])
    previous = None
    for n in range(count):
        release = ReleaseFactory(
            source_article=article,
            release_date=dt.date(2023 + n % 3, 1 + n % 12, 1),
            access=Access.OPEN_WEIGHTS if n % 2 else Access.API_ONLY,
            predecessor=previous,
        )
        ReleaseSizeFactory(release=release, parameters_b=Decimal(n + 1))
        ReleaseSizeFactory(release=release, parameters_b=Decimal(n + 100), architecture=Architecture.MOE)
        previous = release
    return article
