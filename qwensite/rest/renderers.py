"""Content negotiation and the representations beyond JSON: CSV lists and BibTeX entries."""

from django.utils.encoding import force_str
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework_csv.renderers import CSVRenderer

from qwensite.spreadsheets.cells import inert

FORMAT_PARAMETER = "format"


class StrictContentNegotiation(DefaultContentNegotiation):
    """An unknown ``?format=`` is a 400 naming the accepted formats, not a 404."""

    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            accepted = ", ".join(renderer.format for renderer in renderers)
            raise exceptions.ValidationError({FORMAT_PARAMETER: [f"{format!r} is not one of: {accepted}."]})
        return matching


class CSVListRenderer(CSVRenderer):
    """Rows of a list as CSV, columns in the serializer's order.

    Nested objects become dotted columns (``source.article``); lists of objects become one
    cell, their items separated by ``; `` and named by their ``label`` or ``slug``. A view's
    ``csv_item_columns`` (``{"sizes": ["licence"]}``) adds a column per named key of a list's
    items (``sizes.licence``), each item's value after its name: ``Qwen2-7B: Apache-2.0;
    Qwen2-72B: Qwen License``, with ``not stated`` for an empty value.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    item_columns = {}

    def render(self, data, media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        response, view = renderer_context.get("response"), renderer_context.get("view")
        if response is not None and view is not None and response.status_code == 200:
            response["Content-Disposition"] = f'attachment; filename="{view.basename}.csv"'
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        self.item_columns = getattr(view, "csv_item_columns", {})
        rows = [self.flatten_row(row) for row in data or []]
        header = renderer_context.get("header") or (list(rows[0]) if rows else None)
        return super().render(rows, media_type, {**renderer_context, "header": header})

    def flatten_row(self, row, prefix=""):
        flat = {}
        for key, value in row.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict):
                flat.update(self.flatten_row(value, prefix=f"{name}."))
            elif isinstance(value, list):
                flat[name] = "; ".join(self.list_item_text(item) for item in value)
                for key in self.item_columns.get(name, ()):
                    flat[f"{name}.{key}"] = "; ".join(
                        f"{self.list_item_text(item)}: {self.cell_text(item.get(key))}" for item in value
                    )
            elif isinstance(value, bool):
                flat[name] = "true" if value else "false"
            else:
                flat[name] = inert(value)
        return flat

    def cell_text(self, value):
        """One value of a list's item as its column shows it."""
        if value is None or value == "":
            return "not stated"
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(inert(value))

    def list_item_text(self, item):
        if isinstance(item, dict):
            return str(inert(item.get("label") or item.get("slug") or item))
        return str(inert(item))


class BibTeXRenderer(JSONRenderer):
    """A BibTeX entry, already formatted by the view."""

    media_type = "text/x-bibtex"
    format = "bib"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return force_str(data).encode(self.charset)
