"""Chinese names in an English page are marked lang="zh", in Markdown and in plain text alike."""

import pytest
from django.template import Context, Template

from articles.markdown import mark_chinese, render_markdown

pytestmark = pytest.mark.django_db


def test_a_run_of_chinese_characters_is_marked_as_chinese():
    html = render_markdown("Qwen (通义千问, Tongyi Qianwen) is a model family.")

    assert html == '<p>Qwen (<span lang="zh">通义千问</span>, Tongyi Qianwen) is a model family.</p>'


def test_runs_with_chinese_punctuation_inside_stay_one_run():
    assert mark_chinese("通义，千问 and 模型") == '<span lang="zh">通义，千问</span> and <span lang="zh">模型</span>'


def test_attributes_and_tags_are_left_alone():
    html = '<a href="/s/通义" title="千问">通义</a>'

    assert mark_chinese(html) == '<a href="/s/通义" title="千问"><span lang="zh">通义</span></a>'


def test_text_without_chinese_is_unchanged():
    assert render_markdown("Plain *English*.") == "<p>Plain <em>English</em>.</p>"


def test_markup_an_author_writes_is_still_sanitized():
    html = render_markdown('<span lang="zh" onclick="x()">通义</span><script>alert(1)</script>')

    assert "onclick" not in html
    assert "<script" not in html
    assert '<span lang="zh">通义</span>' in html


def test_the_template_filter_escapes_first_then_marks():
    rendered = Template("{% load languages %}{{ text|lang_marked }}").render(Context({"text": "<b>通义千问</b>"}))

    assert rendered == '&lt;b&gt;<span lang="zh">通义千问</span>&lt;/b&gt;'


def test_the_shipped_article_marks_its_chinese_name(client, seeded):
    article = client.get("/articles/the-history-of-qwen/").text
    home = client.get("/").text

    assert '<span lang="zh">通义千问</span>' in article[article.index("<main") :]
    assert '<span lang="zh">通义千问</span>' in home[home.index("<main") :]
