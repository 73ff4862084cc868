from django.db import migrations, models

import qwensite.freshness.models


def create_row(apps, schema_editor):
    apps.get_model("freshness", "ContentVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("epoch", models.CharField(default=qwensite.freshness.models.new_epoch, max_length=32)),
                ("public", models.PositiveBigIntegerField(default=0)),
                ("everything", models.PositiveBigIntegerField(default=0)),
                ("public_changed_at", models.DateTimeField(null=True)),
                ("changed_at", models.DateTimeField(null=True)),
            ],
            options={"verbose_name": "content version"},
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
