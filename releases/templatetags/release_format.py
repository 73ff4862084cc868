"""Template filters for release figures."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def billions(value):
    """A parameter count in billions without trailing zeros: 72, 0.5, 235 (never 7.2E+1)."""
    if value in (None, ""):
        return ""
    return f"{Decimal(value).normalize():f}B"


@register.filter
def tokens(value):
    """A context length: 131,072 tokens (128K)."""
    if not value:
        return ""
    short = f" ({value // 1024}K)" if value % 1024 == 0 else ""
    return f"{value:,} tokens{short}"
