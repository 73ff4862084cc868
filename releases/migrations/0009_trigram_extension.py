"""pg_trgm, for the trigram similarity of names and words (close matches to what a reader
typed); on other databases it does nothing (TrigramExtension only runs on PostgreSQL)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("releases", "0008_size_architecture_not_stated")]

    operations = [TrigramExtension()]
