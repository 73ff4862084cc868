"""Search across articles and releases, ranked, with the matched words highlighted.

On PostgreSQL this is full-text search (weighted SearchVector, websearch SearchQuery,
SearchRank, SearchHeadline). Elsewhere (SQLite in development) a small ranked fallback
scores the same fields with the same weights and highlights the matched words itself.
Either way an excerpt is escaped before the highlight marks go in, so stored text can
never inject markup.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Exists, F, OuterRef, TextField, Value, When
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from articles.markdown import render_markdown
from articles.models import Article
from releases.models import ModelRelease

MAX_RESULTS = 50
EXCERPT_WORDS = 30
# Sentinels that cannot occur in stored text; swapped for <mark> after escaping.
START, STOP = "\x02", "\x03"

# field -> weight, as SearchVector weights A (most important) to C.
ARTICLE_FIELDS = {"title": "A", "summary": "B", "body": "C"}
# ``quote`` is the release's source passage while its article is published, else empty:
# the passage is the article's text, which readers may not see before the article.
RELEASE_FIELDS = {"name": "A", "summary": "B", "notable_claims": "C", "quote": "C"}
WEIGHT_SCORES = {"A": 1.0, "B": 0.4, "C": 0.2}


@dataclass
class Result:
    kind: str  # "Article" or "Release"
    title: str
    url: str
    excerpt: str  # safe HTML with <mark> around matched words
    rank: float
    date_display: str


def search(query):
    """Ranked results for ``query``, best first."""
    query = " ".join(query.split())
    if not query:
        return []
    articles = Article.objects.published().select_related("author")
    told_in_published = Exists(Article.objects.published().filter(pk=OuterRef("source_article_id")))
    releases = ModelRelease.objects.published().annotate(
        quote=Case(When(told_in_published, then=F("source_quote")), default=Value(""), output_field=TextField())
    )
    engine = _postgres_search if settings.IS_POSTGRES else _fallback_search
    results = engine(query, articles, releases)
    results.sort(key=lambda r: (-r.rank, r.title))
    return results[:MAX_RESULTS]


def _highlighted(text):
    """Escape ``text``, then turn the sentinels into <mark> elements."""
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))


def _article_result(article, rank, excerpt):
    return Result(
        kind="Article",
        title=article.title,
        url=article.get_absolute_url(),
        excerpt=_highlighted(excerpt),
        rank=rank,
        date_display=f"{article.published_at:%-d %B %Y}" if article.published_at else "",
    )


def _release_result(release, rank, excerpt):
    return Result(
        kind="Release",
        title=release.name,
        url=release.get_absolute_url(),
        excerpt=_highlighted(excerpt),
        rank=rank,
        date_display=release.release_date_display,
    )


def _plain(markdown_text):
    """The reader-visible words of a Markdown text."""
    return " ".join(strip_tags(render_markdown(markdown_text)).split())


# PostgreSQL full-text search ------------------------------------------------------------


def _postgres_search(query, articles, releases):
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

    search_query = SearchQuery(query, search_type="websearch", config="english")
    headline_options = {
        "config": "english",
        "start_sel": START,
        "stop_sel": STOP,
        "max_words": EXCERPT_WORDS,
        "min_words": 12,
        "max_fragments": 2,
        "fragment_delimiter": " … ",
    }

    def vector(fields):
        parts = [SearchVector(field, weight=weight, config="english") for field, weight in fields.items()]
        combined = parts[0]
        for part in parts[1:]:
            combined = combined + part
        return combined

    def ranked(queryset, fields, excerpt_field):
        # Rank on the weighted vector itself: ranking on the annotation loses the weights.
        return (
            queryset.annotate(document=vector(fields))
            .filter(document=search_query)
            .annotate(rank=SearchRank(vector(fields), search_query))
            .annotate(
                excerpt=SearchHeadline(excerpt_field, search_query, **headline_options),
                summary_excerpt=SearchHeadline("summary", search_query, **headline_options),
            )
            .order_by("-rank")[:MAX_RESULTS]
        )

    found_articles = ranked(articles, ARTICLE_FIELDS, "body")
    found_releases = ranked(releases, RELEASE_FIELDS, "quote")
    results = []
    for article in found_articles:
        excerpt = article.excerpt if START in article.excerpt else article.summary_excerpt
        results.append(_article_result(article, article.rank, _strip_markdown_marks(excerpt)))
    for release in found_releases:
        excerpt = release.summary_excerpt if START in release.summary_excerpt else release.excerpt
        results.append(_release_result(release, release.rank, excerpt))
    return results


def _strip_markdown_marks(text):
    """Drop Markdown heading and list markers that a headline over the raw body may include."""
    return re.sub(r"(^|\s)(#{1,6}|[-*])\s", r"\1", text).strip()


# Fallback: ranked matching in Python ----------------------------------------------------


def _terms(query):
    """The query's words, lower-cased, without quotes or operators."""
    return [word.strip(".") for word in re.findall(r"[\w.]+", query.lower()) if word.strip(".")]


def _term_pattern(terms):
    """Words match at the start of a word ("release" finds "released"); numbers match whole ("2" not "2024")."""
    words = sorted({t for t in terms if not t[0].isdigit()}, key=len, reverse=True)
    numbers = sorted({t for t in terms if t[0].isdigit()}, key=len, reverse=True)
    alternatives = []
    if words:
        alternatives.append("(" + "|".join(map(re.escape, words)) + r")\w*")
    if numbers:
        alternatives.append("(" + "|".join(map(re.escape, numbers)) + r")(?![\w]|\.\d)")
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


def _matched_term(match):
    return next(group for group in match.groups() if group).lower()


def _score(texts_by_weight, pattern, terms, phrase):
    """Weighted count of matches, more for the whole phrase; every term must appear (AND, like websearch)."""
    found, score = set(), 0.0
    for weight, text in texts_by_weight:
        for match in pattern.finditer(text):
            found.add(_matched_term(match))
            score += WEIGHT_SCORES[weight]
        if len(terms) > 1 and phrase in text.lower():
            score += 3 * WEIGHT_SCORES[weight]
    return score if set(terms) <= found else 0.0


def _excerpt(text, pattern):
    """About EXCERPT_WORDS words around the first match, matches wrapped in sentinels."""
    words = text.split()
    first = next((i for i, word in enumerate(words) if pattern.search(word)), None)
    if first is None:
        return ""
    start = max(0, first - EXCERPT_WORDS // 3)
    chosen = words[start : start + EXCERPT_WORDS]
    snippet = " ".join(chosen)
    snippet = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", snippet)
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + EXCERPT_WORDS < len(words) else ""
    return f"{prefix}{snippet}{suffix}"


def _fallback_search(query, articles, releases):
    terms = _terms(query)
    if not terms:
        return []
    pattern = _term_pattern(terms)
    phrase = " ".join(terms)
    results = []
    for article in articles:
        body = _plain(article.body)
        texts = [("A", article.title), ("B", article.summary), ("C", body)]
        rank = _score(texts, pattern, terms, phrase)
        if rank:
            excerpt = _excerpt(body, pattern) or _excerpt(article.summary, pattern) or article.summary
            results.append(_article_result(article, rank, excerpt))
    for release in releases:
        texts = [(RELEASE_FIELDS[field], getattr(release, field)) for field in RELEASE_FIELDS]
        rank = _score(texts, pattern, terms, phrase)
        if rank:
            excerpt = _excerpt(release.summary, pattern) or _excerpt(release.quote, pattern) or release.summary
            results.append(_release_result(release, rank, excerpt))
    return results
