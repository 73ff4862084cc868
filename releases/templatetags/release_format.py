"""Template filters for release figures."""

from django import template

from releases import models

register = template.Library()


@register.filter
def billions(value):
    """A parameter count in billions without trailing zeros: 72, 0.5, 235 (never 7.2E+1)."""
    if value in (None, ""):
        return ""
    return models.billions(value)


@register.filter
def tokens(value):
    """A context length: 131,072 tokens (128K)."""
    if not value:
        return ""
    short = f" ({value // 1024}K)" if value % 1024 == 0 else ""
    return f"{value:,} tokens{short}"
