"""History in the admin: who changed what, comparing versions, reverting and recovering."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from qwensite.editorial.publishing import Status
from tests.admin_forms import admin_form_data
from tests.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


def _change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def _edit_title(client, article, title):
    data = admin_form_data(client.get(_change_url(article)))
    data["title"] = title
    return client.post(_change_url(article), data)


def test_a_change_records_who_made_it(editor_client, editor):
    article = ArticleFactory(title="Before")

    _edit_title(editor_client, article, "After")

    latest = article.history.latest("history_date")
    assert (latest.title, latest.history_user) == ("After", editor)


def test_history_page_shows_what_changed(editor_client):
    article = ArticleFactory(title="Before")
    _edit_title(editor_client, article, "After")

    response = editor_client.get(reverse("admin:articles_article_history", args=[article.pk]))

    html = response.content.decode()
    assert "Before" in html
    assert "After" in html
    assert "Compare two versions" in html


def test_compare_view_lists_the_fields_changed_between_two_versions(editor_client):
    article = ArticleFactory(title="First", summary="Same summary")
    _edit_title(editor_client, article, "Second")
    _edit_title(editor_client, article, "Third")
    oldest, newest = article.history.earliest("history_date"), article.history.latest("history_date")

    response = editor_client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"from": oldest.history_id, "to": newest.history_id},
    )

    changes = {(c["field"], c["old"], c["new"]) for c in response.context["changes"]}
    assert ("title", "First", "Third") in {(str(f).lower(), o, n) for f, o, n in changes}
    assert all("summary" not in str(field).lower() for field, _old, _new in changes)


def test_compare_view_without_versions_is_not_found(editor_client):
    article = ArticleFactory()

    response = editor_client.get(reverse("admin:articles_article_compare", args=[article.pk]), {"from": "x"})

    assert response.status_code == 404


def test_revert_restores_an_earlier_version_without_a_conflict(editor_client):
    article = ArticleFactory(title="Original")
    _edit_title(editor_client, article, "Changed once")
    _edit_title(editor_client, article, "Changed twice")
    original = article.history.earliest("history_date")
    revert_url = reverse("admin:articles_article_simple_history", args=[article.pk, original.history_id])

    response = editor_client.post(revert_url, admin_form_data(editor_client.get(revert_url)))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Original"


def test_reverting_a_draft_to_the_past_time_it_had_is_accepted(editor_client):
    article = ArticleFactory()
    published_at = article.published_at
    article.status = Status.DRAFT  # taken back to draft: keeps its past time
    article.save()
    taken_back = article.history.latest("history_date")
    article.published_at = timezone.now() + dt.timedelta(days=7)  # then planned anew
    article.save()
    revert_url = reverse("admin:articles_article_simple_history", args=[article.pk, taken_back.history_id])

    response = editor_client.post(revert_url, admin_form_data(editor_client.get(revert_url)))

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.published_at.replace(microsecond=0)) == (
        Status.DRAFT,
        published_at.replace(microsecond=0),
    )


def test_recovering_a_deleted_draft_keeps_its_past_time(editor_client):
    article = ArticleFactory(status=Status.DRAFT)
    pk, published_at = article.pk, article.published_at
    article.delete()
    record = Article.history.filter(id=pk, history_type="-").get()

    editor_client.post(reverse("admin:articles_article_recover", args=[record.history_id]))

    assert Article.objects.get(pk=pk).published_at == published_at


def test_revert_is_refused_when_someone_saved_after_the_revert_page_opened(editor_client):
    article = ArticleFactory(title="Original")
    _edit_title(editor_client, article, "Changed once")
    original = article.history.earliest("history_date")
    revert_url = reverse("admin:articles_article_simple_history", args=[article.pk, original.history_id])
    stale = admin_form_data(editor_client.get(revert_url))
    _edit_title(editor_client, article, "Saved meanwhile")

    response = editor_client.post(revert_url, stale)

    assert response.status_code == 200
    article.refresh_from_db()
    assert article.title == "Saved meanwhile"


def test_deleted_article_is_listed_for_recovery(editor_client):
    article = ArticleFactory(title="Gone for now")
    article.delete()

    response = editor_client.get(reverse("admin:articles_article_deleted"))

    assert "Gone for now" in response.content.decode()


def test_recovering_a_deleted_article_brings_it_back_as_it_was(editor_client):
    article = ArticleFactory(title="Gone for now", slug="gone-for-now")
    pk = article.pk
    article.delete()
    record = Article.history.filter(id=pk, history_type="-").get()

    response = editor_client.post(reverse("admin:articles_article_recover", args=[record.history_id]))

    assert response.status_code == 302
    recovered = Article.objects.get(pk=pk)
    assert (recovered.title, recovered.slug) == ("Gone for now", "gone-for-now")


def test_recovering_is_refused_when_the_slug_was_taken_since(editor_client):
    article = ArticleFactory(slug="reused")
    pk = article.pk
    article.delete()
    ArticleFactory(slug="reused")
    record = Article.history.filter(id=pk, history_type="-").get()

    response = editor_client.post(reverse("admin:articles_article_recover", args=[record.history_id]), follow=True)

    assert "Cannot recover" in response.content.decode()
    assert not Article.objects.filter(pk=pk).exists()


def test_recovered_article_gets_back_its_tags(editor_client):
    tags = [TagFactory(name="qwen"), TagFactory(name="history")]
    article = ArticleFactory(tags=tags)
    article.save()  # a version recorded with its tags
    pk = article.pk
    editor_client.post(reverse("admin:articles_article_delete", args=[pk]), {"post": "yes"})
    record = Article.history.filter(id=pk, history_type="-").get()

    editor_client.post(reverse("admin:articles_article_recover", args=[record.history_id]))

    assert sorted(Article.objects.get(pk=pk).tags.values_list("name", flat=True)) == ["history", "qwen"]


@pytest.mark.django_db(transaction=True)
def test_revert_works_outside_a_test_transaction(editor_client):
    article = ArticleFactory(title="Original")
    _edit_title(editor_client, article, "Changed")
    original = article.history.earliest("history_date")
    revert_url = reverse("admin:articles_article_simple_history", args=[article.pk, original.history_id])

    response = editor_client.post(revert_url, admin_form_data(editor_client.get(revert_url)))

    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Original"
