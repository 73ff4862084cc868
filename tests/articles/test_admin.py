"""The article admin: publishing rules, validation, Markdown preview, history and revert."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from qwensite.editorial.publishing import Status
from tests.admin_forms import admin_form_data
from tests.factories import ArticleFactory, AuthorFactory, TagFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")


def _change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def _new_article_data(author, **overrides):
    return {
        "title": "Qwen 3 in depth",
        "slug": "qwen-3-in-depth",
        "author": str(author.pk),
        "summary": "",
        "body": "Intro.\n\n## Section\n\nText.",
        "status": Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "version": "",
        **overrides,
    }


def _at(moment):
    moment = timezone.localtime(moment)
    return {"published_at_0": moment.strftime("%Y-%m-%d"), "published_at_1": moment.strftime("%H:%M:%S")}


def test_editor_creates_a_draft(editor_client):
    response = editor_client.post(ADD_URL, _new_article_data(AuthorFactory()))

    assert response.status_code == 302
    assert Article.objects.get(slug="qwen-3-in-depth").status == Status.DRAFT


def test_future_publication_time_schedules_the_article(editor_client):
    future = timezone.now() + dt.timedelta(days=2)

    editor_client.post(ADD_URL, _new_article_data(AuthorFactory(), status=Status.PUBLISHED, **_at(future)))

    article = Article.objects.get(slug="qwen-3-in-depth")
    assert article.is_scheduled
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_draft_with_a_past_publication_time_is_a_form_error_on_that_field(editor_client):
    past = timezone.now() - dt.timedelta(days=1)

    response = editor_client.post(ADD_URL, _new_article_data(AuthorFactory(), **_at(past)))

    assert response.status_code == 200
    assert "cannot be scheduled for a time in the past" in str(
        response.context["adminform"].form.errors["published_at"]
    )
    assert not Article.objects.exists()


def test_published_article_without_a_time_is_a_form_error_on_that_field(editor_client):
    response = editor_client.post(ADD_URL, _new_article_data(AuthorFactory(), status=Status.PUBLISHED))

    assert "needs a publication time" in str(response.context["adminform"].form.errors["published_at"])
    assert not Article.objects.exists()


def test_published_article_without_a_time_gets_one_message(editor_client):
    response = editor_client.post(ADD_URL, _new_article_data(AuthorFactory(), status=Status.PUBLISHED))

    assert len(response.context["adminform"].form.errors["published_at"]) == 1


def test_moving_a_drafts_time_to_another_past_time_is_a_form_error(editor_client):
    article = ArticleFactory(status=Status.DRAFT)  # a past time it keeps from when it was published
    data = {
        **admin_form_data(editor_client.get(_change_url(article))),
        **_at(article.published_at - dt.timedelta(days=2)),
    }

    response = editor_client.post(_change_url(article), data)

    assert "cannot be scheduled for a time in the past" in str(
        response.context["adminform"].form.errors["published_at"]
    )


def test_taking_an_article_back_to_draft_keeps_its_past_time(editor_client):
    article = ArticleFactory()
    data = admin_form_data(editor_client.get(_change_url(article)))
    data["status"] = Status.DRAFT

    response = editor_client.post(_change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_duplicate_slug_is_a_form_error_on_the_slug(editor_client):
    ArticleFactory(slug="taken")

    response = editor_client.post(ADD_URL, _new_article_data(AuthorFactory(), slug="taken"))

    assert "Another article already uses this slug" in str(response.context["adminform"].form.errors["slug"])
    assert Article.objects.count() == 1


def test_change_form_shows_the_rendered_and_sanitized_body(editor_client):
    article = ArticleFactory(body="## Heading\n\n<script>alert(1)</script>**bold**")

    response = editor_client.get(_change_url(article))

    html = response.content.decode()
    assert '<h2 id="heading">Heading</h2>' in html
    assert "<strong>bold</strong>" in html
    assert "<script>alert(1)</script>" not in html


def test_markdown_preview_endpoint_renders_sanitized_html(editor_client):
    response = editor_client.post(
        reverse("admin:articles_article_markdown_preview"),
        {"body": "# Title\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)> *ok*"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<em>ok</em>" in html
    assert "javascript:" not in html
    assert "onerror" not in html


def test_markdown_preview_endpoint_refuses_get(editor_client):
    response = editor_client.get(reverse("admin:articles_article_markdown_preview"))

    assert response.status_code == 405


def test_article_change_form_loads_preview_script_from_static_files(editor_client):
    response = editor_client.get(_change_url(ArticleFactory()))

    html = response.content.decode()
    assert 'src="/static/admin/js/markdown_preview.js"' in html
    assert "<script>" not in html


def test_article_changelist_filters_by_tag(editor_client):
    tag = TagFactory(name="coder")
    ArticleFactory(title="Tagged", tags=[tag])
    ArticleFactory(title="Untagged")

    response = editor_client.get(reverse("admin:articles_article_changelist"), {"tags__id__exact": tag.pk})

    assert [a.title for a in response.context["cl"].result_list] == ["Tagged"]


def test_article_changelist_query_count_is_constant(editor_client, django_assert_max_num_queries):
    ArticleFactory.create_batch(15)

    with django_assert_max_num_queries(25):
        response = editor_client.get(reverse("admin:articles_article_changelist"))

    assert len(response.context["cl"].result_list) == 15


def test_author_autocomplete_finds_authors_by_name(editor_client):
    AuthorFactory(name="Michele Zonca")

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "Zon", "app_label": "articles", "model_name": "article", "field_name": "author"},
    )

    assert [r["text"] for r in response.json()["results"]] == ["Michele Zonca"]


def test_change_form_links_to_the_public_page(editor_client):
    article = ArticleFactory(slug="public-one")

    response = editor_client.get(_change_url(article))

    assert 'href="/articles/public-one/"' in response.content.decode()


def test_publish_now_action_publishes_drafts_and_scheduled_entries(editor_client):
    draft = ArticleFactory(status=Status.DRAFT, published_at=None)
    scheduled = ArticleFactory(published_at=timezone.now() + dt.timedelta(days=5))

    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [str(draft.pk), str(scheduled.pk)]},
    )

    assert set(Article.objects.published().values_list("pk", flat=True)) == {draft.pk, scheduled.pk}


def test_back_to_draft_action_hides_the_entry_from_readers(editor_client):
    article = ArticleFactory()

    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "take_back_to_draft", "_selected_action": [str(article.pk)]},
    )

    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert not Article.objects.published().exists()
