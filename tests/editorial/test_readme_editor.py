"""The README's editor commands run as written, in a fresh folder (the project's .venv and manage.py linked in)."""

import os
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

PROJECT = Path(__file__).resolve().parents[2]
PASSWORD = "a long passphrase of your own"


def readme_editor_lines():
    """The shell lines of the README's **Editor login** block, as a reader would paste them."""
    readme = (PROJECT / "README.md").read_text()
    block = readme.split("## Editor login", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


@pytest.mark.django_db(transaction=True)
def test_the_readme_editor_lines_run_as_written(tmp_path):
    lines = readme_editor_lines()
    # `make editor` is the first; it installs and migrates, then runs the same command as the next line.
    assert lines[0].startswith("make editor")
    commands = [line for line in lines if "manage.py create_editor" in line]
    assert len(commands) == 2
    for name in (".venv", "manage.py"):
        (tmp_path / name).symlink_to(PROJECT / name)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "EDITOR_"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", PYTHONPATH=str(PROJECT))
    env.pop("REDIS_URL", None)
    python = str(PROJECT / ".venv/bin/python")
    migrate = subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=tmp_path,
        env={**env, "DJANGO_DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    for line in commands:
        # Without a terminal (a new session), the password prompt reads the typed lines from standard input.
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", line.split("#", 1)[0]],
            cwd=tmp_path,
            env=env,
            input=f"{PASSWORD}\n{PASSWORD}\n",
            capture_output=True,
            text=True,
            timeout=300,
            start_new_session=True,
        )
        assert result.returncode == 0, (line, result.stdout, result.stderr)
        assert "is ready: sign in at /admin/" in result.stdout

    check = subprocess.run(
        [
            python,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from django.contrib.auth import get_user_model as m; "
            f"print(sorted((u.username, u.is_staff, u.is_superuser, u.check_password({PASSWORD!r}), "
            "list(u.groups.values_list('name', flat=True))) for u in m().objects.all()))",
        ],
        cwd=tmp_path,
        env={**env, "DJANGO_DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip() == str(
        [("alice", True, False, True, ["Editors"]), ("bob", True, False, True, ["Editors"])]
    )
    assert not get_user_model().objects.filter(username__in=["alice", "bob"]).exists()  # the test database is untouched
