"""Search across articles and releases, ranked, with the matched words highlighted, tolerant
of typos.

On PostgreSQL this is full-text search over the stored, weighted vectors (qwensite.fulltext:
kept current by every save, GIN-indexed), with a websearch SearchQuery, SearchRank and
SearchHeadline. Elsewhere (SQLite in development) a small ranked fallback scores the same
fields with the same weights and highlights the matched words itself.

When nothing matches, each word of the query that the indexed text does not contain is
replaced by the closest word it does contain ("resoning" by "reasoning"), and the corrected
query is searched instead; the results say so. On PostgreSQL the candidate words come from
the entries that pg_trgm finds most alike (trigram word similarity), on SQLite from the whole
indexed vocabulary; difflib picks the closest. Either way an excerpt is escaped before the
highlight marks go in, so stored text can never inject markup.
"""

import difflib
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Exists, F, FloatField, OuterRef, Q, TextField, Value, When
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
# A typed word is corrected to an indexed word at least this alike (difflib's ratio, 0 to 1),
# and only if it has at least CORRECTED_LENGTH letters (short words have too many neighbours).
CLOSENESS = 0.75
CORRECTED_LENGTH = 4
# PostgreSQL: the entries of each kind, most alike by trigrams, whose words are the candidates.
CANDIDATE_ENTRIES = 10


@dataclass
class Result:
    kind: str  # "Article" or "Release"
    title: str
    url: str
    excerpt: str  # safe HTML with <mark> around matched words
    rank: float
    date_display: str


class Results(list):
    """Results, best first; ``corrected`` is the query searched instead of the reader's, when
    the reader's found nothing and a corrected one did (else None)."""

    corrected = None


def search(query):
    """Ranked results for ``query``, best first, or for its correction if it finds nothing."""
    query = " ".join(query.split())
    if not query:
        return Results()
    articles = Article.objects.published().select_related("author")
    told_in_published = Exists(Article.objects.published().filter(pk=OuterRef("source_article_id")))
    releases = ModelRelease.objects.published().annotate(
        told=told_in_published,
        quote=Case(When(told_in_published, then=F("source_quote")), default=Value(""), output_field=TextField()),
    )
    engine, vocabulary = (
        (_postgres_search, _postgres_vocabulary) if settings.IS_POSTGRES else (_fallback_search, _fallback_vocabulary)
    )
    results = Results(engine(query, articles, releases))
    if not results:
        corrected = _corrected(query, vocabulary(query, articles, releases))
        if corrected:
            results = Results(engine(corrected, articles, releases))
            results.corrected = corrected if results else None
    results.sort(key=lambda r: (-r.rank, r.title))
    del results[MAX_RESULTS:]
    return results


def _corrected(query, vocabulary):
    """``query`` with each word the vocabulary lacks replaced by its closest word there, or
    None when no word changes."""
    changed, words = False, []
    for term in _terms(query):
        if len(term) >= CORRECTED_LENGTH and not term[0].isdigit() and term not in vocabulary:
            close = difflib.get_close_matches(term, vocabulary, n=1, cutoff=CLOSENESS)
            if close:
                words.append(close[0])
                changed = True
                continue
        words.append(term)
    return " ".join(words) if changed else None


def _words(*texts):
    return {word for text in texts if text for word in _terms(text)}


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
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

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

    def with_excerpts(queryset, excerpt_field):
        return queryset.annotate(
            excerpt=SearchHeadline(excerpt_field, search_query, **headline_options),
            summary_excerpt=SearchHeadline("summary", search_query, **headline_options),
        ).order_by("-rank")[:MAX_RESULTS]

    # The stored vectors are weighted (A to C), so their rank keeps the weights.
    found_articles = with_excerpts(
        articles.filter(search_vector=search_query).annotate(rank=SearchRank(F("search_vector"), search_query)),
        "body",
    )
    # A release's source passage counts only while its article is published.
    quote_rank = Case(
        When(told=True, then=SearchRank(F("quote_vector"), search_query)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    found_releases = with_excerpts(
        releases.filter(Q(search_vector=search_query) | Q(told=True, quote_vector=search_query)).annotate(
            rank=SearchRank(F("search_vector"), search_query) + quote_rank
        ),
        "quote",
    )
    results = []
    for article in found_articles:
        excerpt = article.excerpt if START in article.excerpt else article.summary_excerpt
        results.append(_article_result(article, article.rank, _strip_markdown_marks(excerpt)))
    for release in found_releases:
        excerpt = release.summary_excerpt if START in release.summary_excerpt else release.excerpt
        results.append(_release_result(release, release.rank, excerpt))
    return results


def _postgres_vocabulary(query, articles, releases):
    """The words of the entries most alike to the query's words by trigrams (pg_trgm's word
    similarity over their indexed fields): two queries, each reading CANDIDATE_ENTRIES rows."""
    from django.contrib.postgres.search import TrigramWordSimilarity

    terms = [term for term in _terms(query) if len(term) >= CORRECTED_LENGTH and not term[0].isdigit()]
    if not terms:
        return set()

    def alike(queryset, fields):
        similarity = None
        for term in terms:
            for field in fields:
                part = TrigramWordSimilarity(term, field)
                similarity = part if similarity is None else similarity + part
        return queryset.annotate(similarity=similarity).order_by("-similarity")[:CANDIDATE_ENTRIES]

    vocabulary = set()
    for article in alike(articles.select_related(None).only("title", "summary", "body"), ARTICLE_FIELDS):
        vocabulary |= _words(article.title, article.summary, article.body)
    for release in alike(
        releases.only("name", "summary", "notable_claims", "source_quote"), ["name", "summary", "notable_claims"]
    ):
        vocabulary |= _words(release.name, release.summary, release.notable_claims, release.quote)
    return vocabulary


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


def _fallback_vocabulary(query, articles, releases):
    """Every word readers can find: the titles, summaries and bodies of the published articles,
    the names, summaries, claims and told passages of the published releases."""
    vocabulary = set()
    for article in articles:
        vocabulary |= _words(article.title, article.summary, _plain(article.body))
    for release in releases:
        vocabulary |= _words(*(getattr(release, field) for field in RELEASE_FIELDS))
    return vocabulary


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
