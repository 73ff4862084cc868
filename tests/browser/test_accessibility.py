"""axe-core finds no accessibility violations on the reader pages; the pages keep to the CSP."""

from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "home": "/",
    "article": "/articles/the-history-of-qwen/",
    "catalogue": "/releases/?year=2024",
    "catalogue error": "/releases/?year=abc",
    "catalogue by size": "/releases/?min_size=7&ordering=-name",
    "catalogue by article": "/releases/?article=the-history-of-qwen",
    "catalogue unknown article": "/releases/?article=no-such-story",
    "release detail": "/releases/qwen-3/",
    "family": "/releases/qwen-3/family/",
    "search": "/search/?q=reasoning",
    "search typo": "/search/?q=resoning",
    "compare": "/releases/compare/?r=qwen-2&r=qwen-3",
    "compare picker": "/releases/compare/",
    "compare unknown name": "/releases/compare/?r=Qwen+4&r=qwen-2",
    "cite": "/releases/qwen-3/cite/",
    "feeds": "/feeds/",
    "unknown release": "/releases/qwen-4/",
    "page past the end": "/releases/?page=99",
    "sources": "/releases/sources/",
    "changes": "/releases/changes/",
}


@pytest.fixture
def axe_page(chromium, live_server):
    """A page that may inject axe-core: the site's CSP rightly forbids inline script, so it is bypassed here."""
    context = chromium.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.mark.parametrize("url", PAGES.values(), ids=PAGES.keys())
def test_page_has_no_axe_violations(seeded, axe_page, url):
    axe_page.goto(url)

    axe_page.add_script_tag(path=str(AXE))
    result = axe_page.evaluate("async () => await axe.run(document)")

    violations = [(v["id"], v["help"], [node["target"] for node in v["nodes"]]) for v in result["violations"]]
    assert violations == []


def test_pages_load_under_the_content_security_policy_without_errors(seeded, page):
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))

    for url in PAGES.values():
        page.goto(url)

    assert [error for error in console_errors if "400" not in error and "404" not in error] == []


def test_pages_fit_a_phone_screen_without_sideways_scrolling(seeded, page):
    page.set_viewport_size({"width": 360, "height": 740})
    overflowing = []

    for url in PAGES.values():
        page.goto(url)
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            overflowing.append(url)

    assert overflowing == []
