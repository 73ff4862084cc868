"""The performance benchmark: every endpoint against /healthz, at 1k and at 100k releases.

    make bench            # or: python -m benchmarks.bench [--sizes 1000,100000] [--slices 3]
    make bench BENCH_ARGS=--quick     # one size, short slices: for iteration, not for the record

Two setups are measured in one run. ``redis``: for each catalogue size it builds (once, then
reuses) a PostgreSQL database of generated content and starts gunicorn with production
settings (debug off, a secret from the environment, loopback as the only allowed host, Redis
as the cache, 2 sync workers). ``embedded``: the default without Redis, an SQLite file of
generated content (``--embedded-sizes``) and the cache on disk the 2 workers share. On each
server (benchmarks.settings: the site, plus the plain-DRF reference list) it
for each endpoint of ``benchmarks.endpoints`` runs wrk at 16 connections in short slices
that alternate with slices of ``/healthz`` on the same server. Every figure is a ratio to
that baseline or a count, so runs on different machines compare:

- rate ratio: the endpoint's requests per second over /healthz's in the same slices;
- CPU ms per request: the workers' utime + stime delta (``/proc/<pid>/stat``) over requests;
- p50 and p99 latency (wrk's latency distribution, merged over the slices);
- queries per request (the ``X-Query-Count`` header, enabled for the benchmark only, and sent
  only to a request that asks with one: the timed requests do not).

Pages the rendered-response cache can serve are measured twice: with the cache switched
off (``DJANGO_RESPONSE_CACHE=false``: every request does the full work, cache-cold) and
on (warm). The table is printed with the goals of the performance issue and written as
JSON to ``var/bench.json``, with what an edit of an article or of a release costs the next
request to each page (benchmarks.edits). An endpoint that does not answer 200 (or 304) is reported as
absent, not measured. The site's cache-cold API list is also given as a ratio to the
reference (``drf reference``: the same list as a default DRF ListAPIView).
"""

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.edits import edit_costs, print_edit_costs
from benchmarks.endpoints import BASELINE, ENDPOINTS, REFERENCE
from benchmarks.harness import (
    ROOT,
    DatabaseBackends,
    GunicornServer,
    ensure_database,
    fetch,
    flush_redis,
    manage,
    merged_percentile,
    production_env,
    wrk,
)
from qwensite.freshness.filecache import default_directory
from qwensite.ops.querycount import HEADER as QUERY_COUNT

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
STATIC_SOURCE = "css/site.css"
SETUPS = ("redis", "embedded")
# (key, text, endpoints, cache, minimum ratio to /healthz), checked for each setup.
RATIO_GOALS = [
    ("api_cold", "API release list, cache cold: at least 0.2 of /healthz", ["api list"], "off", 0.2),
    ("catalogue_cold", "Catalogue page, cache cold: at least 0.2 of /healthz", ["catalogue"], "off", 0.2),
    ("release_cold", "Release page, cache cold: at least 0.25 of /healthz", ["release page"], "off", 0.25),
    ("api_warm", "API release list, warm or 304: at least 0.8 of /healthz", ["api list", "api list 304"], "on", 0.8),
    (
        "pages_warm",
        "Catalogue and release page, warm: at least 0.7 of /healthz",
        ["catalogue", "release page"],
        "on",
        0.7,
    ),
    ("static", "Static file: at least 0.9 of /healthz", ["static file"], "on", 0.9),
]
GOALS_TEXT = {
    "reference": "API release list, cache cold, over the plain-DRF reference list: at least 1",
    "growth": "1k to 100k: first page, filtered list, detail grow at most 1.5x in server time",
    "article": "Article page, cache cold: bounded by what it shows (at most 1.5x from 1k to 100k in server time)",
    "deep": "A page deep in the 100k list: under 20 ms of server time",
    "queries": "Queries per request: at most 4, the same at 1k and 100k",
    "tail": "p99 at most 4x p50 at 16 connections, every endpoint of the site",
}


def size_label(count):
    return f"{count // 1000}k" if count % 1000 == 0 and count >= 1000 else str(count)


def collect_static():
    env = production_env("sqlite:///:memory:", "", DJANGO_CACHE_DIR=tempfile.mkdtemp(prefix="bench-static-cache-"))
    manage(env, "collectstatic", "--noinput", "--clear")
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"][STATIC_SOURCE]


CATALOGUE_PAGE_SIZE, API_PAGE_SIZE = 25, 20
PLACEHOLDERS = """
import json
from articles.models import Article
from releases.models import ModelRelease
releases = ModelRelease.objects.published().order_by("pk").values_list("slug", flat=True)
count = releases.count()
article = Article.objects.published().order_by("pk").values_list("slug", flat=True).first()
# The cursor after which the API's list (in its order, releases.api) has one page left.
from qwensite.freshness.keyset import ordering_of
from qwensite.rest.pagination import CURSOR_START, encode_cursor
listed = ModelRelease.objects.published().order_by("-release_date", "name", "pk")
terms = ordering_of(listed)
boundary = count - %(page)d - 1
cursor = encode_cursor(terms, listed.values_list(*(t.path for t in terms))[boundary]) if boundary >= 0 else CURSOR_START
print(json.dumps({"count": count, "release": releases[count // 2] if count else "none", "article": article or "none",
                  "cursor": cursor}))
"""


def placeholders(database_url, static_path):
    """The paths' placeholders, read through the ORM from the database under test (any backend)."""
    env = production_env(database_url, "", DJANGO_CACHE_DIR=tempfile.mkdtemp(prefix="bench-shell-cache-"))
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", PLACEHOLDERS % {"page": API_PAGE_SIZE}],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(result.stdout.strip().splitlines()[-1])
    count = found["count"]
    return {
        "release": found["release"],
        "article": found["article"],
        "static": static_path,
        # The last page of the unfiltered lists, at releases.views.CATALOGUE_PAGE_SIZE and the
        # API's PAGE_SIZE (REST_FRAMEWORK).
        "catalogue_last": max(1, -(-count // CATALOGUE_PAGE_SIZE)),
        "api_last": max(1, -(-count // API_PAGE_SIZE)),
        "api_cursor": found["cursor"],
    }


def ensure_sqlite_database(count, articles, seed):
    """An SQLite file of generated content for the embedded setup, kept between runs."""
    path = ROOT / "var" / f"bench-embedded-{size_label(count)}-{articles}-{seed}.sqlite3"
    url = f"sqlite:///{path}"
    env = production_env(url, "", DJANGO_CACHE_DIR=tempfile.mkdtemp(prefix="bench-build-cache-"))
    fresh = not path.exists()
    path.parent.mkdir(exist_ok=True)
    manage(env, "migrate", "--noinput")
    if fresh:
        print(f"Generating {count} releases and {articles} articles in {path.name}...", flush=True)
        manage(env, "generate_content", f"--releases={count}", f"--articles={articles}", f"--seed={seed}")
    return url


class NoDatabaseServer:
    """SQLite runs inside the workers: its CPU is already in theirs."""

    def snapshot(self):
        return None

    def delta(self, before):
        return 0.0

    def close(self):
        pass


def measure(server, backends, path, headers, args):
    """Alternate slices of the endpoint and of /healthz; figures for both."""
    wrk(server.base_url, [path], 1, args.connections, headers)  # warm-up: caches, connections
    server.drain()
    runs = {"endpoint": [], "baseline": []}
    cpu = {"endpoint": 0.0, "baseline": 0.0}
    db_cpu = 0.0
    for index in range(args.slices):
        order = [("endpoint", path, headers), ("baseline", BASELINE.path, {})]
        for role, slice_path, slice_headers in order if index % 2 == 0 else reversed(order):
            before, db_before = server.cpu_seconds(), backends.snapshot()
            result = wrk(server.base_url, [slice_path], args.slice_seconds, args.connections, slice_headers)
            cpu[role] += server.cpu_seconds() - before
            if role == "endpoint":
                db_cpu += backends.delta(db_before)
            runs[role].append(result)
            server.drain()

    def totals(role):
        requests = sum(r.requests for r in runs[role])
        seconds = sum(r.seconds for r in runs[role])
        return requests, requests / seconds if seconds else 0.0

    requests, rate = totals("endpoint")
    base_requests, base_rate = totals("baseline")
    p50, p99 = merged_percentile(runs["endpoint"], 50), merged_percentile(runs["endpoint"], 99)
    return {
        "requests": requests,
        "rate_ratio": rate / base_rate if base_rate else None,
        "cpu_ms": 1000 * cpu["endpoint"] / requests if requests else None,
        "db_cpu_ms": 1000 * db_cpu / requests if requests else None,
        "healthz_cpu_ms": 1000 * cpu["baseline"] / base_requests if base_requests else None,
        "p50_ms": p50,
        "p99_ms": p99,
        "healthz_p50_ms": merged_percentile(runs["baseline"], 50),
        "bad_status": sum(r.errors["status"] for r in runs["endpoint"]),
        "socket_errors": sum(r.socket_errors for r in runs["endpoint"]),
    }


def probe(server, endpoint, path):
    """Status and the request headers for wrk, from a plain request first."""
    status, headers, _ = fetch(server.base_url, path, timeout=600)
    if status != 200:
        return {"status": status}, None
    request_headers = {}
    if endpoint.conditional:
        etag = headers.get("ETag")
        if not etag:
            return {"status": "no ETag"}, None
        request_headers = {"If-None-Match": etag}
        status, headers, _ = fetch(server.base_url, path, request_headers)
        if status != 304:
            return {"status": f"{status} to If-None-Match"}, None
    return {"status": status}, request_headers


def queries_per_request(server, path, headers, requests=4):
    """The most queries any of a few requests made, once every worker is warm."""
    asked = {**headers, QUERY_COUNT: "1"}
    counts = [fetch(server.base_url, path, asked, timeout=600)[1].get(QUERY_COUNT) for _ in range(requests)]
    return max(int(count) for count in counts) if None not in counts else None


def run(args):
    static_path = collect_static()
    results, edits = [], []
    plans = [("redis", count) for count in args.sizes] + [("embedded", count) for count in args.embedded_sizes]
    for setup, count in plans:
        label = size_label(count)
        if setup == "redis":
            database = f"qwensite_bench_{label}"
            url = ensure_database(database, releases=count, articles=args.articles, seed=args.seed)
            backends = DatabaseBackends(database)
        else:
            url = ensure_sqlite_database(count, args.articles, args.seed)
            backends = NoDatabaseServer()
        values = placeholders(url, static_path)
        for cache_on in (False, True):
            # A cache of its own for each server, where the default keeps it (in memory on Linux).
            cache_root = Path(default_directory(ROOT)).parent
            cache_root.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(prefix="bench-cache-", dir=cache_root) as cache_dir:
                if setup == "redis":
                    flush_redis(REDIS_URL)
                env = production_env(
                    url,
                    REDIS_URL if setup == "redis" else "",
                    DJANGO_SETTINGS_MODULE="benchmarks.settings",
                    DJANGO_CACHE_DIR=cache_dir,
                    DJANGO_QUERY_COUNT_HEADER="true",
                    DJANGO_RESPONSE_CACHE="true" if cache_on else "false",
                )
                with GunicornServer(env, workers=2, name=f"bench-{setup}-{label}") as server:
                    for endpoint in ENDPOINTS:
                        if args.only and endpoint.name not in args.only:
                            continue
                        if (endpoint.cached is False and not cache_on) or (endpoint.cold_only and cache_on):
                            continue
                        path = endpoint.path.format(**values)
                        row = {
                            "setup": setup,
                            "releases": count,
                            "size": label,
                            "cache": "on" if cache_on else "off",
                            "endpoint": endpoint.name,
                            "path": path,
                        }
                        found, headers = probe(server, endpoint, path)
                        row.update(found)
                        if headers is not None:
                            row.update(measure(server, backends, path, headers, args))
                            row["queries"] = queries_per_request(server, path, headers)
                        results.append(row)
                        print_row(row)
                    if cache_on and not args.only:
                        costs = edit_costs(server, env, values)
                        edits.append({"setup": setup, "size": label, "rows": costs})
                        print_edit_costs(f"{setup} {label}", costs)
                        print(HEADER, flush=True)
        backends.close()
    return results, edits


def find(results, endpoint, cache=None, size=None, setup="redis"):
    return [
        r
        for r in results
        if r["endpoint"] == endpoint
        and "rate_ratio" in r
        and r.get("setup", "redis") == setup
        and (cache is None or r["cache"] == cache)
        and (size is None or r["releases"] == size)
    ]


def server_ms(row):
    """Server time of a request: the app workers' CPU and the database backends' CPU."""
    return row["cpu_ms"] + row["db_cpu_ms"]


def ratio_goal(results, endpoints, cache, minimum, setup="redis"):
    rows = [r for name in endpoints for r in find(results, name, cache, setup=setup)]
    if not rows:
        return None, "not measured: endpoint absent"
    worst = min(rows, key=lambda r: r["rate_ratio"])
    return worst["rate_ratio"] >= minimum, f"worst {worst['rate_ratio']:.2f} ({worst['endpoint']}, {worst['size']})"


def reference_goal(results):
    """The site's cache-cold API list over the plain-DRF reference, per setup and size: the worst."""
    ratios = []
    for row in (r for r in results if r["endpoint"] == "api list" and r["cache"] == "off" and "rate_ratio" in r):
        reference = find(results, REFERENCE, "off", row["releases"], row.get("setup", "redis"))
        if reference and reference[0]["rate_ratio"]:
            ratios.append(
                (row["rate_ratio"] / reference[0]["rate_ratio"], f"{row.get('setup', 'redis')} {row['size']}")
            )
    if not ratios:
        return None, "not measured: reference absent"
    worst = min(ratios)
    listed = ", ".join(f"{where} {ratio:.2f}" for ratio, where in ratios)
    return worst[0] >= 1, f"worst {worst[0]:.2f}x ({listed})"


def growth_goal(results, names, small, large):
    growth = []
    for name in names:
        low, high = find(results, name, "off", small), find(results, name, "off", large)
        if low and high and server_ms(low[0]):
            growth.append((server_ms(high[0]) / server_ms(low[0]), name))
    if not growth or small == large:
        return None, "not measured: needs two sizes and the endpoints"
    return max(growth)[0] <= 1.5, "worst " + ", ".join(f"{n} {g:.2f}x" for g, n in sorted(growth, reverse=True))


def evaluate(results, sizes):
    small, large = min(sizes), max(sizes)
    goals = []
    for _key, text, endpoints, cache, minimum in RATIO_GOALS:
        for setup in SETUPS:
            if not any(r.get("setup", "redis") == setup for r in results):
                continue
            met, detail = ratio_goal(results, endpoints, cache, minimum, setup)
            goals.append({"goal": f"[{setup}] {text}", "met": met, "detail": detail})
    checks = {
        "reference": reference_goal(results),
        "growth": growth_goal(results, [e.name for e in ENDPOINTS if e.grows], small, large),
        "article": growth_goal(results, ["article page"], small, large),
    }
    deep = [
        r
        for r in results
        if r["endpoint"].endswith(("last page", "cursor deep"))
        and r.get("setup", "redis") == "redis"
        and r["releases"] == large
        and r["cache"] == "off"
        and "cpu_ms" in r
    ]
    checks["deep"] = (
        (all(server_ms(r) < 20 for r in deep), ", ".join(f"{r['endpoint']} {server_ms(r):.1f} ms" for r in deep))
        if deep
        else (None, "not measured: endpoint absent")
    )
    counted = [r for r in results if r.get("queries") is not None and r["endpoint"] not in ("static file", REFERENCE)]
    by_endpoint = {}
    for r in counted:
        by_endpoint.setdefault((r["endpoint"], r["cache"], r.get("setup", "redis")), set()).add(r["queries"])
    most = max((r["queries"] for r in counted), default=None)
    varying = sorted(
        f"{name} ({cache}, {setup})" for (name, cache, setup), seen in by_endpoint.items() if len(seen) > 1
    )
    checks["queries"] = (
        (most <= 4 and not varying, f"most {most}" + (f"; varies with size: {', '.join(varying)}" if varying else ""))
        if counted
        else (None, "not measured")
    )
    tails = [r for r in results if r.get("p50_ms") and r["endpoint"] != REFERENCE]  # the site's endpoints
    worst = max(tails, key=lambda r: r["p99_ms"] / r["p50_ms"], default=None)
    checks["tail"] = (
        (
            worst["p99_ms"] <= 4 * worst["p50_ms"],
            f"worst {worst['p99_ms'] / worst['p50_ms']:.1f}x "
            f"({worst['endpoint']}, {worst.get('setup', 'redis')} {worst['size']}, cache {worst['cache']})",
        )
        if worst
        else (None, "not measured")
    )
    goals += [{"goal": GOALS_TEXT[key], "met": met, "detail": detail} for key, (met, detail) in checks.items()]
    return goals


HEADER = (
    f"{'setup':>8} {'size':>5} {'cache':>5} {'endpoint':<20} {'status':>6} {'ratio':>6} {'app ms':>7} {'db ms':>6} "
    f"{'p50 ms':>7} {'p99 ms':>7} {'p99/p50':>7} {'queries':>7} {'bad':>4} {'sock':>4}"
)


def fmt(value, spec):
    return format(value, spec) if isinstance(value, int | float) and value is not None else "-"


def print_row(row):
    if "rate_ratio" not in row:
        print(
            f"{row['setup']:>8} {row['size']:>5} {row['cache']:>5} {row['endpoint']:<20} "
            f"{str(row['status']):>6}   absent",
            flush=True,
        )
        return
    tail = row["p99_ms"] / row["p50_ms"] if row["p50_ms"] else None
    print(
        f"{row['setup']:>8} {row['size']:>5} {row['cache']:>5} {row['endpoint']:<20} {row['status']:>6} "
        f"{fmt(row['rate_ratio'], '6.2f')} "
        f"{fmt(row['cpu_ms'], '7.2f')} {fmt(row['db_cpu_ms'], '6.2f')} "
        f"{fmt(row['p50_ms'], '7.1f')} {fmt(row['p99_ms'], '7.1f')} "
        f"{fmt(tail, '7.1f')} {fmt(row.get('queries'), '7d')} {row['bad_status']:>4} {row['socket_errors']:>4}",
        flush=True,
    )


def print_goals(goals):
    print("\nGoals")
    for goal in goals:
        mark = {True: "met   ", False: "MISSED", None: "n/a   "}[goal["met"]]
        print(f"  {mark} {goal['goal']}: {goal['detail']}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000", help="Catalogue sizes with Redis, comma-separated.")
    parser.add_argument(
        "--embedded-sizes",
        default="1000",
        help="Catalogue sizes of the embedded default (SQLite, no Redis); empty: none.",
    )
    parser.add_argument("--quick", action="store_true", help="1k only, one 1 s slice each: for iteration.")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--slices", type=int, default=3, help="Slices of each endpoint (and of /healthz).")
    parser.add_argument("--slice-seconds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--only", action="append", help="Measure only this endpoint (repeatable).")
    parser.add_argument("--json", default=str(ROOT / "var" / "bench.json"))
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.embedded_sizes, args.slices, args.slice_seconds = "1000", "1000", 1, 1
    args.sizes = [int(size) for size in args.sizes.split(",") if size]
    args.embedded_sizes = [int(size) for size in args.embedded_sizes.split(",") if size]
    started = dt.datetime.now(dt.UTC)
    print(HEADER, flush=True)
    results, edits = run(args)
    goals = evaluate(results, args.sizes or args.embedded_sizes)
    print_goals(goals)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    report = {
        "started": started.isoformat(),
        "seconds": (dt.datetime.now(dt.UTC) - started).total_seconds(),
        "commit": commit.stdout.strip(),
        "cpus": os.cpu_count(),
        "settings": {
            "workers": 2,
            "connections": args.connections,
            "slices": args.slices,
            "slice_seconds": args.slice_seconds,
            "sizes": args.sizes,
            "embedded_sizes": args.embedded_sizes,
            "seed": args.seed,
        },
        "results": results,
        "edits": edits,
        "goals": goals,
    }
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(report, indent=2, default=str))
    print(f"\nWritten to {os.path.relpath(args.json)} in {report['seconds']:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
