"""django-import-export formats whose files carry no live formula.

The library's own ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` only strips a leading ``=``
(changing the data and leaving ``+``, ``-`` and ``@`` live), so the spreadsheet formats here
quote formula cells instead (qwensite.spreadsheets.cells) and unquote them on import. A
structured cell (a list of objects) is written as JSON text. JSON is not a spreadsheet format:
it keeps its text as it is and nests its lists.
"""

import tablib
from import_export.formats import base_formats

from qwensite.spreadsheets.cells import cell_text, revived


def _cells(dataset, convert):
    converted = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        converted.append([convert(cell) for cell in row])
    return converted


class SpreadsheetSafe:
    """Quote formula cells on export, unquote them on import."""

    def export_data(self, dataset, **kwargs):
        return super().export_data(_cells(dataset, cell_text), **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        return _cells(super().create_dataset(in_stream, **kwargs), revived)


class CSV(SpreadsheetSafe, base_formats.CSV):
    pass


class TSV(SpreadsheetSafe, base_formats.TSV):
    pass


JSON = base_formats.JSON
