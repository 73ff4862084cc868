"""Share a draft: signed, expiring, revocable preview links, rendered as readers see pages."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from qwensite.editorial.models import PreviewLink
from qwensite.editorial.previews import make_token, preview_url
from qwensite.editorial.publishing import Status
from tests.factories import ArticleFactory, PreviewLinkFactory, ReleaseFactory, ReleaseSizeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _draft_article(**kwargs):
    return ArticleFactory(status=Status.DRAFT, published_at=None, **kwargs)


def _share_url(article):
    return reverse("admin:articles_article_share", args=[article.pk])


def test_editor_creates_a_preview_link_with_the_chosen_lifetime(editor_client, editor):
    article = _draft_article()

    editor_client.post(_share_url(article), {"lifetime": "168"})

    link = PreviewLink.objects.get()
    assert link.entry == article
    assert link.created_by == editor
    assert dt.timedelta(days=7) - dt.timedelta(minutes=1) < link.expires_at - timezone.now() <= dt.timedelta(days=7)


def test_share_page_lists_the_working_link(editor_client):
    article = _draft_article()
    link = PreviewLinkFactory(entry=article)

    response = editor_client.get(_share_url(article))

    assert preview_url(link) in response.content.decode()


def test_share_page_refuses_an_unknown_lifetime(editor_client):
    article = _draft_article()

    response = editor_client.post(_share_url(article), {"lifetime": "99999"})

    assert response.context["form"].errors["lifetime"]
    assert not PreviewLink.objects.exists()


def test_editor_revokes_a_link_from_the_share_page(editor_client):
    article = _draft_article()
    link = PreviewLinkFactory(entry=article)

    editor_client.post(_share_url(article), {"revoke": str(link.pk)})

    link.refresh_from_db()
    assert link.revoked_at is not None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not-a-number", "That is not a working preview link"),
        ("1.5", "That is not a working preview link"),
        ("99999999999999999999", "That is not a working preview link"),
        ("", "Choose the preview link to revoke."),
    ],
)
def test_revoking_a_malformed_link_id_is_400_with_a_message(editor_client, value, message):
    article = _draft_article()
    link = PreviewLinkFactory(entry=article)

    response = editor_client.post(_share_url(article), {"revoke": value})

    assert response.status_code == 400
    assert message in response.content.decode()
    link.refresh_from_db()
    assert link.revoked_at is None


def test_revoking_another_entrys_link_is_400_and_revokes_nothing(editor_client):
    article = _draft_article()
    elsewhere = PreviewLinkFactory(entry=_draft_article())

    response = editor_client.post(_share_url(article), {"revoke": str(elsewhere.pk)})

    assert response.status_code == 400
    assert "That is not a working preview link of this entry" in response.content.decode()
    elsewhere.refresh_from_db()
    assert elsewhere.revoked_at is None


def test_staff_outside_editors_cannot_create_preview_links(client):
    client.force_login(UserFactory(is_staff=True))
    article = _draft_article()

    response = client.post(_share_url(article), {"lifetime": "24"})

    assert response.status_code == 403
    assert not PreviewLink.objects.exists()


def test_preview_link_shows_the_draft_article_to_anonymous_readers(client):
    article = _draft_article(title="Secret draft", body="## Plans\n\nWhat comes next.")
    link = PreviewLinkFactory(entry=article)

    response = client.get(preview_url(link))

    assert response.status_code == 200
    assert "Secret draft" in response.content.decode()
    assert [t.name for t in response.templates][0] == "articles/article_detail.html"


def test_draft_itself_stays_hidden_from_anonymous_readers(client):
    article = _draft_article()
    PreviewLinkFactory(entry=article)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 404


def test_preview_link_shows_a_draft_release_with_the_readers_template(client):
    release = ReleaseFactory(name="Qwen Next", status=Status.DRAFT, published_at=None)
    ReleaseSizeFactory(release=release)
    link = PreviewLinkFactory(entry=release)

    response = client.get(preview_url(link))

    assert "Qwen Next" in response.content.decode()
    assert [t.name for t in response.templates][0] == "releases/release_detail.html"


def test_preview_response_is_private_and_not_indexed(client):
    link = PreviewLinkFactory(entry=_draft_article())

    response = client.get(preview_url(link))

    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_expired_preview_link_no_longer_shows_the_draft(client):
    article = _draft_article(title="Secret draft")
    link = PreviewLinkFactory(entry=article, expires_at=timezone.now() - dt.timedelta(seconds=1))

    response = client.get(preview_url(link))

    assert response.status_code == 410
    assert "Secret draft" not in response.content.decode()
    assert "expired" in response.content.decode()


def test_revoked_preview_link_no_longer_shows_the_draft(client):
    link = PreviewLinkFactory(entry=_draft_article(title="Secret draft"), revoked_at=timezone.now())

    response = client.get(preview_url(link))

    assert response.status_code == 410
    assert "revoked" in response.content.decode()


def test_forged_token_is_not_found(client):
    link = PreviewLinkFactory(entry=_draft_article())
    token = make_token(link)

    response = client.get(reverse("preview", kwargs={"token": token[:-2] + "xx"}))

    assert response.status_code == 404


def test_unsigned_link_id_is_not_found(client):
    PreviewLinkFactory(entry=_draft_article())

    response = client.get(reverse("preview", kwargs={"token": "1"}))

    assert response.status_code == 404


def test_preview_link_admin_revoke_action(editor_client):
    link = PreviewLinkFactory(entry=_draft_article())

    editor_client.post(
        reverse("admin:editorial_previewlink_changelist"),
        {"action": "revoke", "_selected_action": [str(link.pk)]},
    )

    link.refresh_from_db()
    assert link.revoked_at is not None


def test_preview_link_of_a_deleted_entry_is_not_found(client):
    article = _draft_article()
    link = PreviewLink.objects.create(
        content_type=ContentType.objects.get_for_model(Article),
        object_id=article.pk,
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    article.delete()

    response = client.get(preview_url(link))

    assert response.status_code == 404


def test_a_links_url_is_the_same_whenever_it_is_made(monkeypatch):
    import time

    link = PreviewLinkFactory(entry=_draft_article())
    first = preview_url(link)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3600)

    assert preview_url(link) == first
