"""Template filters for text in more than one language."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from articles.markdown import mark_chinese

register = template.Library()


@register.filter(needs_autoescape=True)
def lang_marked(text, autoescape=True):
    """Plain text escaped, its runs of Chinese characters marked ``lang="zh"``."""
    escaped = conditional_escape(text) if autoescape else str(text)
    return mark_safe(mark_chinese(escaped))  # noqa: S308 (escaped above; mark_chinese adds only its spans)
