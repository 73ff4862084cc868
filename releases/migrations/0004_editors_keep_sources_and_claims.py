"""The Editors group keeps the register of sources and the claims; the change log it may only read."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"
MODELS = ["source", "claim", "historicalsource", "historicalclaim"]
ACTIONS = ["add", "change", "delete", "view"]


def grant(apps, schema_editor):
    db_alias = schema_editor.connection.alias
    create_permissions(global_apps.get_app_config("releases"), apps=apps, verbosity=0, using=db_alias)
    group = apps.get_model("auth", "Group").objects.using(db_alias).filter(name=GROUP).first()
    if group is None:
        return
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS] + ["view_valuechange"]
    group.permissions.add(
        *Permission.objects.using(db_alias).filter(content_type__app_label="releases", codename__in=codenames)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0003_provenance"),
        ("articles", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
