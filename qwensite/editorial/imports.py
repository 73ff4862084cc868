"""Bounds on uploaded files.

DATA_UPLOAD_MAX_MEMORY_SIZE bounds a request's form fields but not its files, so every
form that accepts a file bounds the file's size itself. The admin's import form
(django-import-export) is the site's only upload: ModelAdmins that import use
``import_form_class = BoundedImportForm``.
"""

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
