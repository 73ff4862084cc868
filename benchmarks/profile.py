"""An in-process profile of cache-cold requests: where a page's time goes, line by line.

    python -m benchmarks.profile [--database sqlite:///var/profile.sqlite3] [--requests 50] PATH...

Production settings (debug off) with the rendered-response cache off, on a database that holds
the document's content and generated releases (built on first use: ``--releases``). Each path
is requested once to warm the process, then ``--requests`` times under pyinstrument; the
mean time per request and the profile's heaviest frames are printed.
"""

import argparse
import os
import secrets
import sys
import time

from benchmarks.harness import ROOT

DEFAULT_PATHS = ["/releases/", "/api/v1/releases/", "/releases/{release}/"]


def configure(database):
    os.environ.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=database,
        DJANGO_RESPONSE_CACHE="false",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_API_ANON_RATE="100000000/minute",
    )
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qwensite.settings")
    import django

    django.setup()


def ensure_content(releases):
    from django.core.management import call_command

    from releases.models import ModelRelease

    call_command("migrate", verbosity=0)
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    if not ModelRelease.objects.exists():
        call_command("loaddata", "fixtures/qwen_history.json", verbosity=0)
        call_command("generate_content", releases=releases, articles=20, seed=1, verbosity=0)


def middle_release():
    from releases.models import ModelRelease

    slugs = ModelRelease.objects.published().order_by("pk").values_list("slug", flat=True)
    return slugs[slugs.count() // 2]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    parser.add_argument("--database", default=f"sqlite:///{ROOT / 'var' / 'profile.sqlite3'}")
    parser.add_argument("--releases", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--lines", type=int, default=40, help="Lines of each profile to print.")
    args = parser.parse_args(argv)
    (ROOT / "var").mkdir(exist_ok=True)
    configure(args.database)
    ensure_content(args.releases)
    from django.test import Client
    from pyinstrument import Profiler

    client = Client(headers={"X-Forwarded-Proto": "https"})
    values = {"release": middle_release()}
    for template in args.paths:
        path = template.format(**values)
        status = client.get(path).status_code
        profiler = Profiler(interval=0.0002)
        started = time.perf_counter()
        with profiler:
            for _ in range(args.requests):
                client.get(path)
        elapsed = (time.perf_counter() - started) / args.requests
        print(f"\n=== {path}: {status}, {1000 * elapsed:.2f} ms per request (profiled)")
        text = profiler.output_text(unicode=False, color=False, show_all=False, short_mode=False)
        print("\n".join(text.splitlines()[: args.lines]))


if __name__ == "__main__":
    sys.exit(main())
