"""The import page's list of problems (qwensite.editorial.imports.import_problems)."""

from django import template

from qwensite.editorial.imports import import_problems as problems_of

register = template.Library()


@register.simple_tag
def import_problems(result):
    return problems_of(result)
