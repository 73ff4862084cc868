"""Static files answered in front of Django's handler (qwensite.ops.static_front), with the
headers the chain would give them, and handed to the chain where it must decide."""

import io
import sys
from wsgiref.headers import Headers

import pytest

from qwensite.ops.static_front import StaticFilesFront
from tests.hardening.test_headers import assert_hardened

pytestmark = pytest.mark.django_db

STATIC_FILE = "/static/css/site.css"
OVER_HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}


class Application:
    """The application behind the front: records that it was called, answers 418."""

    def __init__(self):
        self.paths = []

    def __call__(self, environ, start_response):
        self.paths.append(environ["PATH_INFO"])
        start_response("418 I'm a teapot", [("Content-Type", "text/plain")])
        return [b"from the application"]


def call(application, path, method="GET", **extra):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        **extra,
    }
    answered = []
    body = application(environ, lambda status, headers: answered.append((status, headers)))
    content = b"".join(body)
    getattr(body, "close", lambda: None)()
    status, headers = answered[0]
    return int(status.split()[0]), Headers(headers), content


@pytest.fixture
def behind(settings):
    """Production's static settings, the files found in the source tree (no collectstatic here)."""
    settings.WHITENOISE_AUTOREFRESH = False
    settings.WHITENOISE_USE_FINDERS = True
    settings.SECURE_SSL_REDIRECT = True
    return Application()


def test_a_static_file_is_answered_without_the_application_with_every_security_header(behind, settings):
    status, headers, content = call(StaticFilesFront(behind), STATIC_FILE, **OVER_HTTPS)

    assert status == 200
    assert behind.paths == []
    assert content == (settings.BASE_DIR / "static" / "css" / "site.css").read_bytes()
    assert headers["Content-Type"].startswith("text/css")
    assert_hardened(type("Answer", (), {"headers": headers}))


def test_the_front_gives_a_file_the_headers_the_chain_gives_it(behind, client):
    _, front_headers, front_content = call(StaticFilesFront(behind), STATIC_FILE, **OVER_HTTPS)

    response = client.get(STATIC_FILE, secure=True)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == front_content
    assert {name.lower(): value for name, value in front_headers.items()} == {
        name.lower(): value for name, value in response.items()
    }


def test_a_head_request_gets_the_headers_and_no_body(behind):
    status, headers, content = call(StaticFilesFront(behind), STATIC_FILE, method="HEAD", **OVER_HTTPS)

    assert status == 200
    assert int(headers["Content-Length"]) > 0
    assert content == b""
    assert behind.paths == []


def test_plain_http_goes_to_the_application_while_https_is_enforced(behind):
    status, _, _ = call(StaticFilesFront(behind), STATIC_FILE)

    assert status == 418
    assert behind.paths == [STATIC_FILE]


def test_plain_http_goes_to_the_application_while_hsts_is_on_without_the_redirect(behind, settings):
    settings.SECURE_SSL_REDIRECT = False

    status, _, _ = call(StaticFilesFront(behind), STATIC_FILE)

    assert status == 418


def test_plain_http_is_served_when_neither_the_redirect_nor_hsts_is_on(behind, settings):
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0

    status, _, _ = call(StaticFilesFront(behind), STATIC_FILE)

    assert status == 200
    assert behind.paths == []


def test_the_chain_redirects_plain_http_for_a_static_file(behind, client):
    response = client.get(STATIC_FILE)

    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{STATIC_FILE}"


@pytest.mark.parametrize("path", ["/releases/", "/static/no-such-file.css", "/healthz"])
def test_what_is_not_a_static_file_goes_to_the_application(behind, path):
    status, _, content = call(StaticFilesFront(behind), path, **OVER_HTTPS)

    assert status == 418
    assert content == b"from the application"
    assert behind.paths == [path]


def test_in_debug_mode_the_front_stands_aside_for_whitenoise_s_checks_of_the_disk(behind, settings):
    settings.WHITENOISE_AUTOREFRESH = True

    status, _, _ = call(StaticFilesFront(behind), STATIC_FILE, **OVER_HTTPS)

    assert status == 418


def test_the_served_application_is_the_site_behind_both_fronts():
    from django.core.handlers.wsgi import WSGIHandler

    from qwensite.freshness.front import StoredAnswersFront
    from qwensite.wsgi import application

    assert isinstance(application, StaticFilesFront)
    assert isinstance(application.application, StoredAnswersFront)
    assert isinstance(application.application.application, WSGIHandler)
