"""PreviewLink moves here from the articles app: its table and rows stay as they are.

Only Django's picture of the model moves (a state-only operation; the table keeps its name,
``articles_previewlink``). Its content type follows it, as Django's own RenameModel does, so
that the permissions on preview links (the Editors group's included) keep working.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="articles", target="editorial"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db_alias = schema_editor.connection.alias
    if ContentType.objects.using(db_alias).filter(app_label=target, model="previewlink").exists():
        return
    ContentType.objects.using(db_alias).filter(app_label=source, model="previewlink").update(app_label=target)
    ContentType.objects.clear_cache()


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="editorial", target="articles")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0002_editors_group"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PreviewLink",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("expires_at", models.DateTimeField()),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "content_type",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="contenttypes.contenttype"
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "articles_previewlink",
                        "ordering": ["-created_at"],
                        "indexes": [models.Index(fields=["content_type", "object_id"], name="previewlink_entry")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
