"""Bulk import and export of releases (django-import-export).

Rows are matched on their slug; the source article and the predecessor are named by
slug too. Every row is validated like an admin save (``full_clean``), and the whole
file runs in one transaction: one bad row refuses the file, and nothing is written.
"""

from django.core.exceptions import ValidationError
from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from articles.models import Article
from releases.models import ModelRelease


class ReleaseResource(resources.ModelResource):
    source_article = fields.Field(
        attribute="source_article", column_name="source_article", widget=ForeignKeyWidget(Article, field="slug")
    )
    predecessor = fields.Field(
        attribute="predecessor", column_name="predecessor", widget=ForeignKeyWidget(ModelRelease, field="slug")
    )

    class Meta:
        model = ModelRelease
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "release_date",
            "date_precision",
            "access",
            "context_length",
            "kind",
            "summary",
            "notable_claims",
            "source_article",
            "source_section",
            "source_quote",
            "predecessor",
            "status",
            "published_at",
        ]
        export_order = fields
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._slug_rows = {}

    def import_instance(self, instance, row, **kwargs):
        row_number = kwargs.get("row_number")
        first = self._slug_rows.setdefault(row.get("slug"), row_number)
        if first != row_number:
            raise ValidationError({"slug": f"Row {first} of this file already has the slug “{row.get('slug')}”."})
        super().import_instance(instance, row, **kwargs)
