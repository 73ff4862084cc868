"""Every request's writes commit together or not at all (ATOMIC_REQUESTS)."""

from unittest import mock

import pytest
from django.contrib.admin import ModelAdmin
from django.contrib.auth.models import Group
from django.db import DatabaseError
from django.test import Client

from articles.models import Author, Tag

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.hardening.urls")]


def test_requests_run_in_one_transaction(settings):
    assert settings.DATABASES["default"]["ATOMIC_REQUESTS"] is True


def test_view_failing_mid_write_leaves_nothing():
    response = Client(raise_request_exception=False).post("/test/failing-write/", secure=True)

    assert response.status_code == 500
    assert not Author.objects.exists()
    assert not Tag.objects.exists()


def test_api_write_answered_with_an_error_leaves_nothing(api_client):
    response = api_client.post("/api/v1/test/failing-write/", {}, format="json", secure=True)

    assert response.status_code == 400
    assert not Author.objects.exists()


def test_an_api_read_runs_outside_a_transaction_and_a_write_inside_one(api_client):
    """The site's API views (WritesInTransaction): ATOMIC_REQUESTS decides per view, so they
    leave it and open a transaction for writes only; on SQLite a read then takes no write lock."""
    assert api_client.get("/api/v1/test/site-write/", secure=True).json() == {"in_transaction": False}

    written = api_client.post("/api/v1/test/site-write/", {}, format="json", secure=True)

    assert written.status_code == 201
    assert written.json() == {"in_transaction": True}
    assert Author.objects.count() == 1


def test_an_api_write_of_the_sites_views_answered_with_an_error_leaves_nothing(api_client):
    response = api_client.post("/api/v1/test/site-write/", {"fail": True}, format="json", secure=True)

    assert response.status_code == 400
    assert not Author.objects.exists()


def test_admin_write_failing_after_the_save_leaves_nothing(admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)

    with mock.patch.object(ModelAdmin, "log_addition", side_effect=DatabaseError("log table unavailable")):
        response = client.post("/admin/auth/group/add/", {"name": "Reviewers"}, secure=True)

    assert response.status_code == 500
    assert not Group.objects.filter(name="Reviewers").exists()
