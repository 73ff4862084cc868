"""Every input is bounded: text fields, request bodies, uploaded files, page numbers."""

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.forms import modelform_factory
from import_export.formats.base_formats import CSV
from import_export.resources import ModelResource

from articles.models import Article
from qwensite.editorial.imports import BoundedImportForm
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

CONTENT_APPS = ("articles", "releases")


class ArticleResource(ModelResource):
    class Meta:
        model = Article


def text_fields():
    for app in CONTENT_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.get_fields():
                if isinstance(field, models.CharField | models.TextField) and field.editable:
                    yield f"{model._meta.label}.{field.name}", field


@pytest.mark.parametrize(("label", "field"), list(text_fields()), ids=[label for label, _ in text_fields()])
def test_every_editable_text_field_has_a_maximum_length(label, field):
    assert field.max_length is not None, label


def test_admin_style_form_rejects_an_overlong_article_body():
    form_class = modelform_factory(Article, fields=["title", "slug", "author", "summary", "body", "status"])
    data = {"title": "T", "slug": "t", "author": AuthorFactory().pk, "body": "x" * 200_001, "status": "draft"}

    form = form_class(data)

    assert not form.is_valid()
    assert "body" in form.errors


def test_request_body_over_the_upload_limit_is_a_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    response = client.post("/admin/login/", {"username": "x" * 2048, "password": "y"}, secure=True)

    assert response.status_code == 400


def test_import_form_rejects_a_file_over_the_limit(settings):
    settings.IMPORT_MAX_FILE_SIZE = 100
    upload = SimpleUploadedFile("articles.csv", b"title\n" + b"x" * 200, content_type="text/csv")

    form = BoundedImportForm(
        [CSV], [ArticleResource], data={"format": "0", "resource": "0"}, files={"import_file": upload}
    )

    assert not form.is_valid()
    assert form.errors["import_file"][0].startswith("This file is 206")


def test_import_form_accepts_a_file_within_the_limit(settings):
    settings.IMPORT_MAX_FILE_SIZE = 100
    upload = SimpleUploadedFile("articles.csv", b"title\nQwen\n", content_type="text/csv")

    form = BoundedImportForm(
        [CSV], [ArticleResource], data={"format": "0", "resource": "0"}, files={"import_file": upload}
    )

    assert form.is_valid(), form.errors


def test_a_page_past_the_last_is_404(client):
    ArticleFactory()

    response = client.get("/releases/", {"page": "999999"}, secure=True)

    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/releases/", "/articles/"])
@pytest.mark.parametrize("page", ["abc", "-1", "0", "1" * 400, "٣"])
def test_malformed_page_numbers_are_a_400_saying_what_a_page_is(client, path, page):
    ArticleFactory()

    response = client.get(path, {"page": page}, secure=True)

    assert response.status_code == 400
    assert "Enter a whole number of at least 1." in response.text
