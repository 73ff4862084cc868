"""Narrative linked to data: release names in a rendered article link to their catalogue entries.

This runs on HTML that has already been sanitized (articles/markdown.py). It only rewrites
text between tags, never inside an existing link, a heading or code, and the links it adds
carry nothing but ``href`` and ``title``, which the sanitizer allows, so they survive
another pass through it.

An article can tell hundreds of releases, and a pattern of hundreds of names costs far more
than the page around it, so the linked body is kept in the cache (``linked_body``) per saved
version of the body and per the exact names and slugs it links: a rename, a new slug or a
release that leaves the story makes another key, and the old one is never read again.
"""

import hashlib
import re

from django.core.cache import cache
from django.utils.html import escape

from articles.models import BODY_CACHE_TIMEOUT

# Part of the linked body's key: bump it when link_release_names' output changes.
LINKS_FORMAT = 1

TAG = re.compile(r"(<[^>]*>)")
SKIPPED = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")


def link_release_names(html, releases):
    """Link every mention of a release's name in ``html`` to its page.

    ``releases`` are (name, url) pairs. Longer names win over their prefixes
    ("Qwen 2.5 Max" over "Qwen 2.5"), and a name only matches as a whole word:
    "QwQ-32B" does not match inside "QwQ-32B-Preview".
    """
    urls = {escape(name): url for name, url in releases if name}
    if not urls or not html:
        return html
    names = sorted(urls, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, names)) + r")(?![\w-]|\.\w)")

    def link(match):
        name = match.group(1)
        return f'<a href="{escape(urls[name])}" title="{name} in the release catalogue">{name}</a>'

    parts, skipping = [], []
    for piece in TAG.split(html):
        if piece.startswith("<"):
            tag = TAG_NAME.match(piece)
            if tag and tag.group(2).lower() in SKIPPED and not piece.endswith("/>"):
                if tag.group(1):
                    if skipping and skipping[-1] == tag.group(2).lower():
                        skipping.pop()
                else:
                    skipping.append(tag.group(2).lower())
            parts.append(piece)
        elif piece and not skipping:
            parts.append(pattern.sub(link, piece))
        else:
            parts.append(piece)
    return "".join(parts)


def linked_body(article, releases, address):
    """``article``'s body with the names of ``releases`` ((name, slug) pairs) linked to their
    pages, kept per version of the body and of those pairs. ``address`` gives a slug's page; it
    is called only when the body is linked anew."""
    if not releases or article.pk is None:
        return link_release_names(article.body_html, [(name, address(slug)) for name, slug in releases])
    digest = hashlib.blake2b(repr(tuple(releases)).encode(), digest_size=16).hexdigest()
    return cache.get_or_set(
        article.body_cache_key(f"linked:{LINKS_FORMAT}:{digest}"),
        lambda: link_release_names(article.body_html, [(name, address(slug)) for name, slug in releases]),
        BODY_CACHE_TIMEOUT,
    )
