"""Backups: complete, loadable, and byte-for-byte stable through a restore."""

import functools
import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article
from tests.factories import ArticleFactory, PreviewLinkFactory, ReleaseSizeFactory, TagFactory, UserFactory


@pytest.fixture
def site_with_history(editors_group):
    editors = editors_group
    editor = UserFactory(username="editor", is_staff=True)
    editor.groups.add(editors)
    article = ArticleFactory(tags=[TagFactory(name="qwen"), TagFactory(name="llm")])
    article.title = "The History of Qwen, revised"
    article.save()
    size = ReleaseSizeFactory(release__source_article=article, label="Qwen-72B")
    size.parameters_b = 72
    size.save()
    PreviewLinkFactory(created_by=editor)
    return article


def backup_to(tmp_path, name):
    path = tmp_path / name
    call_command("backup", str(path))
    return path


def models_in(path):
    return {entry["model"] for entry in json.loads(path.read_text())}


@pytest.mark.django_db(transaction=True)
def test_restoring_into_an_empty_database_and_backing_up_again_gives_the_same_bytes(site_with_history, tmp_path):
    first = backup_to(tmp_path, "first.json")
    call_command("flush", interactive=False, verbosity=0)

    call_command("restore", str(first))

    second = backup_to(tmp_path, "second.json")
    assert second.read_bytes() == first.read_bytes()


def test_backup_holds_content_history_and_the_editors_group(site_with_history, tmp_path):
    path = backup_to(tmp_path, "site.json")

    assert models_in(path) >= {
        "articles.author",
        "articles.tag",
        "articles.article",
        "editorial.previewlink",
        "articles.historicalarticle",
        "articles.historicalarticle_tags",
        "articles.historicalauthor",
        "articles.historicaltag",
        "releases.modelrelease",
        "releases.releasesize",
        "releases.historicalmodelrelease",
        "releases.historicalreleasesize",
        "auth.group",
        "auth.user",
    }


def test_backup_keeps_every_version_of_an_article(site_with_history, tmp_path):
    path = backup_to(tmp_path, "site.json")

    titles = [
        entry["fields"]["title"]
        for entry in json.loads(path.read_text())
        if entry["model"] == "articles.historicalarticle" and entry["fields"]["id"] == site_with_history.pk
    ]
    assert sorted(titles) == sorted(site_with_history.history.values_list("title", flat=True))
    assert "The History of Qwen, revised" in titles


def test_backup_names_group_permissions_by_natural_key(site_with_history, tmp_path):
    path = backup_to(tmp_path, "site.json")

    group = next(e for e in json.loads(path.read_text()) if e["model"] == "auth.group")
    assert ["change_article", "articles", "article"] in group["fields"]["permissions"]


def test_backup_leaves_out_sessions_tokens_and_login_attempts(site_with_history, tmp_path):
    path = backup_to(tmp_path, "site.json")

    assert not {m for m in models_in(path) if m.split(".")[0] in {"sessions", "authtoken", "axes"}}


def test_backup_to_standard_output_is_the_same_dump(site_with_history, tmp_path, capsys):
    path = backup_to(tmp_path, "site.json")
    capsys.readouterr()

    call_command("backup", "-")

    assert capsys.readouterr().out.strip() == path.read_text().strip()


def test_restore_refuses_a_database_that_already_has_content(site_with_history, tmp_path):
    path = backup_to(tmp_path, "site.json")
    articles_before = Article.objects.count()

    with pytest.raises(CommandError, match="Refusing to restore over existing data"):
        call_command("restore", str(path))

    assert Article.objects.count() == articles_before


def test_restore_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing.json"))


PROJECT = Path(__file__).resolve().parents[2]


def readme_backup_lines():
    """The shell lines of the README's **Backups** block, as a reader would paste them."""
    readme = (PROJECT / "README.md").read_text()
    block = readme.split("**Backups**:", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_the_readme_restore_procedure_runs_as_written_round_trips_and_spares_other_cache_keys(tmp_path):
    """Run in a folder of its own (the project's .venv and manage.py linked in), against a source
    database holding the document's content, and a Redis database holding other keys."""
    import redis

    lines = readme_backup_lines()
    assert any("manage.py restore" in line for line in lines)
    for name in (".venv", "manage.py"):
        (tmp_path / name).symlink_to(PROJECT / name)
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'source.sqlite3'}",
        REDIS_URL="redis://127.0.0.1:6379/15",
        DJANGO_CACHE_PREFIX="readme-restore",
        PYTHONPATH=str(PROJECT),
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    run = functools.partial(subprocess.run, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    manage = [str(PROJECT / ".venv/bin/python"), "manage.py"]
    for command in (["migrate", "--noinput"], ["loaddata", str(PROJECT / "fixtures/qwen_history.json")]):
        assert run([*manage, *command], env={**env, "DJANGO_DEBUG": "true"}).returncode == 0
    other = redis.Redis.from_url("redis://127.0.0.1:6379/15")
    # Keys of this run alone, so that runs side by side (two checkouts, xdist) do not meet.
    run_id = uuid.uuid4().hex
    foreign, throttle = f"another-site:{run_id}", f"readme-restore:1:throttle_anon_{run_id}"
    other.set(foreign, "kept")
    other.set(throttle, "kept")

    for line in lines:
        result = run(["bash", "-euo", "pipefail", "-c", line])
        assert result.returncode == 0, (line, result.stdout, result.stderr)

    again = run(
        [*manage, "backup", "again.json"],
        env={**env, "DJANGO_DEBUG": "true", "DATABASE_URL": "sqlite:///restored.sqlite3"},
    )
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again.json").read_bytes() == (tmp_path / "backups/qwensite.json").read_bytes()
    assert b'"the-history-of-qwen"' in (tmp_path / "again.json").read_bytes()
    assert other.get(foreign) == b"kept"
    assert other.get(throttle) == b"kept"
    other.delete(foreign, throttle)


@pytest.mark.django_db(transaction=True)
def test_a_time_with_microseconds_below_a_thousand_survives_a_round_trip(site_with_history, tmp_path):
    import datetime as dt

    from django.utils import timezone

    Article.objects.filter(pk=site_with_history.pk).update(
        updated_at=timezone.make_aware(dt.datetime(2026, 3, 8, 12, 0, 19, 456))
    )
    first = backup_to(tmp_path, "first.json")
    assert '"2026-03-08T12:00:19.000456Z"' in first.read_text()
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(first))

    assert backup_to(tmp_path, "second.json").read_bytes() == first.read_bytes()
