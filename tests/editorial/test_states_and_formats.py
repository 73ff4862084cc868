"""The editorial admin tells the truth about states and shows values as editors write them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qwensite.editorial.models import PreviewLink
from qwensite.editorial.previews import preview_url
from qwensite.editorial.publishing import Status, moment
from tests.admin_forms import admin_form_data
from tests.factories import ArticleFactory, ReleaseFactory, ReleaseSizeFactory

pytestmark = pytest.mark.django_db


def change_url(release):
    return reverse("admin:releases_modelrelease_change", args=[release.pk])


def badge(response):
    return response.context["publication_badge"]


def test_moment_names_the_site_time_zone():
    when = dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC)
    assert moment(when) == "12 March 2026, 09:00 UTC"


def test_the_change_form_shows_each_state_in_a_badge(editor_client):
    live = ReleaseFactory()
    later = timezone.now() + dt.timedelta(days=3)
    scheduled = ReleaseFactory(published_at=later)
    draft = ReleaseFactory(status=Status.DRAFT, published_at=None)
    taken_back = ReleaseFactory()
    taken_back.status = Status.DRAFT
    taken_back.save()

    assert badge(editor_client.get(change_url(live))) == "Published"
    response = editor_client.get(change_url(scheduled))
    assert badge(response) == f"Scheduled for {moment(later)}"
    assert f"Scheduled for {moment(later)}" in response.content.decode()
    assert badge(editor_client.get(change_url(draft))) == "Draft"
    assert badge(editor_client.get(change_url(taken_back))) == "Changed since published"
    assert badge(editor_client.get(reverse("admin:releases_modelrelease_add"))) == "Draft"


def test_scheduling_says_scheduled_with_the_time_and_zone(editor_client):
    release = ReleaseFactory()
    data = admin_form_data(editor_client.get(change_url(release)))
    later = (timezone.now() + dt.timedelta(days=10)).replace(hour=9, minute=0, second=0, microsecond=0)
    data.update(published_at_0=f"{later:%Y-%m-%d}", published_at_1="09:00:00", _continue="1")
    response = editor_client.post(change_url(release), data, follow=True)
    texts = [str(message) for message in response.context["messages"]]
    assert any(text.startswith(f"Scheduled for {moment(later)}: readers see it from then.") for text in texts), texts
    assert badge(response) == f"Scheduled for {moment(later)}"


def test_taking_a_live_entry_back_to_draft_says_readers_no_longer_see_it(editor_client):
    release = ReleaseFactory()
    data = admin_form_data(editor_client.get(change_url(release)))
    data.update(status=Status.DRAFT)
    response = editor_client.post(change_url(release), data, follow=True)
    texts = [str(message) for message in response.context["messages"]]
    assert any("Taken back to draft: readers no longer see it." in text for text in texts), texts


def test_the_list_state_names_the_zone(editor_client):
    later = timezone.now() + dt.timedelta(days=3)
    ReleaseFactory(published_at=later)
    response = editor_client.get(reverse("admin:releases_modelrelease_changelist"))
    assert f"Scheduled for {moment(later)}" in response.content.decode()


def test_a_shared_preview_tells_its_visitor_it_is_a_preview_not_an_editor_page():
    article = ArticleFactory(status=Status.DRAFT, published_at=None, title="Plans")
    link = PreviewLink.objects.create(entry=article, expires_at=timezone.now() + dt.timedelta(hours=2))
    page = Client().get(preview_url(link)).content.decode()
    assert "only editors see this page" not in page
    assert "A preview shared by the editors" in page
    assert moment(link.expires_at).split(",")[0] in page


def test_an_editor_on_a_draft_page_is_told_only_editors_see_it(editor_client):
    release = ReleaseFactory(status=Status.DRAFT, published_at=None)
    page = editor_client.get(release.get_absolute_url()).content.decode()
    assert "only editors see this page" in page
    assert "A preview shared by the editors" not in page


def test_the_share_page_offers_a_copy_button_and_names_the_zone(editor_client):
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    url = reverse("admin:articles_article_share", args=[article.pk])
    response = editor_client.post(url, {"lifetime": "24"}, follow=True)
    page = response.content.decode()
    assert 'class="button copy-link"' in page
    assert "admin/js/copy_link.js" in page
    link = PreviewLink.objects.get()
    texts = [str(message) for message in response.context["messages"]]
    assert f"Preview link created; it works until {moment(link.expires_at)}." in texts


def test_sizes_show_without_trailing_zeros(editor_client):
    release = ReleaseFactory()
    ReleaseSizeFactory(release=release, label="Qwen-7B", parameters_b=Decimal("7.000"))
    ReleaseSizeFactory(release=release, label="Qwen-0.5B", parameters_b=Decimal("0.500"))
    page = editor_client.get(change_url(release)).content.decode()
    assert 'value="7"' in page
    assert 'value="0.5"' in page
    assert "7.000" not in page
    listing = editor_client.get(reverse("admin:releases_modelrelease_changelist")).content.decode()
    assert "0.5 to 7" in listing


def test_dates_come_back_in_iso_form(editor_client):
    release = ReleaseFactory(release_date=dt.date(2025, 6, 1))
    page = editor_client.get(change_url(release)).content.decode()
    assert 'value="2025-06-01"' in page
    assert "01/06/2025" not in page


def test_the_error_summary_links_to_each_field_in_error_inlines_included(editor_client):
    release = ReleaseFactory(status=Status.DRAFT, published_at=None)
    data = admin_form_data(editor_client.get(change_url(release)))
    data.update({"name": "", "sizes-0-label": "Qwen-7B", "sizes-0-parameters_b": "-3"})
    response = editor_client.post(change_url(release), data)
    assert response.status_code == 200
    page = response.content.decode()
    summary = page.split('class="error-summary"', 1)[1].split("</nav>", 1)[0]
    assert 'href="#id_name"' in summary
    assert 'href="#id_sizes-0-parameters_b"' in summary
    assert "Release size 1, total parameters (billions)" in summary, summary


def test_the_recovery_pages_name_the_zone_of_their_times(editor_client):
    article = ArticleFactory(title="Gone for now")
    article.delete()
    page = editor_client.get(reverse("admin:articles_article_deleted")).content.decode()
    row = page.split('id="deleted-entries"', 1)[1].split("</table>", 1)[0]
    assert " UTC</td>" in row


def test_a_preview_link_names_the_zone_of_its_expiry():
    article = ArticleFactory(title="Plans")
    link = PreviewLink.objects.create(entry=article, expires_at=dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC))
    assert str(link) == "Preview of Plans until 2026-03-12 09:00 UTC"
