"""States and formats in the editors' admin, as a browser shows them."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qwensite.editorial.publishing import Status, moment
from tests.browser.test_admin_editing import log_in
from tests.factories import ArticleFactory, ReleaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def wide_page(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 800},
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_the_state_column_is_whole_at_1280_px(seeded, editor, wide_page):
    later = timezone.now() + dt.timedelta(days=30)
    ReleaseFactory(name="Qwen 4", release_date=dt.date(2030, 1, 1), published_at=later)
    log_in(wide_page, editor)
    wide_page.goto("/admin/releases/modelrelease/")
    cell = wide_page.locator("#result_list td.field-publication_state").first
    expect(cell).to_have_text(f"Scheduled for {moment(later)}")
    box = cell.bounding_box()
    assert box["x"] >= 0
    # The list scrolls inside its own box: the cell must lie within that box, which must not scroll.
    results = wide_page.locator("#changelist .results")
    frame = results.bounding_box()
    assert box["x"] + box["width"] <= frame["x"] + frame["width"], (box, frame)
    assert results.evaluate("element => element.scrollWidth <= element.clientWidth")
    assert wide_page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_the_slug_keeps_version_parts_apart(editor, wide_page):
    log_in(wide_page, editor)
    wide_page.goto("/admin/releases/modelrelease/add/")
    wide_page.locator("#id_name").press_sequentially("Qwen 3.5")
    expect(wide_page.locator("#id_slug")).to_have_value("qwen-3-5")
    wide_page.goto("/admin/articles/article/add/")
    wide_page.locator("#id_title").press_sequentially("Qwen2.5-Coder, explained")
    expect(wide_page.locator("#id_slug")).to_have_value("qwen2-5-coder-explained")


def test_the_copy_button_copies_the_share_link(editor, wide_page):
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    log_in(wide_page, editor)
    wide_page.goto(f"/admin/articles/article/{article.pk}/share/")
    wide_page.get_by_role("button", name="Create preview link").click()
    link = wide_page.locator("a.preview-url").first
    wide_page.get_by_role("button", name="Copy link").first.click()
    expect(wide_page.locator(".copy-status").first).to_have_text("Copied.")
    assert wide_page.evaluate("navigator.clipboard.readText()") == link.get_attribute("href")
