"""Security headers on every kind of response: pages, admin, API, errors, static files.

The values are the ones the MDN HTTP Observatory rewards (see the README's Hardening section).
"""

import pytest
from django.db import OperationalError
from django.test import override_settings

from tests.factories import ArticleFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

HTTPS = {"secure": True}


def csp_directives(response):
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


def assert_hardened(response):
    directives = csp_directives(response)
    assert directives["default-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    for sources in directives.values():
        assert "'unsafe-inline'" not in sources
        assert "'unsafe-eval'" not in sources
    assert "data:" not in directives["script-src"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.fixture
def content():
    article = ArticleFactory()
    return {"article": article, "release": ReleaseFactory(source_article=article)}


@pytest.mark.parametrize("name", ["home", "release_list", "release_detail", "article_detail"])
def test_pages_carry_security_headers(client, content, name):
    url = {
        "home": "/",
        "release_list": "/releases/",
        "release_detail": content["release"].get_absolute_url(),
        "article_detail": content["article"].get_absolute_url(),
    }[name]

    response = client.get(url, **HTTPS)

    assert response.status_code == 200
    assert_hardened(response)


def test_admin_login_carries_security_headers(client):
    response = client.get("/admin/login/", **HTTPS)

    assert response.status_code == 200
    assert_hardened(response)


def test_admin_change_form_carries_security_headers(admin_client):
    response = admin_client.get("/admin/auth/group/add/", **HTTPS)

    assert response.status_code == 200
    assert_hardened(response)


def test_api_not_found_carries_security_headers(client):
    response = client.get("/api/v1/no-such-endpoint/", **HTTPS)

    assert response.status_code == 404
    assert_hardened(response)


def test_api_token_endpoint_carries_security_headers(api_client):
    response = api_client.post("/api/v1/auth/token/", {"username": "nobody", "password": "x"}, format="json", **HTTPS)

    assert response.status_code == 400
    assert_hardened(response)


def test_page_not_found_carries_security_headers(client):
    response = client.get("/articles/no-such-article/", **HTTPS)

    assert response.status_code == 404
    assert_hardened(response)


def test_database_outage_page_carries_security_headers(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("qwensite.views.HomeView.get_context_data", refuse)

    response = client.get("/", **HTTPS)

    assert response.status_code == 503
    assert_hardened(response)


def test_static_files_carry_cross_origin_headers(client, settings):
    settings.WHITENOISE_USE_FINDERS = True  # serve from the source tree, as runserver would

    response = client.get("/static/css/site.css", **HTTPS)

    assert response.status_code == 200
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_csp_adds_a_nonce_only_when_a_page_uses_one(rf):
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    def view_using_nonce(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}"></script>')

    request = rf.get("/", **HTTPS)
    response = CSPMiddleware(view_using_nonce)(request)

    nonce_sources = [s for s in csp_directives(response)["script-src"] if s.startswith("'nonce-")]
    assert nonce_sources == [f"'nonce-{request.csp_nonce}'"]


def test_csp_has_no_nonce_when_no_page_script_needs_one(client):
    response = client.get("/", **HTTPS)

    assert csp_directives(response)["script-src"] == ["'self'"]


def test_csp_report_uri_is_added_when_configured(client, settings):
    directives = {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "report-uri": ["/csp-reports/"]}

    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": directives}):
        response = client.get("/", **HTTPS)

    assert csp_directives(response)["report-uri"] == ["/csp-reports/"]


def test_plain_http_is_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/releases/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/releases/"


def test_tls_proxy_header_counts_as_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/releases/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200


def test_static_files_carry_every_security_header(client, settings):
    """A static SVG opened on its own is a document: it gets the same policy as a page."""
    settings.WHITENOISE_USE_FINDERS = True

    response = client.get("/static/css/site.css", **HTTPS)

    assert response.status_code == 200
    assert_hardened(response)


def test_a_304_carries_every_security_header(client, content):
    url = content["release"].get_absolute_url()
    first = client.get(url, **HTTPS)

    response = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **HTTPS)

    assert response.status_code == 304
    assert_hardened(response)


def test_a_stored_page_carries_every_security_header(client, content):
    url = content["release"].get_absolute_url()
    client.get(url, **HTTPS)

    response = client.get(url, **HTTPS)

    assert response.status_code == 200
    assert_hardened(response)


def test_the_bad_host_400_carries_every_security_header(client):
    response = client.get("/releases/", HTTP_HOST="attacker.example", **HTTPS)

    assert response.status_code == 400
    assert_hardened(response)
    assert b"attacker.example" not in response.content


def csp_headers(response):
    return {
        name: response.headers.get(name) for name in ("Content-Security-Policy", "Content-Security-Policy-Report-Only")
    }


@pytest.mark.parametrize(
    "view",
    ["plain", "nonce", "update", "replace", "exempt", "excluded", "report only"],
)
def test_the_site_csp_middleware_gives_the_headers_django_csp_gives(rf, settings, view):
    """The policy built once is the one django-csp builds for each response, in each case it
    handles: a nonce used, a decorator's update or replace, an exempt view, an excluded path, a
    report-only policy beside the enforced one."""
    from csp.constants import SELF
    from csp.decorators import csp_exempt, csp_replace, csp_update
    from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
    from django.http import HttpResponse

    from qwensite.ops.headers import CSPMiddleware

    if view == "report only":
        settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": [SELF], "img-src": ["data:"]}}
    if view == "excluded":
        settings.CONTENT_SECURITY_POLICY = {**settings.CONTENT_SECURITY_POLICY, "EXCLUDE_URL_PREFIXES": ["/excluded"]}

    def page(request):
        return HttpResponse(f"<p nonce='{request.csp_nonce}'></p>" if view == "nonce" else "<p></p>")

    if view == "update":
        page = csp_update({"img-src": ["https://example.org"]})(page)
    elif view == "replace":
        page = csp_replace({"script-src": None})(page)
    elif view == "exempt":
        page = csp_exempt()(page)
    path = "/excluded/page" if view == "excluded" else "/page"

    answers = []
    for middleware in (CSPMiddleware, DjangoCSPMiddleware, CSPMiddleware):  # the site's twice: built, then kept
        request = rf.get(path, **HTTPS)
        response = middleware(page)(request)
        nonce = getattr(request, "_csp_nonce", None)  # each response's own: told apart from the rest
        answers.append(
            {
                name: value and nonce and value.replace(nonce, "N") or value
                for name, value in csp_headers(response).items()
            }
        )

    assert answers[0] == answers[1] == answers[2]
    if view in ("exempt", "excluded"):
        assert answers[0]["Content-Security-Policy"] is None
    else:
        assert "default-src 'none'" in answers[0]["Content-Security-Policy"]
    assert (answers[0]["Content-Security-Policy-Report-Only"] is not None) == (view == "report only")


def test_the_site_policy_follows_a_change_of_its_settings(client, cold, settings):
    before = client.get("/", **HTTPS).headers["Content-Security-Policy"]

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    after = client.get("/", **HTTPS).headers["Content-Security-Policy"]

    assert "default-src 'none'" in before
    assert after == "default-src 'self'"


def test_a_nonce_asked_for_after_the_site_policy_is_written_is_refused(rf):
    from csp.exceptions import CSPNonceError
    from django.http import HttpResponse

    from qwensite.ops.headers import CSPMiddleware

    request = rf.get("/", **HTTPS)
    CSPMiddleware(lambda request: HttpResponse("<p></p>"))(request)

    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
