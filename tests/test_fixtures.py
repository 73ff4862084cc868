"""The shipped fixtures hold every fact of "The History of Qwen" and nothing invented."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from articles.models import Article, Author, Tag
from releases.models import ModelRelease, ReleaseSize

pytestmark = pytest.mark.django_db

D = Decimal
# slug: (name, year, month, open weights, access, kind, context length, section, predecessor,
#        [(label, total, active, architecture ("" where the document does not say))])
RELEASES = {
    "tongyi-qianwen": (
        "Tongyi Qianwen",
        2023,
        4,
        False,
        "closed_beta",
        "general",
        None,
        "the-beginning-2023",
        None,
        [],
    ),
    "qwen-1": (
        "Qwen 1.0",
        2023,
        9,
        True,
        "open_weights",
        "general",
        8192,
        "the-beginning-2023",
        "tongyi-qianwen",
        [("7B", D(7), None, ""), ("14B", D(14), None, "")],
    ),
    "qwen-1-5": (
        "Qwen 1.5",
        2024,
        2,
        True,
        "open_weights",
        "general",
        None,
        "rapid-iteration-2024",
        "qwen-1",
        [("0.5B", D("0.5"), None, ""), ("72B", D(72), None, "")],
    ),
    "qwen-2": (
        "Qwen 2",
        2024,
        6,
        True,
        "open_weights",
        "general",
        None,
        "rapid-iteration-2024",
        "qwen-1-5",
        [("57B MoE", D(57), None, "moe"), ("Qwen2-72B", D(72), None, "dense")],
    ),
    "qwen-2-5": (
        "Qwen 2.5",
        2024,
        9,
        True,
        "open_weights",
        "general",
        None,
        "rapid-iteration-2024",
        "qwen-2",
        [("72B", D(72), None, "")],
    ),
    "qwen2-5-coder": (
        "Qwen2.5-Coder",
        2024,
        9,
        True,
        "open_weights",
        "coder",
        None,
        "rapid-iteration-2024",
        "qwen-2-5",
        [],
    ),
    "qwen2-5-math": (
        "Qwen2.5-Math",
        2024,
        9,
        True,
        "open_weights",
        "math",
        None,
        "rapid-iteration-2024",
        "qwen-2-5",
        [],
    ),
    "qwq-32b-preview": (
        "QwQ-32B-Preview",
        2024,
        11,
        True,
        "open_weights",
        "reasoning",
        None,
        "rapid-iteration-2024",
        None,
        [("QwQ-32B-Preview", D(32), None, "")],
    ),
    "qwen-2-5-max": ("Qwen 2.5 Max", 2025, 1, False, "api_only", "general", None, "into-2025", "qwen-2-5", []),
    "qwq-32b": (
        "QwQ-32B",
        2025,
        3,
        True,
        "open_weights",
        "reasoning",
        None,
        "into-2025",
        "qwq-32b-preview",
        [("QwQ-32B", D(32), None, "")],
    ),
    "qwen-3": (
        "Qwen 3",
        2025,
        4,
        True,
        "open_weights",
        "general",
        131072,
        "into-2025",
        "qwen-2-5",
        [("0.6B", D("0.6"), None, ""), ("Qwen3-235B-A22B", D(235), D(22), "moe")],
    ),
}


@pytest.fixture
def article(seeded):
    return Article.objects.get()


def test_loading_gives_one_article_one_author_four_tags_and_every_release(seeded):
    assert (Article.objects.count(), Author.objects.count(), Tag.objects.count()) == (1, 1, 4)
    assert set(ModelRelease.objects.values_list("slug", flat=True)) == set(RELEASES)


def test_loading_twice_leaves_the_same_rows(seeded):
    def snapshot():
        return [
            list(model.objects.order_by("pk").values()) for model in (Article, Author, Tag, ModelRelease, ReleaseSize)
        ]

    before = snapshot()
    call_command("loaddata", "fixtures/qwen_history.json", verbosity=0)
    assert snapshot() == before


def test_article_metadata_matches_the_document(article):
    assert article.title == "The History of Qwen"
    assert article.author.name == "Michele Zonca"
    assert article.author.website == "https://michele.zonca.org"
    assert sorted(article.tags.values_list("slug", flat=True)) == ["ai", "alibaba", "llm", "qwen"]
    assert article.published_at.date() == dt.date(2026, 3, 8)
    assert article.is_published


def test_article_reading_time_agrees_with_the_document(article):
    assert article.reading_time_minutes == 2


def test_article_has_the_three_sections_as_headings(article):
    assert [title for _, title in article.sections] == [
        "The Beginning (2023)",
        "Rapid Iteration (2024)",
        "Into 2025",
    ]


def test_article_body_holds_the_full_text(article):
    seed_phrases = [
        "通义千问",
        "seeking answers from all things",
        "Alibaba Cloud Summit",
        "2024 was the year Qwen went from regional contender to global player.",
        "delivering impressive results on math and logic tasks despite being a preview release.",
        "This has made Qwen models a popular base for researchers and companies worldwide.",
    ]
    for phrase in seed_phrases:
        assert phrase in article.body


@pytest.mark.parametrize("slug", RELEASES)
def test_release_facts_match_the_document(seeded, slug):
    name, year, month, open_weights, access, kind, context, section, predecessor, sizes = RELEASES[slug]
    release = ModelRelease.objects.select_related("predecessor").get(slug=slug)
    assert release.name == name
    assert (release.release_date, release.date_precision) == (dt.date(year, month, 1), "month")
    assert (release.open_weights, release.access, release.kind) == (open_weights, access, kind)
    assert release.context_length == context
    assert release.source_section == section
    assert (release.predecessor.slug if release.predecessor else None) == predecessor
    assert [(s.label, s.parameters_b, s.active_parameters_b, s.architecture) for s in release.sizes.all()] == sorted(
        sizes, key=lambda s: s[1]
    )
    assert release.is_published


@pytest.mark.parametrize("slug", RELEASES)
def test_each_source_passage_is_quoted_verbatim_from_its_section(seeded, slug):
    release = ModelRelease.objects.select_related("source_article").get(slug=slug)
    body = release.source_article.body
    assert release.source_quote in body
    section_titles = dict(release.source_article.sections)
    heading = f"## {section_titles[release.source_section]}"
    section_start = body.index(heading)
    following = [body.index(f"## {t}") for t in section_titles.values() if body.index(f"## {t}") > section_start]
    section_end = min(following, default=len(body))
    assert section_start < body.index(release.source_quote) < section_end


@pytest.mark.parametrize("slug", RELEASES)
def test_stored_size_range_matches_the_sizes(seeded, slug):
    release = ModelRelease.objects.get(slug=slug)
    totals = [s.parameters_b for s in release.sizes.all()]
    assert (release.min_size_b, release.max_size_b) == ((min(totals), max(totals)) if totals else (None, None))
