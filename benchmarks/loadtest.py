"""The load test: mixed reads for 60 s at 64 connections, with edits landing during the run.

    make loadtest         # or: python -m benchmarks.loadtest [--seconds 60] [--connections 64]

gunicorn with production settings on PostgreSQL (the benchmark's generated 1k database)
and Redis; wrk on loopback rotates through the reads of ``benchmarks.endpoints.LOAD_READS``
that exist, while ``benchmarks.editor`` saves a release every half second and reads its
page back at once. Afterwards every edited release's page must show its last edit.

Reports requests, rate, responses other than 2xx/3xx, socket errors, p50/p99, edits, stale
reads; writes ``var/loadtest.json``; exits non-zero on any error response, socket error,
stale read or edit not visible afterwards.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from benchmarks.bench import collect_static, placeholders
from benchmarks.endpoints import LOAD_READS
from benchmarks.harness import (
    ROOT,
    GunicornServer,
    ensure_database,
    fetch,
    flush_redis,
    merged_percentile,
    production_env,
    wrk,
)

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--releases", type=int, default=1000)
    parser.add_argument("--edit-interval", type=float, default=0.5)
    parser.add_argument("--json", default=str(ROOT / "var" / "loadtest.json"))
    args = parser.parse_args(argv)

    static_path = collect_static()
    database = f"qwensite_bench_{args.releases // 1000}k" if args.releases % 1000 == 0 else "qwensite_bench_load"
    url = ensure_database(database, releases=args.releases, articles=200, seed=1)
    values = placeholders(url, static_path)
    flush_redis(REDIS_URL)
    env = production_env(url, REDIS_URL)
    with GunicornServer(env, workers=args.workers, name="load") as server:
        paths, absent = [], []
        for template in LOAD_READS:
            path = template.format(**values)
            (paths if fetch(server.base_url, path)[0] == 200 else absent).append(path)
        print(f"gunicorn: {args.workers} sync workers; reads: {len(paths)} paths; absent (not 200): {absent or 'none'}")
        editor = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "benchmarks.editor",
                f"--base-url={server.base_url}",
                f"--seconds={args.seconds - 2}",
                f"--interval={args.edit_interval}",
            ],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "qwensite.settings"},
            stdout=subprocess.PIPE,
            text=True,
        )
        result = wrk(server.base_url, paths, args.seconds, args.connections, threads=2, timeout="10s")
        edited = json.loads(editor.communicate(timeout=120)[0])
        last = {edit["path"]: edit["marker"] for edit in edited["edits"]}
        not_visible = [p for p, marker in last.items() if marker not in fetch(server.base_url, p)[2].decode()]

    report = {
        "seconds": args.seconds,
        "connections": args.connections,
        "workers": args.workers,
        "paths": paths,
        "absent": absent,
        "requests": result.requests,
        "rate": result.rate,
        "non_2xx_3xx": result.errors["status"],
        "socket_errors": {key: result.errors[key] for key in ("connect", "read", "write", "timeout")},
        "p50_ms": merged_percentile([result], 50),
        "p99_ms": merged_percentile([result], 99),
        "edits": len(edited["edits"]),
        "stale_reads_after_edit": edited["stale_reads"],
        "failed_reads_after_edit": edited["failed_reads"],
        "edits_not_visible_afterwards": not_visible,
    }
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(report, indent=2))
    print(
        f"requests {report['requests']} ({report['rate']:.0f}/s), non-2xx/3xx {report['non_2xx_3xx']}, "
        f"socket errors {report['socket_errors']}, p50 {report['p50_ms']:.1f} ms, p99 {report['p99_ms']:.1f} ms\n"
        f"edits {report['edits']}, stale reads right after an edit {report['stale_reads_after_edit']}, "
        f"failed reads {report['failed_reads_after_edit']}, edits not visible afterwards {len(not_visible)}\n"
        f"Written to {args.json}"
    )
    failed = (
        report["non_2xx_3xx"]
        or result.socket_errors
        or report["stale_reads_after_edit"]
        or report["failed_reads_after_edit"]
        or not_visible
        or not edited["edits"]
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
