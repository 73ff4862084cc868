"""The grade the MDN HTTP Observatory gives these responses, by its published scoring rules.

The rules (mdn/mdn-http-observatory, src/grader/charts.js and src/analyzer/tests): every
site starts at 100; penalties apply always, bonuses only when the score without them is at
least 90; 100 and above is A+. Only the tests a response's headers decide are graded here
(HSTS preloading and subresource integrity bonuses depend on things outside the headers and
are not claimed).
"""

import re

import pytest
from django.test import Client

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BROAD = {"*", "http:", "https:", "ftp:"}
UNSAFE_INLINE = {"'unsafe-inline'", "data:"}
PRIVATE_REFERRER = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}


def parse_csp(value):
    return {part.split()[0].lower(): set(part.split()[1:]) for part in value.split(";") if part.strip()}


def csp_modifier(headers):
    if "Content-Security-Policy" not in headers:
        return -25
    csp = parse_csp(headers["Content-Security-Policy"])
    default = csp.get("default-src", {"*"})
    script, style = csp.get("script-src", default), csp.get("style-src", default)
    if script & (BROAD | UNSAFE_INLINE) or csp.get("object-src", default) & BROAD:
        return -20
    if "'unsafe-eval'" in script | style:
        return -10
    if style & (BROAD | UNSAFE_INLINE):
        return 0
    return 10 if csp.get("default-src") == {"'none'"} else 5


def cookies_modifier(cookies):
    if not cookies:
        return 0
    if not all(c["secure"] for c in cookies.values()):
        return -20
    if not all(c["httponly"] for name, c in cookies.items() if name == "sessionid"):
        return -30
    if all(c["samesite"].lower() in {"lax", "strict"} for c in cookies.values()):
        return 5
    return 0


def hsts_modifier(headers):
    max_age = re.search(r"max-age=(\d+)", headers.get("Strict-Transport-Security", ""))
    if not max_age:
        return -20
    return 0 if int(max_age.group(1)) >= 15768000 else -10


def xfo_modifier(headers):
    if "frame-ancestors" in parse_csp(headers.get("Content-Security-Policy", "")):
        return 5
    return 0 if headers.get("X-Frame-Options", "").upper() in {"DENY", "SAMEORIGIN"} else -20


def observatory_score(response, redirect_response):
    headers = response.headers
    modifiers = {
        "content-security-policy": csp_modifier(headers),
        "cookies": cookies_modifier(response.cookies),
        "referrer-policy": 5 if headers.get("Referrer-Policy", "").split(",")[-1].strip() in PRIVATE_REFERRER else 0,
        "strict-transport-security": hsts_modifier(headers),
        "x-content-type-options": 0 if headers.get("X-Content-Type-Options") == "nosniff" else -5,
        "x-frame-options": xfo_modifier(headers),
        "cross-origin-resource-policy": 10
        if headers.get("Cross-Origin-Resource-Policy") in {"same-origin", "same-site"}
        else 0,
        "redirection": 0 if redirect_response["Location"].startswith("https://testserver/") else -20,
    }
    penalties = sum(m for m in modifiers.values() if m < 0)
    bonuses = sum(m for m in modifiers.values() if m > 0)
    return 100 + penalties + (bonuses if 100 + penalties >= 90 else 0), modifiers


def grade(score):
    return "A+" if score >= 100 else "A" if score >= 90 else "below A"


@pytest.fixture
def redirect_response(settings):
    settings.SECURE_SSL_REDIRECT = True
    return Client().get("/")


def test_home_page_earns_a_plus(client, redirect_response):
    ArticleFactory()

    score, modifiers = observatory_score(client.get("/", secure=True), redirect_response)

    assert min(modifiers.values()) == 0
    assert score == 130
    assert grade(score) == "A+"


def test_page_that_sets_cookies_earns_a_plus_with_the_cookie_bonus(client, redirect_response):
    score, modifiers = observatory_score(client.get("/admin/login/", secure=True), redirect_response)

    assert modifiers["cookies"] == 5
    assert score == 135
    assert grade(score) == "A+"
