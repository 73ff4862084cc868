"""Who may do what in the admin: the Editors group, plain staff and anonymous users."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

CONTENT_MODELS = {
    "articles": ["article", "author", "tag"],
    "releases": ["modelrelease", "releasesize"],
    "editorial": ["previewlink"],
}


def _codenames(group):
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def test_editors_group_may_add_change_delete_and_view_all_content():
    perms = _codenames(Group.objects.get(name="Editors"))

    expected = {
        (app, f"{action}_{model}")
        for app, models in CONTENT_MODELS.items()
        for model in models
        for action in ("add", "change", "delete", "view")
    }
    assert expected <= perms


def test_editors_group_may_view_history_of_articles_releases_and_sizes():
    perms = _codenames(Group.objects.get(name="Editors"))

    assert {
        ("articles", "view_historicalarticle"),
        ("releases", "view_historicalmodelrelease"),
        ("releases", "view_historicalreleasesize"),
    } <= perms


def test_editors_group_has_no_permission_on_accounts():
    perms = _codenames(Group.objects.get(name="Editors"))

    assert {app for app, _codename in perms} == {"articles", "releases", "editorial"}


def test_editors_group_only_reads_the_public_change_log():
    perms = _codenames(Group.objects.get(name="Editors"))

    assert ("releases", "view_valuechange") in perms
    assert not {("releases", f"{action}_valuechange") for action in ("add", "change", "delete")} & perms


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_the_editors_group_complete():
    """A flush (a transactional test's teardown, or an operator's) empties every table; the
    group comes back with its permissions, as Django's own permissions do."""
    before = _codenames(Group.objects.get(name="Editors"))

    call_command("flush", interactive=False, verbosity=0)

    assert _codenames(Group.objects.get(name="Editors")) == before


def test_migrate_completes_an_editors_group_missing_a_permission():
    group = Group.objects.get(name="Editors")
    before = _codenames(group)
    group.permissions.remove(group.permissions.get(codename="change_modelrelease"))

    call_command("migrate", interactive=False, verbosity=0)

    assert _codenames(group) == before


@pytest.mark.parametrize("url_name", ["admin:auth_user_changelist", "admin:auth_group_changelist"])
def test_editor_cannot_reach_account_admin(editor_client, url_name):
    response = editor_client.get(reverse(url_name))

    assert response.status_code == 403


def test_editor_cannot_open_a_user_to_make_themselves_superuser(editor_client, editor):
    response = editor_client.get(reverse("admin:auth_user_change", args=[editor.pk]))

    assert response.status_code == 403


def test_editor_sees_content_but_not_accounts_on_admin_index(editor_client):
    response = editor_client.get(reverse("admin:index"))

    app_labels = {app["app_label"] for app in response.context["app_list"]}
    assert app_labels == {"articles", "releases", "editorial"}


def test_staff_outside_editors_see_nothing_to_change(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert response.context["app_list"] == []


def test_staff_outside_editors_cannot_open_release_list(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:releases_modelrelease_changelist"))

    assert response.status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/releases/modelrelease/",
        "/admin/articles/article/add/",
        "/admin/auth/user/",
        "/admin/releases/modelrelease/import/",
        "/admin/articles/article/markdown-preview/",
    ],
)
def test_anonymous_users_reach_nothing_in_the_admin(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_non_staff_account_cannot_use_the_admin(client):
    client.force_login(UserFactory(is_staff=False))

    response = client.get("/admin/articles/article/")

    assert response.status_code == 302


def test_create_editor_makes_a_staff_editor_who_is_not_superuser(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "a long enough passphrase 42")

    call_command("create_editor", "alice", "--email", "alice@example.org", "--no-input", stdout=None)

    alice = get_user_model().objects.get(username="alice")
    assert (alice.is_staff, alice.is_superuser) == (True, False)
    assert alice.groups.filter(name="Editors").exists()
    assert alice.check_password("a long enough passphrase 42")


def test_create_editor_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "short")

    with pytest.raises(CommandError, match="Password refused"):
        call_command("create_editor", "bob", "--no-input")


def test_created_editor_can_open_the_article_list(client, monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "a long enough passphrase 42")
    call_command("create_editor", "carol", "--no-input")
    ArticleFactory(title="Visible to editors")

    client.force_login(get_user_model().objects.get(username="carol"))

    response = client.get(reverse("admin:articles_article_changelist"))

    assert response.status_code == 200
    assert "Visible to editors" in response.content.decode()
