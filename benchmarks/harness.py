"""What the benchmark, the load test and the scale-out test share.

Production settings for a server process, a gunicorn server whose workers' CPU time can be
read from ``/proc``, wrk driven through a Lua ``done()`` hook that prints its figures as
JSON, and PostgreSQL databases built once by ``generate_content`` and kept between runs.
"""

import json
import math
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
# Every request the tools send arrives as through the TLS proxy production runs behind.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip, br"}
QUANTILE_STEPS = 200  # the done() hook reports the latency at every 0.5 per cent


def free_port():
    """A TCP port on loopback that nothing listens on (closed again before it is returned)."""
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url, redis_url, **extra):
    """The environment of a production server: debug off, a secret, loopback as the only host."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        PYTHONPATH=str(ROOT),
        # Every request of a benchmark comes from one loopback address: the anonymous API
        # throttle still counts each one (its cost is measured) but never refuses. Per second:
        # DRF keeps the time of every request of the window in the client's count, so a window
        # of a minute at a thousand requests a second would be a list of 60,000 times read and
        # written on each request, which no real client's count (at most the 120 of the
        # default rate) ever is.
        DJANGO_API_ANON_RATE="100000000/second",
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(extra)
    return env


def manage(env, *args, quiet=True):
    """Run manage.py with the given environment; raise with its output when it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE if quiet else None,
        stderr=subprocess.STDOUT if quiet else None,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout or ''}")


def fetch(base_url, path, headers=None, timeout=10):
    """(status, headers, body) of one GET, sent as through the TLS proxy; errors are answers too."""
    request = urllib.request.Request(base_url + path, headers={**PROXY_HEADERS, **(headers or {})})
    request.headers.pop("Accept-encoding", None)  # read bodies in clear
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class GunicornServer:
    """gunicorn serving qwensite.wsgi on a free loopback port; a context manager."""

    def __init__(self, env, workers=2, name="server"):
        self.env, self.workers, self.name = env, workers, name
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process = None
        # The log outlives this call: it is read when the server fails to start.
        self.log = tempfile.NamedTemporaryFile(prefix=f"gunicorn-{name}-", suffix=".log", delete=False)  # noqa: SIM115

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "qwensite.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                "--worker-class=sync",
                "--backlog=2048",
                "--timeout=60",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_up()
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def _wait_until_up(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if fetch(self.base_url, "/healthz", timeout=1)[0] == 200 and len(self.worker_pids()) == self.workers:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn {self.name} did not start:\n{Path(self.log.name).read_text()}")

    def drain(self):
        """Wait until requests wrk left queued are served: a probe is answered after them.

        When wrk stops, the requests its connections had sent are still in the listen queue
        and the workers serve them; their work must not land in the next measurement.
        """
        fetch(self.base_url, "/healthz", timeout=600)

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def cpu_seconds(self):
        """User + system CPU time of the workers so far."""
        return process_cpu_seconds(self.worker_pids())


def process_cpu_seconds(pids):
    """User + system CPU seconds of processes (/proc/<pid>/stat utime + stime); gone ones count 0."""
    return sum(cpu_seconds_by_pid(pids).values())


def cpu_seconds_by_pid(pids):
    seconds = {}
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue
        fields = stat.rsplit(")", 1)[1].split()
        seconds[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime: fields 14, 15
    return seconds


class DatabaseBackends:
    """The CPU time of the PostgreSQL backends serving one database (the app servers' connections).

    Backends come and go (connections live ``CONN_MAX_AGE`` seconds), so time is taken per
    process: ``delta(snapshot())`` counts a backend that started meanwhile from zero.
    """

    def __init__(self, dbname):
        self.dbname = dbname
        self.monitor = postgres()

    def snapshot(self):
        rows = self.monitor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [self.dbname]
        ).fetchall()
        return cpu_seconds_by_pid(pid for (pid,) in rows)

    def delta(self, before):
        return sum(seconds - before.get(pid, 0.0) for pid, seconds in self.snapshot().items())

    def close(self):
        self.monitor.close()


LUA_DONE = """
done = function(summary, latency, requests)
  local q = {}
  for i = 1, STEPS do q[i] = latency:percentile(i * 100 / STEPS) end
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,'
    .. '"status":%d,"timeout":%d,"quantiles_us":[%s]}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(q, ",")))
end
""".replace("STEPS", str(QUANTILE_STEPS))

LUA_PATHS = """
local paths = {PATHS}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format(nil, paths[i])
end
"""


@dataclass
class WrkResult:
    requests: int
    seconds: float
    errors: dict
    quantiles_us: list = field(repr=False)

    @property
    def rate(self):
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def socket_errors(self):
        return sum(self.errors[key] for key in ("connect", "read", "write", "timeout"))


def wrk(base_url, paths, seconds, connections, headers=None, threads=2, timeout="10s"):
    """Run wrk against one path or a rotation of paths and return its figures."""
    headers = {**PROXY_HEADERS, **(headers or {})}
    script = LUA_DONE + (LUA_PATHS.replace("PATHS", ",".join(json.dumps(p) for p in paths)) if len(paths) > 1 else "")
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}", "-s", lua.name]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        output = subprocess.run(
            [*command, base_url + paths[0]], capture_output=True, text=True, check=True, timeout=seconds + 60
        ).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK-JSON "))
    data = json.loads(line.removeprefix("WRK-JSON "))
    errors = {key: data[key] for key in ("connect", "read", "write", "status", "timeout")}
    return WrkResult(data["requests"], data["duration_us"] / 1e6, errors, data["quantiles_us"])


def merged_percentile(results, percentile):
    """A latency percentile (ms) over several wrk runs, each weighted by its requests."""
    points = sorted(
        (value, result.requests / len(result.quantiles_us))
        for result in results
        for value in result.quantiles_us
        if result.requests
    )
    if not points:
        return math.nan
    target = sum(weight for _, weight in points) * percentile / 100
    running = 0.0
    for value, weight in points:
        running += weight
        if running >= target - 1e-9:
            return value / 1000
    return points[-1][0] / 1000


def postgres(dbname="postgres"):
    import psycopg

    return psycopg.connect(f"{POSTGRES_SERVER}/{dbname}", autocommit=True)


def ensure_database(name, *, releases, articles, seed, log=print):
    """A PostgreSQL database holding generated content, migrated; rebuilt only when it differs.

    The content a database holds is recorded as its comment, so a later run reuses it.
    """
    marker = f"qwensite generated: releases={releases} articles={articles} seed={seed} v1"
    with postgres() as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if row is not None and row[0] != marker:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if row is None or row[0] != marker:
            conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{POSTGRES_SERVER}/{name}"
    env = production_env(url, "")
    manage(env, "migrate", "--noinput")
    if row is None or row[0] != marker:
        log(f"Generating {releases} releases and {articles} articles in {name}...")
        started = time.monotonic()
        manage(env, "generate_content", f"--releases={releases}", f"--articles={articles}", f"--seed={seed}")
        with postgres(name) as conn:
            conn.execute("VACUUM ANALYZE")
        with postgres() as conn:
            conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{marker}'")
        log(f"  done in {time.monotonic() - started:.0f} s")
    return url


def flush_redis(redis_url):
    import redis

    redis.Redis.from_url(redis_url).flushdb()
