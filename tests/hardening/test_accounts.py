"""Accounts: password rules, sign-in lockout (admin and API token), CSRF, cookie flags, read-only anonymous."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.test.client import RequestFactory
from rest_framework.authtoken.models import Token

from qwensite.ops.logins import client_ip
from tests.factories import ArticleFactory, ReleaseFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN_URL = "/admin/login/"
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def editor():
    return UserFactory(username="editor", is_staff=True)


def admin_login(client, username, password, ip="203.0.113.7"):
    return client.post(
        LOGIN_URL, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip, secure=True
    )


def token_request(api_client, username, password, ip="203.0.113.7"):
    return api_client.post(TOKEN_URL, {"username": username, "password": password}, format="json", REMOTE_ADDR=ip)


def fail_times(attempt, count, *args, **kwargs):
    return [attempt(*args, **kwargs).status_code for _ in range(count)]


# Passwords


def test_password_shorter_than_twelve_characters_is_rejected():
    with pytest.raises(ValidationError) as excinfo:
        validate_password("Zq8!mT4#pL1")

    assert "password_too_short" in [error.code for error in excinfo.value.error_list]


def test_password_of_twelve_varied_characters_is_accepted():
    assert validate_password("Zq8!mT4#pL1w") is None


def test_common_password_is_rejected_even_when_long():
    with pytest.raises(ValidationError) as excinfo:
        validate_password("qwerty123456")

    assert "password_too_common" in [error.code for error in excinfo.value.error_list]


def test_all_numeric_password_is_rejected():
    with pytest.raises(ValidationError) as excinfo:
        validate_password("918273645019283")

    assert "password_entirely_numeric" in [error.code for error in excinfo.value.error_list]


def test_password_like_the_username_is_rejected():
    user = UserFactory.build(username="qwenarchivist", email="archivist@example.org")

    with pytest.raises(ValidationError) as excinfo:
        validate_password("qwenarchivist1", user=user)

    assert "password_too_similar" in [error.code for error in excinfo.value.error_list]


# Lockout: admin login


def test_admin_login_locks_at_the_fifth_failure_with_friendly_page(client, editor):
    statuses = fail_times(admin_login, 4, client, "editor", "wrong password")

    response = admin_login(client, "editor", "wrong password")

    assert statuses == [200] * 4
    assert response.status_code == 429
    page = " ".join(response.content.decode().split())
    assert "<h1>Too many sign-in attempts</h1>" in page
    assert "as <strong>editor</strong> from this address failed 5 times in a row" in page
    assert "try again in 15 minutes" in page
    assert int(response["Retry-After"]) == 15 * 60


def test_locked_pair_cannot_sign_in_even_with_the_right_password(client, editor):
    fail_times(admin_login, 5, client, "editor", "wrong password")

    response = admin_login(client, "editor", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock_the_account(client, editor):
    fail_times(admin_login, 4, client, "editor", "wrong password")

    response = admin_login(client, "editor", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_lockout_does_not_block_the_same_account_from_another_address(client, editor):
    fail_times(admin_login, 6, client, "editor", "wrong password", ip="203.0.113.7")

    response = admin_login(Client(), "editor", PASSWORD, ip="198.51.100.20")

    assert response.status_code == 302


def test_lockout_does_not_block_other_accounts_from_the_same_address(client, editor):
    UserFactory(username="colleague", is_staff=True)
    fail_times(admin_login, 6, client, "editor", "wrong password")

    response = admin_login(Client(), "colleague", PASSWORD)

    assert response.status_code == 302


def test_lockout_ends_after_the_cool_off(client, editor, settings):
    fail_times(admin_login, 5, client, "editor", "wrong password")
    settings.AXES_COOLOFF_TIME = 0.0  # hours: the cool-off has passed

    response = admin_login(client, "editor", PASSWORD)

    assert response.status_code == 302


# Lockout: API token


def test_token_endpoint_issues_a_token_for_valid_credentials(api_client, editor):
    response = token_request(api_client, "editor", PASSWORD)

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=editor).key}


def test_token_endpoint_locks_after_five_failures(api_client, editor):
    statuses = fail_times(token_request, 5, api_client, "editor", "wrong password")

    response = token_request(api_client, "editor", PASSWORD)

    assert statuses == [400] * 4 + [429]
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.json()["detail"]
    assert not Token.objects.filter(user=editor).exists()


def test_token_failures_and_admin_failures_share_one_limit(client, api_client, editor):
    fail_times(token_request, 3, api_client, "editor", "wrong password")
    fail_times(admin_login, 2, client, "editor", "wrong password")

    response = admin_login(client, "editor", PASSWORD)

    assert response.status_code == 429


def test_token_endpoint_rejects_an_overlong_username(api_client):
    response = token_request(api_client, "u" * 151, PASSWORD)

    assert response.status_code == 400
    assert "username" in response.json()


# Client address behind proxies


def test_client_ip_ignores_forwarded_for_without_trusted_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4")

    assert client_ip(request) == "10.0.0.2"


def test_client_ip_takes_the_address_the_trusted_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")

    assert client_ip(request) == "203.0.113.9"


# CSRF, cookies, anonymous writes, drafts


def test_admin_login_without_csrf_token_is_forbidden(editor):
    client = Client(enforce_csrf_checks=True)

    response = admin_login(client, "editor", PASSWORD)

    assert response.status_code == 403


def test_session_write_without_csrf_token_is_forbidden(editor):
    client = Client(enforce_csrf_checks=True)
    editor.is_superuser = True
    editor.save()
    client.force_login(editor)

    response = client.post("/admin/auth/group/add/", {"name": "Editors"}, secure=True)

    assert response.status_code == 403


def test_sign_in_cookies_are_secure_httponly_and_same_site(client, editor):
    client.get(LOGIN_URL, secure=True)

    response = admin_login(client, "editor", PASSWORD)

    for name in ("sessionid", "csrftoken"):
        cookie = response.cookies[name]
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name


def test_anonymous_admin_write_is_refused(client):
    response = client.post("/admin/auth/group/add/", {"name": "Intruders"}, secure=True)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_anonymous_token_request_without_credentials_is_a_json_400(api_client):
    response = api_client.post(TOKEN_URL, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_draft_article_is_404_to_anonymous_readers(client):
    draft = ArticleFactory(status="draft", published_at=None)

    response = client.get(draft.get_absolute_url(), secure=True)

    assert response.status_code == 404


def test_draft_release_is_404_to_anonymous_readers(client):
    draft = ReleaseFactory(status="draft", published_at=None)

    response = client.get(draft.get_absolute_url(), secure=True)

    assert response.status_code == 404
