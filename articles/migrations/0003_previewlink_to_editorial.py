"""PreviewLink now lives in qwensite.editorial: only Django's picture of the model leaves here.

The table (``articles_previewlink``) and its rows stay; qwensite/editorial/migrations/0001 takes
the model over under the same table.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_editors_group"),
        ("editorial", "0001_previewlink_from_articles"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PreviewLink")],
            database_operations=[],
        ),
    ]
