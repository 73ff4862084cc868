"""Narrative linked to data: release names in a rendered article link to their catalogue entries.

This runs on HTML that has already been sanitized (articles/markdown.py). It only rewrites
text between tags, never inside an existing link, a heading or code, and the links it adds
carry nothing but ``href`` and ``title``, which the sanitizer allows, so they survive
another pass through it.
"""

import re

from django.utils.html import escape

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
