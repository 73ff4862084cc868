"""The Editors group: add, change, delete and view every content model and its history.

Content is what the apps in settings.CONTENT_APPS hold; accounts are never part of it. The
migration that first made the group (articles/migrations/0002) keeps the list it was written
with; ensure_editors_group() builds the same group from the models installed now.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

EDITORS = "Editors"
ACTIONS = ("add", "change", "delete", "view")


def editor_permissions():
    models = [model for label in settings.CONTENT_APPS for model in apps.get_app_config(label).get_models()]
    content_types = ContentType.objects.get_for_models(*models).values()
    codenames = [f"{action}_{content_type.model}" for content_type in content_types for action in ACTIONS]
    return Permission.objects.filter(content_type__in=content_types, codename__in=codenames)


def ensure_editors_group():
    """The Editors group, made (or completed) with every content permission."""
    group, _created = Group.objects.get_or_create(name=EDITORS)
    group.permissions.add(*editor_permissions())
    return group
