"""Edits landing during a load test: run as ``python -m benchmarks.editor`` with the server's settings.

Saves releases through the ORM (the same ``save()`` editors' writes use: version check,
history row, content state renewed) at a steady pace, and after each save reads the
release's page back through the server, counting reads that still showed the old text.
Prints a JSON report: every edit's release and marker, and the stale reads.
"""

import argparse
import json
import os
import sys
import time
import uuid

import django


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--releases", type=int, default=20, help="How many releases to cycle through.")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qwensite.settings")
    django.setup()
    from benchmarks.harness import fetch
    from releases.models import ModelRelease

    run = uuid.uuid4().hex[:8]
    slugs = list(ModelRelease.objects.published().order_by("pk").values_list("slug", flat=True)[: args.releases])
    edits, stale_reads, failed_reads = [], 0, 0
    deadline = time.monotonic() + args.seconds
    number = 0
    while time.monotonic() < deadline and slugs:
        started = time.monotonic()
        number += 1
        release = ModelRelease.objects.get(slug=slugs[number % len(slugs)])
        marker = f"load-edit-{run}-{number}"
        release.summary = f"{release.summary.split(' Revised as ')[0]} Revised as {marker}."
        release.save()
        edits.append({"slug": release.slug, "path": release.get_absolute_url(), "marker": marker})
        status, _, body = fetch(args.base_url, release.get_absolute_url(), timeout=60)
        if status != 200:
            failed_reads += 1
        elif marker not in body.decode():
            stale_reads += 1
        time.sleep(max(0.0, args.interval - (time.monotonic() - started)))
    json.dump({"edits": edits, "stale_reads": stale_reads, "failed_reads": failed_reads}, sys.stdout)


if __name__ == "__main__":
    main()
