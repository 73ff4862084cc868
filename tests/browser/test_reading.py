import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_reader_opens_the_article_from_home_and_sees_its_sections(seeded, page):
    page.goto("/")
    page.get_by_role("link", name="The History of Qwen").first.click()

    page.wait_for_url(re.compile(r"/articles/the-history-of-qwen/$"))  # the article loaded, not only its URL
    assert page.get_by_role("heading", level=2, name="Rapid Iteration (2024)").is_visible()
    assert page.get_by_text("2 minutes to read").is_visible()


def test_reader_copies_a_release_citation_with_the_button(seeded, chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto("/releases/qwen-3/")
        page.get_by_role("link", name="Cite this release").click()

        page.get_by_role("button", name="Copy BibTeX").click()

        page.get_by_text("Copied to the clipboard.").wait_for()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("@misc{qwen-3,")
        assert copied == page.locator("#bibtex").text_content()
    finally:
        context.close()


def test_without_javascript_the_cite_page_hides_the_copy_button(seeded, chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/releases/qwen-3/cite/")

        assert page.get_by_role("button", name="Copy BibTeX").count() == 0
        assert page.get_by_role("link", name="Download qwen-3.bib").is_visible()
    finally:
        context.close()


def test_keyboard_user_lands_on_the_results_after_applying_filters(seeded, page):
    page.goto("/releases/")
    page.get_by_role("checkbox", name="2024").check()

    page.get_by_role("button", name="Apply filters").click()

    page.wait_for_url(re.compile(r"year=2024.*#results$"))
    page.keyboard.press("Tab")
    # The next Tab stop after the results' start is inside the results, not the page's header.
    focused = page.evaluate("document.activeElement.closest('#results') !== null")
    assert focused
