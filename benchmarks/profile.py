"""An in-process profile of requests: where a page's time goes, line by line.

    python -m benchmarks.profile [--database sqlite:///var/profile.sqlite3] [--requests 50] PATH...
    python -m benchmarks.profile --warm [--redis redis://127.0.0.1:6379/5] PATH...

Production settings (debug off) on a database that holds the document's content and generated
releases (built on first use: ``--releases``). Cache-cold by default (the rendered-response
cache off). With ``--warm`` the response cache is on, as a server runs it: on the cache on
disk that worker processes share (a fresh directory under ``var/``), or on Redis with
``--redis``; each request then goes through the WSGI application as a server calls it, and
``/healthz`` is timed beside it, so the warm cost is printed as a ratio to the probe's. Each
path is requested once to warm the process, then ``--requests`` times under pyinstrument; the
mean time per request and the profile's heaviest frames are printed.
"""

import argparse
import atexit
import io
import os
import secrets
import shutil
import sys
import tempfile
import time

from benchmarks.harness import ROOT

DEFAULT_PATHS = ["/releases/", "/api/v1/releases/", "/releases/{release}/"]


def configure(database, warm=False, redis=""):
    os.environ.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=database,
        DJANGO_RESPONSE_CACHE="true" if warm else "false",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_API_ANON_RATE="100000000/minute",
    )
    if redis:
        os.environ.update(REDIS_URL=redis, DJANGO_CACHE_PREFIX="qwensite-profile")
    else:
        os.environ.pop("REDIS_URL", None)
        if warm:
            (ROOT / "var").mkdir(exist_ok=True)
            os.environ["DJANGO_CACHE_DIR"] = directory = tempfile.mkdtemp(prefix="profile-cache-", dir=ROOT / "var")
            atexit.register(shutil.rmtree, directory, ignore_errors=True)
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
        from django.db import connection

        connection.close()  # the SQLite backend takes the planner's statistics as it closes (qwensite.ops.sqlite)


def middle_release():
    from releases.models import ModelRelease

    slugs = ModelRelease.objects.published().order_by("pk").values_list("slug", flat=True)
    return slugs[slugs.count() // 2]


def wsgi_client():
    """A GET through the WSGI application, as a server calls it: the status and the body read."""
    from qwensite.wsgi import application

    def get(path):
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path.split("?")[0],
            "QUERY_STRING": path.partition("?")[2],
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "testserver",
            "HTTP_X_FORWARDED_PROTO": "https",
            "HTTP_ACCEPT_ENCODING": "gzip",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }
        answered = []
        body = application(environ, lambda status, headers: answered.append(status))
        b"".join(body)
        getattr(body, "close", lambda: None)()  # as a server does: a list has nothing to close
        return int(answered[0].split()[0])

    return get


def per_request(get, path, requests):
    started = time.perf_counter()
    for _ in range(requests):
        get(path)
    return (time.perf_counter() - started) / requests


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    parser.add_argument("--database", default=f"sqlite:///{ROOT / 'var' / 'profile.sqlite3'}")
    parser.add_argument("--releases", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--lines", type=int, default=40, help="Lines of each profile to print.")
    parser.add_argument("--warm", action="store_true", help="The response cache on: stored answers, as served.")
    parser.add_argument("--redis", default="", help="With --warm: the cache on this Redis, not on disk.")
    args = parser.parse_args(argv)
    (ROOT / "var").mkdir(exist_ok=True)
    configure(args.database, warm=args.warm, redis=args.redis)
    ensure_content(args.releases)
    from pyinstrument import Profiler

    if args.warm:
        get = wsgi_client()
    else:
        from django.test import Client

        client = Client(headers={"X-Forwarded-Proto": "https"})

        def get(path):
            return client.get(path).status_code

    values = {"release": middle_release()}
    for template in args.paths:
        path = template.format(**values)
        status = get(path)
        if args.warm:
            get(path)  # stored by the first request, answered from the store from here on
            probe, answered = per_request(get, "/healthz", args.requests), per_request(get, path, args.requests)
            print(
                f"\n=== {path}: {1000 * answered:.3f} ms per request unprofiled, /healthz {1000 * probe:.3f} ms"
                f" (the app's share of a request; the server's own work comes on top of both)"
            )
        profiler = Profiler(interval=0.0002)
        started = time.perf_counter()
        with profiler:
            for _ in range(args.requests):
                get(path)
        elapsed = (time.perf_counter() - started) / args.requests
        print(f"\n=== {path}: {status}, {1000 * elapsed:.2f} ms per request (profiled)")
        text = profiler.output_text(unicode=False, color=False, show_all=False, short_mode=False)
        print("\n".join(text.splitlines()[: args.lines]))


if __name__ == "__main__":
    sys.exit(main())
