"""The answers a process sent from stored copies, sent again in front of Django's handler
(qwensite.freshness.front): the same bytes while their token is current, and the chain for the rest."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from qwensite.freshness import front
from qwensite.freshness.front import StoredAnswersFront
from tests.factories import ReleaseFactory
from tests.hardening.test_static_front import call

pytestmark = pytest.mark.django_db

OVER_HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip"}


class Chain:
    """Django's handler as a server runs it, counting the requests it is given."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.requests = 0

    def __call__(self, environ, start_response):
        self.requests += 1
        return self.handler(environ, start_response)


@pytest.fixture
def chain(monkeypatch):
    # As Django's test client does: neither the handler's signals nor the front may close the
    # test's connection (it is in the test's transaction).
    monkeypatch.setattr(front, "close_old_connections", lambda: None)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield Chain()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def site(chain):
    return StoredAnswersFront(chain)


@pytest.fixture
def release():
    return ReleaseFactory(name="Qwen 2", slug="qwen-2", summary="First summary.")


def get(site, path, **extra):
    status, headers, content = call(site, path, **{**OVER_HTTPS, **extra})
    return status, headers.items(), content


def test_an_answer_given_from_a_stored_copy_is_sent_again_without_the_chain_byte_for_byte(site, chain, release):
    path = release.get_absolute_url()
    rendered = get(site, path)
    from_copy = get(site, path)  # answered by the chain from the stored copy: kept by the front
    assert chain.requests == 2

    again = get(site, path)

    assert chain.requests == 2
    assert again == from_copy
    assert again[0] == 200
    assert again[2] == rendered[2]
    assert b"First summary." in again[2]


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("/releases/", GZIP),
        ("/api/v1/releases/", GZIP),
        ("/api/v1/releases/", {}),
        ("/releases/?page=1", {}),
        ("/", {"REQUEST_METHOD": "HEAD"}),
    ],
)
def test_each_representation_is_kept_as_the_chain_sent_it(site, chain, release, path, extra):
    path, _, query = path.partition("?")
    get(site, path, QUERY_STRING=query, **extra)
    from_copy = get(site, path, QUERY_STRING=query, **extra)

    again = get(site, path, QUERY_STRING=query, **extra)

    assert chain.requests == 2
    assert again == from_copy
    if extra is GZIP:
        assert dict(again[1])["Content-Encoding"] == "gzip"


def test_a_request_that_says_something_else_goes_to_the_chain(site, chain, release, settings):
    settings.SECURE_SSL_REDIRECT = True  # as in production
    chain.handler = WSGIHandler()  # SecurityMiddleware reads it as it is made
    path = release.get_absolute_url()
    get(site, path)
    get(site, path)

    compressed = get(site, path, **GZIP)
    other_host = call(site, path, HTTP_HOST="evil.example", **OVER_HTTPS)
    plain_http = call(site, path)

    assert chain.requests == 5
    assert dict(compressed[1])["Content-Encoding"] == "gzip"
    assert other_host[0] == 400
    assert plain_http[0] == 301  # HTTPS is enforced in the chain: no copy of plain HTTP was kept


def test_an_edit_makes_the_kept_answer_unusable_at_the_next_request(site, chain, release):
    path = release.get_absolute_url()
    get(site, path)
    get(site, path)
    get(site, path)
    assert chain.requests == 2

    release.summary = "Second summary."
    release.save()
    status, _, content = get(site, path)

    assert chain.requests == 3
    assert status == 200
    assert b"Second summary." in content
    assert b"First summary." not in content


def test_a_304_is_sent_again_with_the_chains_headers(site, chain, release):
    path = release.get_absolute_url()
    _, headers, _ = get(site, path)
    etag = dict(headers)["ETag"]
    from_copy = get(site, path, HTTP_IF_NONE_MATCH=etag)
    assert from_copy[0] == 304

    again = get(site, path, HTTP_IF_NONE_MATCH=etag)

    assert chain.requests == 2
    assert again == from_copy
    assert again[2] == b""
    assert "Content-Type" not in dict(again[1])


@pytest.mark.parametrize(
    "said", [{"HTTP_COOKIE": "sessionid=abc"}, {"HTTP_COOKIE": "csrftoken=abc"}, {"HTTP_AUTHORIZATION": "Token abc"}]
)
def test_a_request_with_a_cookie_or_credentials_goes_to_the_chain_though_an_answer_is_kept(site, chain, release, said):
    path = release.get_absolute_url()
    get(site, path)
    get(site, path)
    assert front._sent._values  # an anonymous reader's answer is kept

    for _ in range(2):
        get(site, path, **said)

    assert chain.requests == 4


def test_with_the_response_cache_off_nothing_is_sent_again(site, chain, release, settings):
    settings.RESPONSE_CACHE_ENABLED = False
    path = release.get_absolute_url()
    for _ in range(3):
        assert get(site, path)[0] == 200

    assert chain.requests == 3


def test_the_throttle_counts_what_the_front_sends_and_the_chain_refuses_over_the_rate(site, chain, release, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "4/minute"}}

    statuses = [get(site, "/api/v1/releases/")[0] for _ in range(5)]

    assert statuses == [200, 200, 200, 200, 429]
    assert chain.requests == 3  # the third and fourth were sent by the front; the fifth refused by the chain


def test_the_process_keeps_a_bounded_number_of_answers(site, chain, release, monkeypatch):
    monkeypatch.setattr(front._sent, "size", 1)
    for path in ("/releases/", "/releases/", release.get_absolute_url(), release.get_absolute_url()):
        get(site, path)

    get(site, "/releases/")

    assert len(front._sent._values) == 1
    assert chain.requests == 5


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ({}, {"REQUEST_METHOD": "HEAD"}),
        ({}, {"QUERY_STRING": "page=1"}),
        ({}, {"HTTP_ACCEPT": "application/json"}),
        ({}, {"HTTP_ACCEPT_ENCODING": "gzip"}),
        ({"HTTP_IF_NONE_MATCH": '"an-old-etag"'}, {}),
        ({}, {"HTTP_IF_MODIFIED_SINCE": "Mon, 07 Dec 2026 00:00:00 GMT"}),
    ],
)
def test_each_thing_the_chain_reads_is_part_of_what_an_answer_is_kept_under(site, chain, release, first, then):
    path = "/api/v1/releases/"
    get(site, path, **first)
    get(site, path, **first)
    get(site, path, **first)
    assert chain.requests == 2

    answer = get(site, path, **then)

    assert chain.requests == 3  # a request that says something else is answered by the chain
    assert answer[0] in (200, 304)
    again = get(site, path, **then)  # rendered, or answered from the stored copy: kept
    answered = chain.requests
    assert get(site, path, **then) == again  # then sent by the front
    assert chain.requests == answered


def test_a_plain_request_after_a_kept_304_gets_the_page(site, chain, release):
    path = release.get_absolute_url()
    _, headers, _ = get(site, path)
    etag = dict(headers)["ETag"]
    get(site, path, HTTP_IF_NONE_MATCH=etag)
    assert get(site, path, HTTP_IF_NONE_MATCH=etag)[0] == 304

    status, _, content = get(site, path)

    assert status == 200
    assert b"First summary." in content


def test_the_chain_gets_the_environ_as_the_server_made_it(site, chain, release, monkeypatch):
    path = "/releases/caf\xc3\xa9/"  # /releases/café/ as a WSGI server gives it: UTF-8 bytes read as Latin-1
    seen = []
    handler = chain.handler
    chain.handler = lambda environ, start_response: (
        seen.append(environ["PATH_INFO"]) or handler(environ, start_response)
    )
    # An answer kept under an earlier state: the front reads the request, then leaves it to the chain.
    monkeypatch.setattr(front._sent, "get", lambda signature: ("an earlier token", None, "200 OK", (), b"kept"))

    status, _, content = call(site, path, **OVER_HTTPS)

    assert seen == [path]
    assert status == 404
    assert content != b"kept"


def test_an_answer_too_large_or_to_a_request_saying_too_much_is_not_kept(site, chain, release, monkeypatch):
    path = release.get_absolute_url()
    for _ in range(3):
        get(site, path, HTTP_ACCEPT="text/html;" + "q=1," * 400)
    monkeypatch.setattr(front, "ANSWER_BYTES_KEPT", 100)
    for _ in range(3):
        get(site, path)

    assert chain.requests == 6
    assert not front._sent._values


def test_proxy_headers_are_read_only_where_the_settings_trust_them(settings):
    settings.USE_X_FORWARDED_HOST = False
    assert "HTTP_X_FORWARDED_HOST" not in front.signature_names()

    settings.USE_X_FORWARDED_HOST = True

    assert "HTTP_X_FORWARDED_HOST" in front.signature_names()
    assert settings.SECURE_PROXY_SSL_HEADER[0] in front.signature_names()
