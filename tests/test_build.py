"""Each build of the code keeps what it drew apart (qwensite.freshness.build): after a deploy that
changes the code, no page, row, drawing or rendered body the code before it made is served."""

import sys

import pytest
from django.core.cache import cache

from qwensite.freshness import state
from qwensite.freshness.build import BUILD, build_digest
from tests.factories import ArticleFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

ROW = "releases/_catalogue_row.html"
TIMELINE = "_home_timeline.html"


@pytest.fixture
def next_build(monkeypatch):
    """Switch this process to another build, as a deploy of changed code does: every module that
    reads the build sees the new one, and the content state is kept under the new build's keys."""

    def switch(build="0123456789ab"):
        current = BUILD  # this module's own BUILD is switched too
        for module in list(sys.modules.values()):
            if getattr(module, "BUILD", None) == current:
                monkeypatch.setattr(module, "BUILD", build)
        state_key, kind_key = state.state_keys_of(build)
        monkeypatch.setattr(state, "STATE_KEY", state_key)
        monkeypatch.setattr(state, "KIND_KEY", kind_key)

    return switch


def rendered(response, template_name):
    return sum(template.name == template_name for template in response.templates)


def test_the_build_is_the_same_for_the_same_files_and_changes_with_a_template(settings, tmp_path):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    page = tmp_path / "page.html"
    page.write_text("<p>{{ release.name }}</p>")
    first = build_digest()
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "page.cpython-311.pyc").write_bytes(b"compiled")

    unchanged = build_digest()
    page.write_text("<p>{{ release.name }} ({{ release.year }})</p>")
    changed = build_digest()

    assert unchanged == first  # bytecode is not code: it is left out
    assert changed != first


def test_the_build_changes_with_a_pinned_library(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("Django==5.2.19\n")
    first = build_digest()

    requirements.write_text("Django==5.2.20\n")

    assert build_digest() != first


def test_a_page_stored_by_one_build_is_not_served_by_the_next(client, next_build):
    ReleaseFactory()
    cache.clear()  # the state rebuilt from the data, as a new build finds it
    first = client.get("/releases/")
    assert client.get("/releases/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304  # stored

    next_build()
    after = client.get("/releases/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert rendered(after, ROW) == 1  # drawn by this build, not read from the store


def test_rows_and_the_timeline_kept_by_one_build_are_drawn_again_by_the_next(client, cold, next_build):
    ReleaseFactory.create_batch(2)
    client.get("/releases/")
    client.get("/")
    assert rendered(client.get("/releases/"), ROW) == 0  # kept
    assert rendered(client.get("/"), TIMELINE) == 0

    next_build()
    catalogue = client.get("/releases/")
    home = client.get("/")

    assert rendered(catalogue, ROW) == 2
    assert rendered(home, TIMELINE) == 1


def test_an_article_body_is_kept_per_build(next_build):
    article = ArticleFactory()
    before = article.body_cache_key("html")

    next_build()

    assert article.body_cache_key("html") != before


def test_the_content_state_is_kept_under_keys_of_the_build():
    assert state.state_keys_of(BUILD)[0] == state.STATE_KEY
    assert state.KIND_KEY.startswith(state.STATE_KEY)  # the watch on STATE_KEY covers every kind


def test_a_page_stored_after_an_edit_is_not_served_by_the_next_build(client, next_build):
    release = ReleaseFactory()
    client.get("/releases/")
    release.name = "Qwen Renamed"
    release.save()  # the state's tokens renewed in the cache, not rebuilt from the data
    first = client.get("/releases/")
    assert client.get("/releases/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    next_build()
    after = client.get("/releases/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert after.status_code == 200
    assert rendered(after, ROW) == 1


def test_the_build_is_the_checkouts_not_a_processs_configuration(settings, tmp_path):
    before = build_digest()
    settings.STATIC_ROOT = tmp_path  # a server's collected static files, with their manifest
    (tmp_path / "staticfiles.json").write_text('{"paths": {}}')

    assert build_digest() == before  # so a server and a management command share one state
