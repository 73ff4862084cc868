"""Stored search vectors, kept current by every save.

A model lists its vectors and the weighted fields each is made of (``search_vectors``); on
PostgreSQL each save writes the vectors in the same INSERT or UPDATE (built from the values
being saved, so no extra query), and a fixture or backup loaded raw gets them in one UPDATE
per row. Elsewhere (SQLite) the columns stay empty: search there has its own fallback. The
vectors carry a GIN index, created on PostgreSQL only (AddIndexOnPostgreSQL).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import connections, migrations, router
from django.db.models import Value
from django.db.models.signals import post_save

CONFIG = "english"


def vector(fields, values):
    """The weighted SearchVector of ``values`` (field -> text) for ``fields`` (field -> weight)."""
    from django.contrib.postgres.search import SearchVector

    parts = [SearchVector(Value(values[field] or ""), weight=weight, config=CONFIG) for field, weight in fields.items()]
    combined = parts[0]
    for part in parts[1:]:
        combined = combined + part
    return combined


class SearchIndexed:
    """A model mixin: ``search_vectors`` maps each SearchVectorField to its {field: weight}."""

    search_vectors = {}

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        if connections[using].vendor == "postgresql":
            update_fields = kwargs.get("update_fields")
            for name, fields in self.search_vectors.items():
                if update_fields is None or set(fields) & set(update_fields):
                    setattr(self, name, vector(fields, {field: getattr(self, field) for field in fields}))
                    if update_fields is not None:
                        kwargs["update_fields"] = {*update_fields, name}
                        update_fields = kwargs["update_fields"]
        try:
            super().save(*args, **kwargs)
        finally:
            for name in self.search_vectors:
                # The saved value lives in the database; the instance keeps no SQL expression.
                self.__dict__.pop(name, None)


def _index_loaded_row(sender, instance, raw, using, **kwargs):
    """A row loaded from a fixture or a backup (saved raw, without save()) gets its vectors."""
    if not raw or not isinstance(instance, SearchIndexed) or connections[using].vendor != "postgresql":
        return
    values = {
        name: vector(fields, {field: getattr(instance, field) for field in fields})
        for name, fields in instance.search_vectors.items()
    }
    type(instance)._base_manager.using(using).filter(pk=instance.pk).update(**values)


post_save.connect(_index_loaded_row, dispatch_uid="fulltext-index-loaded-row")


class OnPostgreSQL:
    """A migration operation that only PostgreSQL runs, both ways (a GIN index, an extension);
    a no-op on other databases, whose search does not use it. The state changes either way."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class AddIndexOnPostgreSQL(OnPostgreSQL, migrations.AddIndex):
    pass


class TrigramExtensionOnPostgreSQL(OnPostgreSQL, TrigramExtension):
    """pg_trgm (Django's TrigramExtension checks the database going forwards, not backwards)."""
