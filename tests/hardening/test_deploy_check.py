"""Production settings pass Django's deployment checklist with no finding."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def test_check_deploy_passes_under_production_settings():
    result = deploy_check(DJANGO_TRUSTED_PROXY_COUNT="1")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_warns_when_the_public_origin_is_not_set(settings):
    from qwensite.ops.checks import check_site_url

    settings.SITE_URL = "http://127.0.0.1:8000"

    assert [message.id for message in check_site_url(None)] == ["qwensite.W001"]


def test_deploy_check_accepts_an_https_origin(settings):
    from qwensite.ops.checks import check_site_url

    settings.SITE_URL = "https://qwensite.example.org"

    assert check_site_url(None) == []


def test_deploy_check_notes_that_without_a_shared_cache_the_response_cache_is_off(settings):
    from qwensite.ops.checks import check_shared_content_state

    settings.CONTENT_STATE_SHARED = False

    assert [message.id for message in check_shared_content_state(None)] == ["qwensite.I001"]


def deploy_check(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="qwensite.settings",
        DJANGO_SECRET_KEY="deploy-check-" + "k7Qx9vLm2Rt8Wz4Np6Hs" * 3,
        DJANGO_ALLOWED_HOSTS="qwensite.example.org",
        DJANGO_SITE_URL="https://qwensite.example.org",
        REDIS_URL="redis://127.0.0.1:6379/0",  # named, not contacted: checks do not connect
        **overrides,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_refuses_production_settings_without_a_proxy_count():
    result = deploy_check()

    assert result.returncode != 0
    assert "qwensite.E001" in result.stderr
    assert "DJANGO_TRUSTED_PROXY_COUNT is not set" in result.stderr


def test_an_explicit_zero_says_there_is_no_proxy_and_passes():
    result = deploy_check(DJANGO_TRUSTED_PROXY_COUNT="0")

    assert result.returncode == 0, result.stdout + result.stderr


def test_a_malformed_proxy_count_stops_the_settings():
    result = deploy_check(DJANGO_TRUSTED_PROXY_COUNT="one")

    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXY_COUNT must be a whole number" in result.stderr
