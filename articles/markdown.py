"""Markdown to HTML for everything readers see, always sanitized.

python-markdown passes raw HTML straight through, so its output goes through nh3
(the Rust ``ammonia`` sanitizer) with an allow-list before it reaches a page.
"""

import difflib
import re

import markdown
import nh3

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    # "*": attributes every tag may carry. Empty, or nh3 keeps its default (title, lang) on all.
    "*": set(),
    "a": {"href", "title"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "th": {"align"},
    "td": {"align"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

EXTENSIONS = ["toc", "tables", "fenced_code", "sane_lists", "smarty"]
EXTENSION_CONFIGS = {"toc": {"permalink": False, "toc_depth": "2-3"}}


# Han characters (with the CJK symbols and full-width forms around them) written in an
# English page: marked lang="zh", so that readers' browsers pick a Chinese font and voice.
CHINESE_RUN = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]"
    r"(?:[\u3000-\u303f\uff00-\uffef\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]*"
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f])?"
)
TAG = re.compile(r"(<[^>]*>)")


def mark_chinese(html):
    """Wrap each run of Chinese characters in the text of ``html`` (sanitized or escaped, so
    every ``<`` opens a tag) in ``<span lang="zh">``; tags and their attributes are left alone."""
    parts = TAG.split(html)
    for index in range(0, len(parts), 2):  # the even parts are text between tags
        parts[index] = CHINESE_RUN.sub(lambda run: f'<span lang="zh">{run.group(0)}</span>', parts[index])
    return "".join(parts)


def render_markdown(text):
    """Render Markdown to sanitized HTML, Chinese runs marked with their language."""
    html = markdown.markdown(text or "", extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    return mark_chinese(sanitize_html(html))


def sanitize_html(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def heading_anchors(text):
    """The (anchor, title) of each second-level heading, in order, as rendered."""
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    md.convert(text or "")
    return [(token["id"], token["name"]) for token in md.toc_tokens]


SECOND_LEVEL_HEADING = re.compile(r"(?m)^## .*$")
TYPOGRAPHIC = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def section_texts(text):
    """``{anchor: source text}`` of each second-level section; the text before the first heading is ``""``."""
    anchors = [anchor for anchor, _title in heading_anchors(text)]
    return dict(zip(["", *anchors], SECOND_LEVEL_HEADING.split(text or ""), strict=False))


def _comparable(text):
    """Text as a passage is compared: typographic quotes plain, runs of whitespace one space."""
    return " ".join((text or "").translate(TYPOGRAPHIC).split())


def passage_found(section, passage):
    """Whether ``passage`` stands in ``section`` word for word (whitespace and quote style aside)."""
    return bool(_comparable(passage)) and _comparable(passage) in _comparable(section)


def nearest_sentence(section, passage):
    """The sentence of ``section`` closest to ``passage``, to show with a refused quote."""
    sentences = [_comparable(s).lstrip("-• ") for s in SENTENCE_END.split(section or "") if s.strip()]
    sentences = [s for s in sentences if s]
    if not sentences:
        return ""
    wanted = _comparable(passage)
    return max(sentences, key=lambda sentence: difflib.SequenceMatcher(None, wanted, sentence).ratio())
