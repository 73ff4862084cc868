"""pg_trgm, for the trigram similarity of names and words (close matches to what a reader
typed); on other databases it does nothing, either way."""

from django.db import migrations

from qwensite.fulltext.vectors import TrigramExtensionOnPostgreSQL


class Migration(migrations.Migration):
    dependencies = [("releases", "0008_size_architecture_not_stated")]

    operations = [TrigramExtensionOnPostgreSQL()]
