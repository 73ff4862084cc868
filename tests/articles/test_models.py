import pytest

from articles.markdown import render_markdown
from tests.factories import ArticleFactory, AuthorFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_str_and_urls():
    article = ArticleFactory(title="The History of Qwen", slug="the-history-of-qwen")
    assert str(article) == "The History of Qwen"
    assert article.get_absolute_url() == "/articles/the-history-of-qwen/"
    assert AuthorFactory(slug="michele-zonca").get_absolute_url() == "/articles/authors/michele-zonca/"
    assert TagFactory(name="qwen", slug="qwen").get_absolute_url() == "/articles/tags/qwen/"


@pytest.mark.parametrize(("words", "minutes"), [(1, 1), (230, 1), (231, 2), (460, 2), (461, 3)])
def test_reading_time_rounds_up_at_230_words_a_minute(words, minutes):
    assert ArticleFactory(body=" ".join(["word"] * words)).reading_time_minutes == minutes


def test_reading_time_ignores_markup():
    article = ArticleFactory(body="## Heading\n\n**bold** [link](https://example.org)")
    assert article.word_count == 3


def test_sections_are_the_body_headings_with_their_anchors():
    article = ArticleFactory(body="Intro\n\n## The Beginning (2023)\n\ntext\n\n## Into 2025\n\nmore")
    assert article.sections == [("the-beginning-2023", "The Beginning (2023)"), ("into-2025", "Into 2025")]


def test_markdown_is_rendered_and_sanitized():
    html = render_markdown(
        "## Hi\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    assert '<h2 id="hi">Hi</h2>' in html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


def test_articles_are_newest_first():
    from django.utils import timezone

    older = ArticleFactory(published_at=timezone.now() - timezone.timedelta(days=3))
    newer = ArticleFactory()
    assert list(type(older).objects.all()) == [newer, older]


def test_author_and_tag_str():
    assert str(AuthorFactory(name="Michele Zonca")) == "Michele Zonca"
    assert str(TagFactory(name="llm")) == "llm"
