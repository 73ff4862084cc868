"""Backups: complete, loadable, and byte-for-byte stable through a restore."""

import json

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
