"""The Editors group: add, change, delete and view content and its history; nothing on accounts."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"
CONTENT = {
    "articles": ["article", "author", "tag", "previewlink", "historicalarticle", "historicalauthor", "historicaltag"],
    "releases": ["modelrelease", "releasesize", "historicalmodelrelease", "historicalreleasesize"],
}
ACTIONS = ["add", "change", "delete", "view"]


def create_editors(apps, schema_editor):
    # Permissions are normally created after all migrations ran (post_migrate): make sure
    # they exist now, so that a fresh database gets a complete group.
    db_alias = schema_editor.connection.alias
    for app_label in CONTENT:
        create_permissions(global_apps.get_app_config(app_label), apps=apps, verbosity=0, using=db_alias)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.using(db_alias).get_or_create(name=GROUP)
    wanted = [
        (app_label, f"{action}_{model}") for app_label, models in CONTENT.items() for model in models for action in ACTIONS
    ]
    permissions = [
        Permission.objects.using(db_alias).get(content_type__app_label=app_label, codename=codename) for app_label, codename in wanted
    ]
    group.permissions.add(*permissions)


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("releases", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
