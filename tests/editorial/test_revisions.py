"""Revisions of a whole entry: a release's revision holds its sizes and claims; reverting restores them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from qwensite.editorial.publishing import Status, moment
from releases.models import ModelRelease, ReleaseSize
from tests.admin_forms import admin_form_data
from tests.factories import ReleaseFactory, ReleaseSizeFactory

pytestmark = pytest.mark.django_db


def change_url(release):
    return reverse("admin:releases_modelrelease_change", args=[release.pk])


def revert_url(release, record):
    return reverse("admin:releases_modelrelease_simple_history", args=[release.pk, record.history_id])


def save_form(client, release, **changes):
    data = admin_form_data(client.get(change_url(release)))
    data.update(changes)
    response = client.post(change_url(release), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    return ModelRelease.history.filter(id=release.pk).latest("history_date")


@pytest.fixture
def release_with_a_size(editor_client):
    """A release saved once in the admin with Qwen3-8B at 7B (its first revision), then edited to 8B."""
    release = ReleaseFactory(name="Qwen 3", status=Status.DRAFT, published_at=None)
    ReleaseSizeFactory(release=release, label="Qwen3-8B", parameters_b=Decimal("7"))
    seven = save_form(editor_client, release, summary="With a 7B size.")
    eight = save_form(editor_client, release, **{"sizes-0-parameters_b": "8", "summary": "With an 8B size."})
    return release, seven, eight


def test_a_revert_restores_the_sizes_of_that_version(editor_client, release_with_a_size):
    release, seven, _eight = release_with_a_size
    ReleaseSizeFactory(release=release, label="Qwen3-14B", parameters_b=Decimal("14"))  # added since
    assert ReleaseSize.objects.get(label="Qwen3-8B").parameters_b == Decimal("8")

    page = editor_client.get(revert_url(release, seven))
    told = [str(change) for change in page.context["changes"]]
    assert "Qwen3-8B: 8B → 7B" in told
    assert "Removed size Qwen3-14B" in told
    response = editor_client.post(revert_url(release, seven), admin_form_data(page))

    assert response.status_code == 302
    release.refresh_from_db()
    assert [(s.label, s.parameters_b) for s in release.sizes.all()] == [("Qwen3-8B", Decimal("7"))]
    assert release.summary == "With a 7B size."
    assert release.max_size_b == Decimal("7")
    latest = ReleaseSize.history.filter(label="Qwen3-8B").latest("history_date")
    assert latest.history_change_reason.startswith("Reverted to the version of")


def test_a_revert_is_all_or_nothing(editor_client, release_with_a_size):
    """The release and its sizes are written, then the whole is checked: a refusal undoes all of it."""
    release, seven, _eight = release_with_a_size
    ModelRelease.history.filter(pk=seven.pk).update(source_section="a-section-the-article-lost")

    page = editor_client.get(revert_url(release, seven))
    response = editor_client.post(revert_url(release, seven), admin_form_data(page))

    assert response.status_code == 200
    assert "has no section with the anchor" in response.content.decode()
    assert ReleaseSize.objects.get(label="Qwen3-8B").parameters_b == Decimal("8")
    release.refresh_from_db()
    assert (release.summary, release.source_section) == ("With an 8B size.", "first-section")


def test_a_revert_to_a_slug_taken_since_is_refused(editor_client, release_with_a_size):
    release, seven, _eight = release_with_a_size
    ReleaseFactory(slug="taken")
    ModelRelease.history.filter(pk=seven.pk).update(slug="taken")

    page = editor_client.get(revert_url(release, seven))
    response = editor_client.post(revert_url(release, seven), admin_form_data(page))

    assert response.status_code == 200
    assert "slug" in response.content.decode().lower()
    assert ModelRelease.objects.get(pk=release.pk).slug != "taken"


def test_a_revert_that_would_unpublish_asks_first(editor_client):
    release = ReleaseFactory(name="Qwen 3", status=Status.DRAFT, published_at=None)
    draft = save_form(editor_client, release, summary="Draft summary.")
    ModelRelease.objects.filter(pk=release.pk).update(
        status=Status.PUBLISHED, published_at=timezone.now() - dt.timedelta(hours=1)
    )
    release.refresh_from_db()
    save_form(editor_client, release, summary="Live summary.")

    page = editor_client.get(revert_url(release, draft))
    assert "This will take “Qwen 3” off the site" in page.content.decode()
    refused = editor_client.post(revert_url(release, draft), admin_form_data(page))
    assert refused.status_code == 200
    assert "Tick the box to confirm" in refused.content.decode()
    release.refresh_from_db()
    assert (release.status, release.summary) == (Status.PUBLISHED, "Live summary.")

    confirmed = editor_client.post(revert_url(release, draft), {**admin_form_data(page), "confirm_publication": "on"})
    assert confirmed.status_code == 302
    release.refresh_from_db()
    assert (release.status, release.summary) == (Status.DRAFT, "Draft summary.")
    texts = [str(message) for message in editor_client.get(change_url(release)).context["messages"]]
    assert any(text.startswith("Taken back to draft: readers no longer see it.") for text in texts), texts


def test_a_revert_that_would_schedule_names_the_time(editor_client):
    release = ReleaseFactory(name="Qwen 3")
    later = (timezone.now() + dt.timedelta(days=5)).replace(microsecond=0)
    ModelRelease.objects.filter(pk=release.pk).update(published_at=later)
    release.refresh_from_db()
    scheduled = save_form(editor_client, release, summary="Planned.")
    ModelRelease.objects.filter(pk=release.pk).update(published_at=timezone.now() - dt.timedelta(days=1))
    release.refresh_from_db()
    save_form(editor_client, release, summary="Out now.")

    page = editor_client.get(revert_url(release, scheduled)).content.decode()
    assert f"This will schedule “Qwen 3” for {moment(later)}" in page


def test_the_history_lists_a_size_change_in_words_without_internal_fields(editor_client, release_with_a_size):
    release, _seven, _eight = release_with_a_size
    page = editor_client.get(reverse("admin:releases_modelrelease_history", args=[release.pk])).content.decode()
    table = page.split('id="change-history"', 1)[1].split("</table>", 1)[0]
    assert "Qwen3-8B: 7B → 8B" in table
    assert "Summary: With a 7B size. → With an 8B size." in table
    assert "Version" not in table
    assert "Updated at" not in table
    assert "Change reason: None" not in table
    assert "None" not in table
    assert "/admin/auth/user/" not in page  # editors may not open accounts: no link to a 403


def test_the_history_shows_the_reason_when_given(editor_client):
    release = ReleaseFactory()
    release.status = Status.DRAFT
    release._change_reason = "Taken back to draft from the list"
    release.save()
    page = editor_client.get(reverse("admin:releases_modelrelease_history", args=[release.pk])).content.decode()
    assert "Taken back to draft from the list" in page
    assert "Status: Published → Draft" in page


def test_a_time_saved_again_without_its_microseconds_is_not_a_change(editor_client):
    release = ReleaseFactory(published_at=timezone.now().replace(microsecond=123456) - dt.timedelta(days=1))
    save_form(editor_client, release)  # the form sends the time to the second
    page = editor_client.get(reverse("admin:releases_modelrelease_history", args=[release.pk])).content.decode()
    assert "Publication time" not in page.split('id="change-history"', 1)[1]


def test_the_revert_page_breadcrumb_names_the_entry_not_the_history_table(editor_client, release_with_a_size):
    release, seven, _eight = release_with_a_size
    page = editor_client.get(revert_url(release, seven)).content.decode()
    crumbs = page.split('class="breadcrumbs"', 1)[1].split("</div>", 1)[0]
    assert "Historical" not in crumbs
    assert "Model releases" in crumbs
    assert "Qwen 3" in crumbs
    assert "History" in crumbs


def test_compare_lists_size_changes(editor_client, release_with_a_size):
    release, seven, eight = release_with_a_size
    response = editor_client.get(
        reverse("admin:releases_modelrelease_compare", args=[release.pk]),
        {"from": seven.history_id, "to": eight.history_id},
    )
    assert {"field": "Qwen3-8B", "old": "7B", "new": "8B"} in response.context["changes"]


def test_compare_with_live_shows_what_readers_saw_beside_the_draft(editor_client):
    release = ReleaseFactory(name="Qwen 3", summary="Live summary.")
    ReleaseSizeFactory(release=release, label="Qwen3-8B", parameters_b=Decimal("7"))
    save_form(editor_client, release)  # the version readers see
    save_form(editor_client, release, status=Status.DRAFT, summary="Draft summary.", **{"sizes-0-parameters_b": "8"})

    form = editor_client.get(change_url(release))
    assert form.context["publication_badge"] == "Changed since published"
    compare_url = reverse("admin:releases_modelrelease_compare_live", args=[release.pk])
    assert f'href="{compare_url}"' in form.content.decode()

    response = editor_client.get(compare_url)
    assert response.status_code == 200
    changes = response.context["changes"]
    assert {"field": "Summary", "old": "Live summary.", "new": "Draft summary."} in changes
    assert {"field": "Qwen3-8B", "old": "7B", "new": "8B"} in changes
    assert {"field": "Status", "old": "Published", "new": "Draft"} in changes
    page = response.content.decode()
    assert "Readers last saw" in page
    assert "Readers will see" in page
    assert 'class="diff-old">Live summary.' in page
    assert 'class="diff-new">Draft summary.' in page


def test_compare_with_live_is_not_found_for_an_entry_readers_see_as_it_is(editor_client):
    release = ReleaseFactory()
    save_form(editor_client, release)
    response = editor_client.get(reverse("admin:releases_modelrelease_compare_live", args=[release.pk]))
    assert response.status_code == 404


def test_the_history_page_reads_its_versions_in_a_bounded_number_of_queries(
    editor_client, release_with_a_size, django_assert_max_num_queries
):
    release, _seven, _eight = release_with_a_size
    for summary in ("Third.", "Fourth.", "Fifth."):
        save_form(editor_client, release, summary=summary)
    with django_assert_max_num_queries(30):
        response = editor_client.get(reverse("admin:releases_modelrelease_history", args=[release.pk]))
    assert response.status_code == 200
