"""Production settings pass Django's deployment checklist with no finding."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def test_check_deploy_passes_under_production_settings():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="qwensite.settings",
        DJANGO_SECRET_KEY="deploy-check-" + "k7Qx9vLm2Rt8Wz4Np6Hs" * 3,
        DJANGO_ALLOWED_HOSTS="qwensite.example.org",
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
