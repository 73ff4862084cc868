"""A worker's objects kept for its life are set aside from the garbage collector after its first
requests (qwensite.ops.memory)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.signals import request_finished
from django.test import Client

from qwensite.ops import memory

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def collector(monkeypatch, settings):
    """What the receiver asked of the collector, in order (the suite's own process is not frozen)."""
    asked = []
    monkeypatch.setattr(memory.gc, "collect", lambda: asked.append("collect"))
    monkeypatch.setattr(memory.gc, "freeze", lambda: asked.append("freeze"))
    monkeypatch.setattr(memory, "_finished", 0)
    settings.GC_FREEZE_AFTER_REQUESTS = 3
    memory.watch_warm_up()
    yield asked
    request_finished.disconnect(memory.freeze_after_warm_up)


def test_what_is_kept_is_frozen_once_after_the_first_requests(collector):
    client = Client()
    for _ in range(2):
        assert client.get("/healthz").status_code == 200
    assert collector == []

    client.get("/healthz")
    assert collector == ["collect", "freeze"]  # garbage collected first: only what is kept is frozen

    for _ in range(5):
        client.get("/healthz")
    assert collector == ["collect", "freeze"]
    assert request_finished.disconnect(memory.freeze_after_warm_up) is False  # it took itself off


def test_nothing_is_watched_when_the_setting_is_zero(settings, monkeypatch):
    settings.GC_FREEZE_AFTER_REQUESTS = 0
    connected = []
    monkeypatch.setattr(request_finished, "connect", lambda receiver, **kwargs: connected.append(receiver))

    memory.watch_warm_up()

    assert connected == []


def test_a_server_process_freezes_what_it_keeps(tmp_path):
    script = (
        "import gc, io, sys\n"
        "from qwensite.wsgi import application\n"
        "def get(path):\n"
        "    environ = {'REQUEST_METHOD': 'GET', 'PATH_INFO': path, 'SERVER_NAME': 'localhost',\n"
        "               'SERVER_PORT': '80', 'wsgi.input': io.BytesIO(), 'wsgi.url_scheme': 'http'}\n"
        "    body = application(environ, lambda status, headers: None)\n"
        "    b''.join(body); body.close()  # as a server does: the request is finished then\n"
        "get('/healthz'); before = gc.get_freeze_count()\n"
        "get('/healthz'); get('/healthz')\n"
        "print(before, gc.get_freeze_count())\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qwensite.settings",
        "DJANGO_SECRET_KEY": "a-test-secret-" * 5,
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_CACHE_DIR": str(tmp_path / "cache"),
        "DJANGO_GC_FREEZE_AFTER": "2",
    }
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120
    )

    before, after = map(int, result.stdout.split()[-2:])
    assert before == 0
    assert after > 10_000  # the process's modules, settings, URL patterns: what it keeps
