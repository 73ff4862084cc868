"""Bounds on uploaded files, and the problems of an import in words.

DATA_UPLOAD_MAX_MEMORY_SIZE bounds a request's form fields but not its files, so every
form that accepts a file bounds the file's size itself. The admin's import form
(django-import-export) is the site's only upload: ModelAdmins that import use
``import_form_class = BoundedImportForm``. ``import_problems`` turns an import's result into
the list its template shows: every problem of every row, each on its spreadsheet line.
"""

import dataclasses

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from import_export.forms import ImportForm


def validate_import_size(upload):
    limit = settings.IMPORT_MAX_FILE_SIZE
    if upload.size > limit:
        raise forms.ValidationError(
            f"This file is {filesizeformat(upload.size)}; an import file can be at most {filesizeformat(limit)}.",
            code="file_too_large",
        )


class BoundedImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        validate_import_size(upload)
        return upload


@dataclasses.dataclass
class Problem:
    """One reason a row of an import file was refused, where it stands: line, column and value."""

    line: int | None
    column: str
    value: str
    reason: str
    structured: bool = False  # a list in one cell: its reasons name the item and value


def import_problems(result):
    """Every problem of an import (django-import-export's ``Result``), in the order of the file.

    Lines are the spreadsheet's (the header is line 1, so the library's row 1 is line 2). A
    field error names its column and that cell's value; a structured cell (a list, as JSON)
    is not repeated, its reasons name the item and value themselves. A failure that is no
    validation error (a bug) is reported on its line in words, without a traceback.
    """
    problems = [Problem(None, "", "", f"The file could not be read: {error.error}") for error in result.base_errors]
    for number, errors in result.row_errors():
        problems += [
            Problem(
                number + 1, "", "", f"This row could not be imported ({type(error.error).__name__}: {error.error})."
            )
            for error in errors
        ]
    for row in result.invalid_rows:
        values = dict(zip(result.diff_headers, row.values, strict=False))
        for key, messages in row.error_dict.items():
            column = key if key in values else ""
            value = values.get(column, "")
            structured = isinstance(value, list | dict) or str(value).lstrip().startswith("[")
            value = "" if structured or value is None else str(value)
            problems += [Problem(row.number + 1, column, value, message, structured) for message in messages]
    return sorted(problems, key=lambda problem: problem.line or 0)
