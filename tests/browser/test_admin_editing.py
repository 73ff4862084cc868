"""Editors in headless Chromium: publishing a release, concurrent edits and shared previews."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qwensite.editorial.models import PreviewLink
from qwensite.editorial.publishing import Status
from releases.models import ModelRelease
from tests.factories import ArticleFactory, ReleaseFactory, UserFactory, cite_every_value

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def log_in(page, user):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def set_publication(page, moment):
    moment = timezone.localtime(moment)
    page.locator("#id_status").select_option(Status.PUBLISHED)
    page.locator("#id_published_at_0").fill(moment.strftime("%Y-%m-%d"))
    page.locator("#id_published_at_1").fill(moment.strftime("%H:%M:%S"))


def save_and_continue(page):
    with page.expect_navigation():
        page.locator("input[name=_continue]").first.click()


def choose_autocomplete(page, field_id, text):
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_editor_creates_schedules_and_publishes_a_release_with_two_sizes(editor, new_page):
    ArticleFactory(title="The History of Qwen")
    page, reader = new_page(), new_page()
    log_in(page, editor)

    page.goto("/admin/releases/modelrelease/add/")
    page.locator("#id_name").fill("Qwen 9")
    page.locator("#id_release_date").fill("2026-05-01")
    page.locator("#id_access").select_option("open_weights")
    page.locator("#id_summary").fill("The ninth generation.")
    choose_autocomplete(page, "id_source_article", "The History of Qwen")
    page.locator("#id_source_section").select_option("first-section")
    page.locator("#id_source_quote").fill("Some words about Qwen.")
    page.locator("#id_sizes-0-label").fill("Qwen9-7B")
    page.locator("#id_sizes-0-parameters_b").fill("7")
    page.locator(".add-row a", has_text="Add another Release size").click()
    page.locator("#id_sizes-1-label").fill("Qwen9-235B-A22B")
    page.locator("#id_sizes-1-parameters_b").fill("235")
    page.locator("#id_sizes-1-active_parameters_b").fill("22")
    page.locator("#id_sizes-1-architecture").select_option("moe")
    save_and_continue(page)  # a draft first: publishing needs a source for every stated value

    expect(page.locator(".messagelist .success")).to_be_visible()
    assert page.locator("#id_slug").input_value() == "qwen-9"
    change_url = page.url
    set_publication(page, timezone.now() + dt.timedelta(days=3))
    save_and_continue(page)

    expect(page.locator(".errorlist").first).to_be_visible()
    # Told twice: at the field, and in the summary at the top, which links to the field.
    expect(page.locator(".errorlist", has_text="Publishing needs a source for the release date")).to_be_visible()
    summary_link = page.locator(".error-summary a", has_text="Publishing needs a source for the release date")
    expect(summary_link).to_have_attribute("href", "#id_release_date")
    cite_every_value(ModelRelease.objects.get(slug="qwen-9"))  # the claims inline is tested without a browser
    page.goto(change_url)
    set_publication(page, timezone.now() + dt.timedelta(days=3))
    save_and_continue(page)

    expect(page.locator(".messagelist .success")).to_be_visible()
    assert reader.goto("/releases/qwen-9/").status == 404

    set_publication(page, timezone.now() - dt.timedelta(minutes=1))
    save_and_continue(page)

    expect(page.locator(".messagelist .success")).to_be_visible()
    reader.goto("/releases/qwen-9/")
    expect(reader.get_by_role("heading", level=1, name="Qwen 9")).to_be_visible()
    assert sorted(ModelRelease.objects.get(slug="qwen-9").sizes.values_list("label", flat=True)) == [
        "Qwen9-235B-A22B",
        "Qwen9-7B",
    ]


def test_second_of_two_editors_saving_the_same_release_is_refused(editor, new_page):
    other = UserFactory(is_staff=True, username="second-editor")
    other.groups.set(editor.groups.all())
    release = ReleaseFactory(name="Qwen 2", summary="Original summary.")
    first, second = new_page(), new_page()
    log_in(first, editor)
    log_in(second, other)
    url = f"/admin/releases/modelrelease/{release.pk}/change/"
    first.goto(url)
    second.goto(url)

    first.locator("#id_summary").fill("First editor's summary.")
    save_and_continue(first)
    second.locator("#id_summary").fill("Second editor's summary.")
    save_and_continue(second)

    expect(first.locator(".messagelist .success")).to_be_visible()
    expect(second.locator(".errornote").first).to_be_visible()
    expect(second.get_by_text(re.compile(r"was changed by \S+ at .* after you opened it")).first).to_be_visible()
    assert ModelRelease.objects.get(pk=release.pk).summary == "First editor's summary."


def test_shared_preview_link_shows_a_draft_until_it_expires(editor, new_page):
    article = ArticleFactory(title="Qwen 4: a first look", status=Status.DRAFT, published_at=None)
    page, guest = new_page(), new_page()
    log_in(page, editor)

    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.get_by_role("link", name="Share a preview").click()
    page.get_by_label("Link works for").select_option(label="1 hour")
    with page.expect_navigation():
        page.get_by_role("button", name="Create preview link").click()
    link = page.locator("a.preview-url").first.get_attribute("href")

    guest.goto(link)
    expect(guest.get_by_role("heading", level=1, name="Qwen 4: a first look")).to_be_visible()

    PreviewLink.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = guest.goto(link)

    assert response.status == 410
    assert guest.get_by_text("This preview link has expired.").is_visible()
    assert not guest.get_by_text("Qwen 4: a first look").is_visible()


def test_markdown_preview_renders_as_the_editor_types_under_the_strict_csp(editor, new_page):
    article = ArticleFactory()
    page = new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    log_in(page, editor)
    page.goto(f"/admin/articles/article/{article.pk}/change/")

    page.locator("#id_body").fill("## Typed heading\n\n<script>bad()</script>Some **bold** text.")

    preview = page.locator("#body-preview")
    preview.locator("h2", has_text="Typed heading").wait_for()
    assert preview.locator("strong", has_text="bold").is_visible()
    assert preview.locator("script").count() == 0
    assert [text for text in console if "Content Security Policy" in text and "script-src" in text] == []


def test_editor_drafts_previews_shares_schedules_publishes_and_reverts(editor, new_page):
    from qwensite.editorial.publishing import moment

    release = ReleaseFactory(name="Qwen 9", slug="qwen-9", status=Status.DRAFT, published_at=None)
    cite_every_value(release)
    page, reader = new_page(), new_page()
    log_in(page, editor)
    change_url = f"/admin/releases/modelrelease/{release.pk}/change/"

    # Draft
    page.goto(change_url)
    expect(page.locator("#publication-state .badge")).to_have_text("Draft")
    page.locator("#id_summary").fill("Drafted in the admin.")
    save_and_continue(page)
    expect(page.locator(".messagelist .success")).to_contain_text("Saved as a draft: readers do not see it.")

    # Preview, as an editor
    page.get_by_role("link", name="Preview as readers will see it").click()
    expect(page.get_by_text("only editors see this page")).to_be_visible()
    assert reader.goto("/releases/qwen-9/").status == 404

    # Share: the link's visitor is told it is a preview shared by the editors
    page.goto(change_url)
    page.get_by_role("link", name="Share a preview").click()
    page.get_by_role("button", name="Create preview link").click()
    expect(page.get_by_role("button", name="Copy link")).to_be_visible()
    reader.goto(page.locator("a.preview-url").first.get_attribute("href"))
    expect(reader.get_by_text("A preview shared by the editors")).to_be_visible()
    expect(reader.get_by_text("only editors see this page")).to_have_count(0)

    # Schedule: the badge and the message say Scheduled, with the zone
    page.goto(change_url)
    later = (timezone.now() + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    set_publication(page, later)
    save_and_continue(page)
    expect(page.locator(".messagelist .success")).to_contain_text(f"Scheduled for {moment(later)}")
    expect(page.locator("#publication-state .badge")).to_have_text(f"Scheduled for {moment(later)}")
    assert moment(later).endswith(" UTC")
    assert reader.goto("/releases/qwen-9/").status == 404

    # Publish
    set_publication(page, timezone.now() - dt.timedelta(minutes=1))
    save_and_continue(page)
    expect(page.locator(".messagelist .success")).to_contain_text("Published: readers see it now.")
    expect(page.locator("#publication-state .badge")).to_have_text("Published")
    reader.goto("/releases/qwen-9/")
    expect(reader.get_by_role("heading", level=1, name="Qwen 9")).to_be_visible()

    # Revert to the draft: asked first, told what readers will see
    page.get_by_role("link", name="History").first.click()
    row = page.locator("#change-history tbody tr", has_text="Drafted in the admin.")
    row.get_by_role("link", name="Revert to this version").click()
    expect(page.locator("#publication-warning")).to_have_text(
        "This will take “Qwen 9” off the site: readers will no longer see it."
    )
    page.get_by_role("button", name="Revert to this version").click()
    expect(page.locator(".errorlist")).to_contain_text("Tick the box to confirm")
    page.get_by_label(re.compile("^Yes: This will take")).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Revert to this version").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Taken back to draft: readers no longer see it.")
    expect(page.locator("#publication-state .badge")).to_have_text("Changed since published")
    assert reader.goto("/releases/qwen-9/").status == 404
