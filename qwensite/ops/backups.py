"""What a backup holds: the site's content, its history, and the people and groups behind it.

Every model of the content apps (settings.CONTENT_APPS) is included, so a model added there later (and its
simple_history table) is backed up without a change here. Accounts come with their
groups and permissions (the editors' group), since history rows and preview links name
the user who made them; the admin's action log comes too. Sessions, API tokens and login
attempts are not content and are left out: they are recreated by signing in again.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group

from qwensite.editorial.groups import EDITORS

ACCOUNT_MODELS = ("auth.group", "auth.user", "admin.logentry")


def made_by_migrations():
    """Rows a freshly migrated database already holds that a backup brings again: the Editors
    group (a migration makes it, with no member). Restore replaces them with the backup's."""
    return Group.objects.filter(name=EDITORS, user__isnull=True)


def backup_labels():
    """The model labels a backup dumps, content first."""
    content = [
        model._meta.label_lower for app in settings.CONTENT_APPS for model in apps.get_app_config(app).get_models()
    ]
    return [*content, *ACCOUNT_MODELS]


def backup_models():
    return [apps.get_model(label) for label in backup_labels()]
