"""Lighthouse on the reader pages: ``make audit`` (not part of ``make test``).

Loads the document's content into a throwaway SQLite database, serves it with gunicorn and
production settings on a free loopback port, and runs Lighthouse 12 (``node_modules``,
headless Chromium, Lighthouse's default phone emulation) on the home page, the catalogue, a
release page and the article, each fetched once first, as a running site has. Prints the
four scores of each page and fails when accessibility, best practices or SEO is below 100,
or performance below ``--min-performance``.
The HTML and JSON reports are left in ``audit/``.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.harness import ROOT, GunicornServer, fetch, manage, production_env

PAGES = {
    "home": "/",
    "catalogue": "/releases/",
    "release page": "/releases/qwen-3/",
    "article": "/articles/the-history-of-qwen/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking"


def lighthouse(url, output, chrome):
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--output=json",
            "--output=html",
            f"--output-path={output}",
            "--quiet",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": chrome},
    )
    report = json.loads(Path(f"{output}.report.json").read_text())
    failed = [
        f"{audit['id']} ({audit['score']})"
        for audit in report["audits"].values()
        if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") == "binary"
    ]
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}, failed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-performance", type=int, default=int(os.environ.get("AUDIT_MIN_PERFORMANCE", 95)))
    parser.add_argument("--output", default=str(ROOT / "audit"))
    args = parser.parse_args(argv)
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `npm ci` (make install).")
    output = Path(args.output)
    output.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="qwensite-audit-") as tmp:
        env = production_env(f"sqlite:///{tmp}/audit.sqlite3", "", DJANGO_SECURE_SSL_REDIRECT="false")
        manage(env, "migrate", "--noinput")
        manage(env, "loaddata", "fixtures/qwen_history.json")
        manage(env, "collectstatic", "--noinput")
        results = {}
        server = GunicornServer(env, name="audit")
        env["DJANGO_SITE_URL"] = server.base_url  # canonical and other absolute URLs on the address audited
        with server:
            # A running site has rendered its pages before: the first, cold render (templates
            # compiled, the article's Markdown rendered) is not what a reader waits for.
            for path in [*PAGES.values(), "/robots.txt"]:
                fetch(server.base_url, path)
            for name, path in PAGES.items():
                results[name] = lighthouse(server.base_url + path, output / name.replace(" ", "-"), chrome)
    print(f"{'page':<14}" + "".join(f"{name:>16}" for name in CATEGORIES))
    shortfalls = []
    for name, (scores, failed) in results.items():
        print(f"{name:<14}" + "".join(f"{scores[category]:>16}" for category in CATEGORIES))
        goals = {"performance": args.min_performance, "accessibility": 100, "best-practices": 100, "seo": 100}
        shortfalls += [f"{name}: {cat} {scores[cat]} < {goal}" for cat, goal in goals.items() if scores[cat] < goal]
        if failed:
            print(f"{'':<14}failed audits: {', '.join(failed)}")
    print(f"Reports in {output}/")
    if shortfalls:
        sys.exit("Below the goals: " + "; ".join(shortfalls))


if __name__ == "__main__":
    main()
