"""Form widgets that let an editor point at a section of an article by its heading.

Which article's sections are valid for a value is the rule of the model that stores it (a
release's source article, a claim's source: ``Article.passage_error``); these widgets only
offer the headings, read when the form is shown, so that an anchor is chosen, not typed.
"""

from django import forms
from django.utils.html import format_html, format_html_join

from articles.models import Article


def article_sections():
    """``[(article title, [(anchor, heading), ...]), ...]`` for every article with sections."""
    articles = Article.objects.only("pk", "title", "body").order_by("title", "pk")
    return [(article.title, article.sections) for article in articles if article.sections]


class SectionSelect(forms.Select):
    """A choice of the articles' headings, grouped by article: "The Beginning (2023) (#the-beginning-2023)"."""

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=self.section_choices)

    @staticmethod
    def section_choices():
        grouped = [
            (title, [(anchor, f"{heading} (#{anchor})") for anchor, heading in sections])
            for title, sections in article_sections()
        ]
        return [("", "Choose a section of the source article"), *grouped]


class SectionListInput(forms.TextInput):
    """A text input that suggests the articles' heading anchors (an HTML ``datalist``).

    For a value that is a section anchor when it cites an article of this site, and free text
    (a page, a line) for any other source: the browser offers the headings and accepts either.
    """

    def __init__(self, attrs=None, sections=None):
        super().__init__(attrs)
        self.sections = sections  # article_sections(), read once for every form that shows it

    def render(self, name, value, attrs=None, renderer=None):
        sections = article_sections() if self.sections is None else self.sections
        list_id = f"{(attrs or {}).get('id') or name}-sections"
        field = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        options = format_html_join(
            "",
            '<option value="{}">{} ({})</option>',
            ((anchor, heading, title) for title, headings in sections for anchor, heading in headings),
        )
        return format_html('{}<datalist id="{}">{}</datalist>', field, list_id, options)
