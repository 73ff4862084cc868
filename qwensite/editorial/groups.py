"""The Editors group: add, change, delete and view every content model and its history; only
view the public change log, which the claims write and no one edits.

Content is what the apps in settings.CONTENT_APPS hold; accounts are never part of it. The
migrations that first made the group (articles/migrations/0002, releases/migrations/0004) keep
the lists they were written with; ensure_editors_group() builds the same group from the models
installed now. It runs after every ``migrate`` and every ``flush`` (the post_migrate signal, as
Django makes its own permissions), so a model added later joins the group, and a database
emptied by a flush, as a transactional test leaves it, still has its Editors.
"""

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, router

EDITORS = "Editors"
ACTIONS = ("add", "change", "delete", "view")
READ_ONLY = {"releases.valuechange"}


def editor_permissions(using=DEFAULT_DB_ALIAS):
    models = [model for label in settings.CONTENT_APPS for model in global_apps.get_app_config(label).get_models()]
    content_types = ContentType.objects.db_manager(using).get_for_models(*models).values()
    codenames = {
        f"{action}_{content_type.model}"
        for content_type in content_types
        for action in (("view",) if f"{content_type.app_label}.{content_type.model}" in READ_ONLY else ACTIONS)
    }
    return Permission.objects.using(using).filter(content_type__in=content_types, codename__in=codenames)


def ensure_editors_group(using=DEFAULT_DB_ALIAS):
    """The Editors group, made (or completed) with every content permission."""
    group, _created = Group.objects.using(using).get_or_create(name=EDITORS)
    group.permissions.add(*editor_permissions(using))
    return group


def complete_editors_group(sender, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """post_migrate: the content apps' permissions made now (this app's signal may come before
    theirs), then the group completed with them."""
    try:
        apps.get_model("auth", "Group")
    except LookupError:  # auth migrated away: nothing to complete
        return
    if not router.allow_migrate_model(using, Group):
        return
    for label in settings.CONTENT_APPS:
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using)
    ensure_editors_group(using)
