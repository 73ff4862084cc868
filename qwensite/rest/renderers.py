"""Content negotiation, JSON with kept rows encoded once, and the representations beyond JSON:
CSV lists and BibTeX entries."""

from django.utils.encoding import force_str
from rest_framework import exceptions, renderers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework_csv.renderers import CSVRenderer

from qwensite.freshness.fragments import KeptList
from qwensite.freshness.local import LocalStore
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


ENCODED_KEPT = 128  # pages of rows per process whose JSON is kept
RESULTS = "results"
_STAND_IN = "\x00kept rows\x00"  # where the rows' JSON goes in the envelope, which ends with them


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer, which encodes a page's kept rows (a list's ``results`` that is a
    KeptList, qwensite.freshness.fragments) once per process: the same name is the same rows,
    so their JSON, some 40 kB for 20 releases, is encoded the first time only and put into the
    envelope (count and links) as the same bytes DRF would write."""

    _encoded = LocalStore(ENCODED_KEPT)  # name of kept rows: their JSON (qwensite.freshness.local)

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data.get(RESULTS) if isinstance(data, dict) else None
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        if not isinstance(rows, KeptList) or indent is not None:  # indented rows are indented by their place
            return super().render(data, accepted_media_type, renderer_context)
        encoded = self._encoded.get(rows.name)
        if encoded is None:
            encoded = super().render(list(rows), accepted_media_type, renderer_context)
            self._encoded.put(rows.name, encoded)
        envelope = super().render({**data, RESULTS: _STAND_IN}, accepted_media_type, renderer_context)
        stand_in = super().render(_STAND_IN, accepted_media_type, renderer_context)
        head, _, tail = envelope.rpartition(stand_in)  # the results come last
        return head + encoded + tail


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
