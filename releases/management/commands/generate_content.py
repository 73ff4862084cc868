"""Fill the database with N realistic releases (with sizes) and M articles, fast and repeatably.

    python manage.py generate_content --releases 100000 --articles 200 --seed 1

Rows are built in memory from a seeded random generator and written with ``bulk_create``
in batches: the same seed gives the same rows (apart from ids and save times). Every row
keeps the models' invariants: open-weight status matches access, month-precision dates
fall on the first of the month, MoE sizes carry active counts no larger than the total,
each release's ``min_size_b``/``max_size_b`` match its sizes, and each release cites a
real section of a generated article. Generated slugs start with ``gen-``.

Bulk inserts skip ``save()`` and its signals, so no history rows are written, and the
site's content state is renewed once at the end (every ETag and cache key changes).
"""

import datetime as dt
import random
from decimal import Decimal
from itertools import islice

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from tqdm import tqdm

from articles.markdown import heading_anchors, section_texts
from articles.models import Article, Author, Tag
from qwensite.editorial.publishing import Status
from qwensite.freshness.state import content_changed
from releases.models import Access, Architecture, DatePrecision, Kind, ModelRelease, ReleaseSize

PREFIX = "gen-"
FIRST_MONTH = dt.date(2023, 4, 1)
MONTHS = 42  # April 2023 to September 2026
FAMILIES = [
    ("Qwen", Kind.GENERAL),
    ("Qwen1.5", Kind.GENERAL),
    ("Qwen2", Kind.GENERAL),
    ("Qwen2.5", Kind.GENERAL),
    ("Qwen3", Kind.GENERAL),
    ("Qwen2.5-Coder", Kind.CODER),
    ("Qwen3-Coder", Kind.CODER),
    ("Qwen2-Math", Kind.MATH),
    ("Qwen2.5-Math", Kind.MATH),
    ("QwQ", Kind.REASONING),
    ("Qwen3-Thinking", Kind.REASONING),
]
VARIANTS = ["Instruct", "Chat", "Base", "Preview", "Turbo", "Plus", "Long", "Omni", "VL", "Audio"]
DENSE_SIZES = ["0.5", "0.6", "1.5", "1.7", "1.8", "3", "4", "7", "8", "14", "32", "72", "110"]
MOE_SIZES = [("14.3", "2.7"), ("30", "3"), ("57", "14"), ("235", "22"), ("480", "35")]
CONTEXT_LENGTHS = [8192, 32768, 32768, 131072, 131072, 262144, 1048576, None]
ACCESS_WEIGHTS = [(Access.OPEN_WEIGHTS, 85), (Access.API_ONLY, 10), (Access.CLOSED_BETA, 5)]
DRAFT_SHARE = 0.03
TOPICS = [
    "instruction following",
    "multilingual understanding",
    "long-context retrieval",
    "tool use",
    "code generation",
    "mathematical reasoning",
    "agentic workflows",
    "structured output",
]
TAG_NAMES = ["history", "open-weights", "benchmarks", "moe", "coding", "reasoning", "multilingual", "alibaba"]
SECTION_TITLES = ["Origins", "Scaling up", "Open weights", "Specialists", "Reasoning", "Agents", "What came next"]


class Command(BaseCommand):
    help = "Generate N realistic releases with sizes and M articles (repeatable from --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--releases", type=int, default=1000, help="Number of releases (default 1000).")
        parser.add_argument("--articles", type=int, default=50, help="Number of articles (default 50).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same rows.")
        parser.add_argument("--batch-size", type=int, default=2000, help="Rows per INSERT (default 2000).")

    def handle(self, *args, releases, articles, seed, batch_size, verbosity, **options):
        if releases < 0 or articles < 1 or batch_size < 1:
            raise CommandError("Give --articles of at least 1, --releases of at least 0 and a positive --batch-size.")
        if (
            ModelRelease.objects.filter(slug__startswith=PREFIX).exists()
            or Article.objects.filter(slug__startswith=PREFIX).exists()
        ):
            raise CommandError(f"Generated content (slugs starting {PREFIX!r}) is already here: use an empty database.")
        rng = random.Random(seed)
        with transaction.atomic():
            article_rows = self._articles(rng, articles, batch_size)
            self._releases(rng, releases, article_rows, batch_size, progress=verbosity > 0)
        content_changed()
        if verbosity:
            self.stdout.write(f"Generated {releases} releases and {articles} articles (seed {seed}).")

    def _articles(self, rng, count, batch_size):
        authors = Author.objects.bulk_create(
            Author(
                name=f"Generated Author {i}",
                slug=f"{PREFIX}author-{i}",
                bio="Writes about the Qwen family.",
                website=f"https://author-{i}.example.org",
            )
            for i in range(1, 6)
        )
        tags = Tag.objects.bulk_create(Tag(name=f"{name} (generated)", slug=f"{PREFIX}{name}") for name in TAG_NAMES)
        rows = []
        for i in range(1, count + 1):
            titles = rng.sample(SECTION_TITLES, rng.randint(3, 5))
            paragraphs = {title: _paragraph(rng) for title in titles}
            body = "\n\n".join([_paragraph(rng), *(f"## {title}\n\n{text}" for title, text in paragraphs.items())])
            published = _month(rng.randrange(MONTHS)) + dt.timedelta(days=rng.randrange(28))
            rows.append(
                Article(
                    title=f"Notes on the Qwen family, part {i}",
                    slug=f"{PREFIX}article-{i}",
                    author=rng.choice(authors),
                    summary=_sentence(rng),
                    body=body,
                    status=Status.PUBLISHED,
                    published_at=dt.datetime.combine(published, dt.time(8), tzinfo=dt.UTC),
                )
            )
        Article.objects.bulk_create(rows, batch_size=batch_size)
        Article.tags.through.objects.bulk_create(
            (Article.tags.through(article=article, tag=tag) for article in rows for tag in rng.sample(tags, 2)),
            batch_size=batch_size,
        )
        sections = {}
        for article in rows:
            # Each release quotes a paragraph of the section it cites (ModelRelease.clean).
            texts = section_texts(article.body)
            quotes = {
                anchor: [part for part in texts[anchor].split("\n\n") if part.strip() and not part.startswith("#")]
                for anchor, _ in heading_anchors(article.body)
            }
            sections[article.pk] = (article, [anchor for anchor in quotes if quotes[anchor]], quotes)
        return list(sections.values())

    def _releases(self, rng, count, articles, batch_size, progress):
        last_of_family = {}
        numbers = iter(range(1, count + 1))
        with tqdm(total=count, unit="release", disable=not progress, file=self.stderr) as bar:
            while batch := list(islice(numbers, batch_size)):
                releases, sizes = [], []
                for i in batch:
                    release, release_sizes = _release(rng, i, articles, last_of_family)
                    releases.append(release)
                    sizes.append(release_sizes)
                ModelRelease.objects.bulk_create(releases)
                for release, release_sizes in zip(releases, sizes, strict=True):
                    for size in release_sizes:
                        size.release = release
                    last_of_family[release.name.rsplit(" ", 1)[0]] = release.pk
                ReleaseSize.objects.bulk_create([size for group in sizes for size in group])
                bar.update(len(batch))


def _month(index):
    year, month = divmod(FIRST_MONTH.month - 1 + index, 12)
    return dt.date(FIRST_MONTH.year + year, month + 1, 1)


def _sentence(rng):
    return (
        f"It improved {rng.choice(TOPICS)} and {rng.choice(TOPICS)} over its predecessor, "
        f"with {rng.randint(2, 40)} per cent gains on the reported evaluations."
    )


def _paragraph(rng):
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))


def _release(rng, number, articles, last_of_family):
    family, kind = rng.choice(FAMILIES)
    variant = rng.choice(VARIANTS)
    name = f"{family} {variant} {number}"
    month = _month(rng.randrange(MONTHS))
    precision = DatePrecision.DAY if rng.random() < 0.2 else DatePrecision.MONTH
    release_date = month.replace(day=rng.randint(1, 28)) if precision == DatePrecision.DAY else month
    access = rng.choices([a for a, _ in ACCESS_WEIGHTS], weights=[w for _, w in ACCESS_WEIGHTS])[0]
    article, anchors, quotes = rng.choice(articles)
    draft = rng.random() < DRAFT_SHARE
    sizes = _sizes(rng, family)
    release = ModelRelease(
        name=name,
        slug=f"{PREFIX}{slugify(name)}",
        release_date=release_date,
        date_precision=precision,
        access=access,
        open_weights=access == Access.OPEN_WEIGHTS,
        context_length=rng.choice(CONTEXT_LENGTHS),
        kind=kind,
        summary=f"{name} is a {kind.label.lower()} model of the {family} line. {_sentence(rng)}",
        notable_claims=_sentence(rng) if rng.random() < 0.5 else "",
        source_article=article,
        source_section=(section := rng.choice(anchors)),
        source_quote=rng.choice(quotes[section]),
        predecessor_id=last_of_family.get(f"{family} {variant}"),
        min_size_b=min(size.parameters_b for size in sizes),
        max_size_b=max(size.parameters_b for size in sizes),
        status=Status.DRAFT if draft else Status.PUBLISHED,
        published_at=None if draft else dt.datetime.combine(release_date, dt.time(9), tzinfo=dt.UTC),
    )
    return release, sizes


def _sizes(rng, family):
    sizes = []
    for total in sorted(rng.sample(DENSE_SIZES, rng.randint(1, 5)), key=Decimal):
        sizes.append(ReleaseSize(label=f"{family}-{total}B", parameters_b=Decimal(total)))
    if rng.random() < 0.25:
        total, active = rng.choice(MOE_SIZES)
        sizes.append(
            ReleaseSize(
                label=f"{family}-{total}B-A{active}B",
                parameters_b=Decimal(total),
                active_parameters_b=Decimal(active),
                architecture=Architecture.MOE,
            )
        )
    return sizes
