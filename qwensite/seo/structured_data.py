"""JSON-LD for search engines: ``Article`` for articles, ``SoftwareApplication`` for releases.

The data block is not executable script, so the Content-Security-Policy does not apply
to it; its JSON is escaped so that no stored text can close the element.
"""

import json

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from qwensite.seo.origin import absolute

JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data):
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def article_data(article, word_count=None):
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "description": article.summary,
        "url": absolute(article.get_absolute_url()),
        "mainEntityOfPage": absolute(article.get_absolute_url()),
        "author": {
            "@type": "Person",
            "name": article.author.name,
            "url": absolute(article.author.get_absolute_url()),
        },
        "keywords": [tag.name for tag in article.tags.all()],
        "inLanguage": "en",
    }
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
    if article.updated_at:
        data["dateModified"] = max(article.updated_at, article.published_at or article.updated_at).isoformat()
    if word_count is not None:
        data["wordCount"] = word_count
    return data


def release_data(release, predecessor=None, source_article=None):
    """A release; ``predecessor`` and ``source_article`` only if the reader may see them."""
    data = {
        "@context": "https://schema.org",
        "@type": "SoftwareApplication",
        "applicationCategory": "Large language model",
        "name": release.name,
        "description": release.summary,
        "url": absolute(release.get_absolute_url()),
        "datePublished": (
            release.release_date.isoformat() if release.date_precision == "day" else f"{release.release_date:%Y-%m}"
        ),
        "isBasedOn": absolute(predecessor.get_absolute_url()) if predecessor else None,
        "subjectOf": {
            "@type": "Article",
            "headline": source_article.title,
            "url": absolute(f"{source_article.get_absolute_url()}#{release.source_section}"),
        }
        if source_article
        else None,
    }
    return {key: value for key, value in data.items() if value is not None}


def website_data():
    """The site itself, with its search, for the home page."""
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": "qwensite",
        "url": absolute("/"),
        "potentialAction": {
            "@type": "SearchAction",
            "target": absolute("/search/?q={search_term_string}"),
            "query-input": "required name=search_term_string",
        },
    }
