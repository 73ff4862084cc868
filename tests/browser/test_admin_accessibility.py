"""The admin pages an editor uses have no serious or critical axe-core violations."""

import re
from pathlib import Path

import pytest

from articles.models import Article
from qwensite.editorial.publishing import Status
from releases.models import ModelRelease
from tests.browser.test_admin_editing import log_in

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def axe_page(chromium, live_server):
    # axe is injected as a script tag, which the site's strict CSP would (rightly) block.
    context = chromium.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def serious_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_editor_admin_pages_have_no_serious_accessibility_violations(seeded, editor, axe_page):
    article = Article.objects.get()
    release = ModelRelease.objects.order_by("release_date").last()
    release.save()  # two recorded versions: the revert and compare pages have something to show
    release.summary += " Edited."
    release.save()
    first, latest = release.history.order_by("history_date")
    taken_back = ModelRelease.objects.exclude(pk=release.pk).first()
    taken_back.save()
    taken_back.status = Status.DRAFT
    taken_back.save()  # a draft readers saw before: comparable with that version
    pages = [
        f"/admin/releases/modelrelease/{release.pk}/history/{first.history_id}/",
        f"/admin/releases/modelrelease/{release.pk}/history/compare/?from={first.history_id}&to={latest.history_id}",
        f"/admin/releases/modelrelease/{taken_back.pk}/change/",
        f"/admin/releases/modelrelease/{taken_back.pk}/history/compare-live/",
        "/admin/",
        "/admin/releases/modelrelease/",
        f"/admin/releases/modelrelease/{release.pk}/change/",
        "/admin/releases/modelrelease/add/",
        f"/admin/releases/modelrelease/{release.pk}/history/",
        f"/admin/releases/modelrelease/{release.pk}/share/",
        "/admin/releases/modelrelease/import/",
        "/admin/articles/article/",
        f"/admin/articles/article/{article.pk}/change/",
    ]
    log_in(axe_page, editor)

    found = {}
    for url in pages:
        axe_page.goto(url)
        assert not re.search(r"Server Error", axe_page.content())
        if violations := serious_violations(axe_page):
            found[url] = violations

    assert found == {}, "\n".join(f"{url}: {v}" for url, v in found.items())
