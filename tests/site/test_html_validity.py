"""Every reader page is valid HTML5, checked by the Nu HTML Checker (vnu.jar, run once)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PAGES = {
    "home": "/",
    "articles": "/articles/",
    "article": "/articles/the-history-of-qwen/",
    "tag": "/articles/tags/qwen/",
    "author": "/articles/authors/michele-zonca/",
    "catalogue": "/releases/",
    "catalogue-filtered": "/releases/?year=2024&open_weights=true&ordering=-max_size_b",
    "catalogue-error": "/releases/?year=abc&colour=red",
    "catalogue-size": "/releases/?min_size=7&ordering=-name",
    "release": "/releases/qwen-3/",
    "family": "/releases/qwen-2-5/family/",
    "release-closed": "/releases/tongyi-qianwen/",
    "compare": "/releases/compare/?r=qwen-2&r=qwen-3&r=qwen-2-5-max",
    "compare-error": "/releases/compare/?r=qwen-2",
    "compare-picker": "/releases/compare/",
    "compare-unknown": "/releases/compare/?r=Qwen+4&r=qwen-2",
    "cite": "/releases/qwen-3/cite/",
    "feeds": "/feeds/",
    "unknown-release": "/releases/qwen-4/",
    "page-past-the-end": "/releases/?page=99",
    "search": "/search/?q=reasoning+model",
    "search-typo": "/search/?q=resoning",
    "search-empty": "/search/",
    "not-found": "/no-such-page/",
    "bad-page": "/articles/?page=abc",
    "sources": "/releases/sources/",
    "changes": "/releases/changes/",
    "data": "/data/",
}


def test_reader_pages_have_no_html_errors(client, seeded, tmp_path):
    for name, url in PAGES.items():
        (tmp_path / f"{name}.html").write_bytes(client.get(url).content)

    java = shutil.which("java") or "java"
    completed = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *sorted(map(str, tmp_path.glob("*.html")))],
        capture_output=True,
        text=True,
        timeout=300,
    )

    messages = json.loads(completed.stderr or "{}").get("messages", [])
    errors = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == []
    assert completed.returncode == 0
