"""Defaults every API endpoint inherits: anonymous clients read only, session writes need CSRF,
token writes do not, input is bounded by the model and answered with JSON 400s."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Tag
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.hardening.urls")]

URL = "/api/v1/test/tags/"


@pytest.fixture
def tag_editor():
    user = UserFactory(username="tagger")
    user.user_permissions.add(Permission.objects.get(codename="add_tag"))
    return user


def test_anonymous_write_is_refused(api_client):
    response = api_client.post(URL, {"name": "anon", "slug": "anon"}, format="json", secure=True)

    assert response.status_code in {401, 403}
    assert not Tag.objects.exists()


def test_session_write_without_csrf_token_is_refused(tag_editor):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(tag_editor)

    response = client.post(URL, {"name": "qwen", "slug": "qwen"}, format="json", secure=True)

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Tag.objects.exists()


def test_token_write_needs_no_csrf_token(tag_editor):
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=tag_editor).key}")

    response = client.post(URL, {"name": "qwen", "slug": "qwen"}, format="json", secure=True)

    assert response.status_code == 201
    assert Tag.objects.filter(slug="qwen").exists()


def test_write_without_the_model_permission_is_forbidden(api_client):
    api_client.force_authenticate(UserFactory())

    response = api_client.post(URL, {"name": "qwen", "slug": "qwen"}, format="json", secure=True)

    assert response.status_code == 403


def test_overlong_input_is_a_json_400(api_client, tag_editor):
    api_client.force_authenticate(tag_editor)

    response = api_client.post(URL, {"name": "x" * 61, "slug": "x"}, format="json", secure=True)

    assert response.status_code == 400
    assert "name" in response.json()
