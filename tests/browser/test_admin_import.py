"""An editor imports a file with bad rows in headless Chromium: every reason is read as text,
on its line, and the list fits a 1280 px window."""

import csv
import io

import pytest
from playwright.sync_api import expect

from releases.models import ModelRelease
from tests.browser.test_admin_accessibility import axe_page, serious_violations  # noqa: F401  (a fixture)
from tests.browser.test_admin_editing import log_in
from tests.factories import ArticleFactory
from tests.releases.test_admin_import import _row

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_problems_of_a_refused_file_are_listed_in_words_within_the_page(editor, axe_page):  # noqa: F811
    page = axe_page
    article = ArticleFactory()
    long_text = "A summary far longer than any cell should be, " * 40
    rows = [
        _row(article, "qwen-a", summary=long_text),
        _row(article, "qwen-b", context_length="abc", summary=long_text),
        _row(article, "qwen-c", predecessor="qwen-9"),
        _row(article, "qwen-d", release_date="2025-04-17", source_quote="x" * 300),
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    log_in(page, editor)

    page.goto("/admin/releases/modelrelease/import/")
    page.get_by_label("Format").select_option(label="csv")
    page.locator("input[type=file]").set_input_files(
        {"name": "releases.csv", "mimeType": "text/csv", "buffer": out.getvalue().encode()}
    )
    page.get_by_role("button", name="Submit").click()

    problems = page.locator("ol.import-problems > li")
    expect(problems).to_have_count(4)
    expect(problems.nth(0)).to_have_text("Line 3, column context_length, value “abc”: not a whole number.")
    expect(problems.nth(1)).to_have_text("Line 4, column predecessor, value “qwen-9”: no release has this slug.")
    expect(problems.nth(2)).to_contain_text("Line 5, column release_date, value “2025-04-17”: With month precision")
    expect(problems.nth(3)).to_contain_text("Line 5, column source_quote")
    for index in range(4):
        expect(problems.nth(index)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert page.viewport_size["width"] == 1280
    assert serious_violations(page) == []
    assert not ModelRelease.objects.exists()
