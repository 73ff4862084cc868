"""What an edit costs the next requests: the first request to each page after an edit of one kind.

With the response cache on and every page stored, an editor's change is made through the ORM
(``manage.py shell``, so the edit sends the signals an admin save sends and renews the content
state every server shares), then each page is requested once: a page that shows what changed is
rendered again (its queries and time are a cache-cold request's), a page that does not is still
answered from its stored copy (no query). A second request shows each page stored again. The
edit is then undone, the same way.

Times are wall-clock milliseconds of one request on loopback, so they are indicative; the
queries (``X-Query-Count``) say which pages were rendered.
"""

import subprocess
import sys
import time

from benchmarks.harness import ROOT, fetch
from qwensite.ops.querycount import HEADER as QUERY_COUNT

PAGES = [
    ("api list", "/api/v1/releases/"),
    ("catalogue", "/releases/"),
    ("release page", "/releases/{release}/"),
    ("article page", "/articles/{article}/"),
    ("home", "/"),
]
MARK = " (edited for the benchmark)"
# Each edit toggles the mark at the end of a summary: run twice, it leaves the row as it was.
EDITS = [
    ("article summary", "articles.models", "Article", "{article}"),
    ("release summary", "releases.models", "ModelRelease", "{release}"),
]
TOGGLE = """
from {module} import {model}
row = {model}.objects.get(slug={slug!r})
row.summary = row.summary[: -len({mark!r})] if row.summary.endswith({mark!r}) else row.summary + {mark!r}
row.save()
"""


def _toggle(env, module, model, slug):
    code = TOGGLE.format(module=module, model=model, slug=slug, mark=MARK)
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def _request(server, path):
    started = time.perf_counter()
    status, headers, _ = fetch(server.base_url, path, {QUERY_COUNT: "1"}, timeout=600)
    elapsed = 1000 * (time.perf_counter() - started)
    count = headers.get(QUERY_COUNT)
    return {"status": status, "ms": elapsed, "queries": int(count) if count is not None else None}


def edit_costs(server, env, values):
    """For each edit: each page's request before it (stored), the first after it, and the next."""
    pages = [(name, path.format(**values)) for name, path in PAGES]
    rows = []
    for edit, module, model, slug in EDITS:
        slug = slug.format(**values)
        for _, path in pages:  # every page stored, in both workers' reach
            _request(server, path)
            _request(server, path)
        before = {name: _request(server, path) for name, path in pages}
        _toggle(env, module, model, slug)
        after = {name: _request(server, path) for name, path in pages}
        again = {name: _request(server, path) for name, path in pages}
        _toggle(env, module, model, slug)
        rows += [
            {"edit": edit, "endpoint": name, "before": before[name], "next": after[name], "again": again[name]}
            for name, _ in pages
        ]
    return rows


def print_edit_costs(label, rows):
    print(f"\nWhat an edit costs the next request ({label}): ms of one request, and its queries")
    print(f"  {'edit':<16} {'endpoint':<13} {'stored':>8} {'next':>8} {'queries':>7} {'again':>8}")
    for row in rows:
        print(
            f"  {row['edit']:<16} {row['endpoint']:<13} {row['before']['ms']:8.1f} {row['next']['ms']:8.1f} "
            f"{row['next']['queries'] if row['next']['queries'] is not None else '-':>7} {row['again']['ms']:8.1f}",
            flush=True,
        )
