"""Pages for anonymous readers are compressed; a response that carries a CSRF token, or goes to
a visitor with a session or credentials, is not (BREACH)."""

import gzip

import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client, RequestFactory

from qwensite.ops.compression import AnonymousGZipMiddleware
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def test_an_anonymous_page_is_compressed(client, seeded):
    plain = Client().get("/releases/").content

    response = client.get("/releases/", **GZIP)

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == plain
    assert len(response.content) < len(plain) / 2


def test_a_stored_page_is_compressed_and_still_answers_conditional_requests(client, seeded):
    first = client.get("/", **GZIP)

    stored = client.get("/", **GZIP)
    not_modified = client.get("/", HTTP_IF_NONE_MATCH=stored["ETag"], **GZIP)

    assert stored["Content-Encoding"] == "gzip"
    assert gzip.decompress(stored.content) == gzip.decompress(first.content)
    assert not_modified.status_code == 304


def test_a_page_with_a_csrf_token_is_not_compressed(client):
    response = client.get("/admin/login/", **GZIP)

    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert not response.has_header("Content-Encoding")


def test_a_visitor_with_a_session_gets_no_compressed_page(client, seeded):
    client.force_login(UserFactory())

    response = client.get("/releases/", **GZIP)

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_an_api_client_with_credentials_gets_no_compressed_answer(client, seeded):
    response = client.get("/api/v1/releases/", HTTP_AUTHORIZATION="Token not-a-real-token", **GZIP)

    assert not response.has_header("Content-Encoding")


def test_a_client_that_does_not_accept_gzip_gets_the_page_as_it_is(client, seeded):
    response = client.get("/releases/")

    assert not response.has_header("Content-Encoding")
    assert b"Release catalogue" in response.content


def test_a_stored_page_is_served_to_a_client_without_gzip_uncompressed(client, seeded):
    client.get("/releases/", **GZIP)
    client.get("/releases/", **GZIP)

    response = Client().get("/releases/")

    assert not response.has_header("Content-Encoding")
    assert b"Release catalogue" in response.content


def test_a_streaming_response_such_as_a_static_file_is_left_as_it_is(rf):
    request = rf.get("/static/x.svg", **GZIP)
    streamed = StreamingHttpResponse([b"<svg>" + b"x" * 1000 + b"</svg>"], content_type="image/svg+xml")
    rendered = HttpResponse(b"<p>" + b"x" * 1000 + b"</p>")

    assert not AnonymousGZipMiddleware(lambda r: streamed)(request).has_header("Content-Encoding")
    assert AnonymousGZipMiddleware(lambda r: rendered)(request)["Content-Encoding"] == "gzip"


def test_compression_sits_above_the_stored_answers(settings):
    order = settings.MIDDLEWARE
    assert order.index("qwensite.ops.compression.AnonymousGZipMiddleware") < order.index(
        "qwensite.freshness.middleware.StoredAnswerMiddleware"
    )


def test_a_page_sent_again_is_not_compressed_again(monkeypatch):
    from qwensite.ops import compression

    calls = []
    real = compression.compress_string
    monkeypatch.setattr(compression, "compress_string", lambda *a, **k: calls.append(1) or real(*a, **k))
    page = b"<p>" + b"The history of Qwen. " * 40 + b"</p>"
    middleware = AnonymousGZipMiddleware(lambda request: HttpResponse(page, headers={"ETag": '"v1"'}))
    request = RequestFactory().get("/", **GZIP)

    first, second = middleware(request), middleware(request)

    assert len(calls) == 1
    assert first.content == second.content
    assert gzip.decompress(second.content) == page
    assert second["ETag"] == 'W/"v1"'
    assert second["Content-Length"] == str(len(second.content))
    assert second["Content-Encoding"] == "gzip"


def test_the_compressed_pages_kept_are_bounded(monkeypatch):
    from qwensite.ops import compression

    monkeypatch.setattr(compression, "COMPRESSED_KEPT", 3)
    pages = iter(f"<p>{f'page {n} ' * 50}</p>".encode() for n in range(10))
    middleware = AnonymousGZipMiddleware(lambda request: HttpResponse(next(pages)))
    for _ in range(10):
        middleware(RequestFactory().get("/", **GZIP))

    assert len(middleware.compressed) == 3


def test_contents_of_one_fingerprint_are_each_compressed_from_their_own_bytes(monkeypatch):
    from qwensite.ops import compression

    monkeypatch.setattr(compression, "fingerprint", lambda content: "one for all")
    pages = [f"<p>{f'page {n} ' * 50}</p>".encode() for n in (1, 2, 1)]
    sent = iter(pages)
    middleware = AnonymousGZipMiddleware(lambda request: HttpResponse(next(sent)))

    answers = [middleware(RequestFactory().get("/", **GZIP)) for _ in pages]

    assert [gzip.decompress(answer.content) for answer in answers] == pages


def test_bytes_known_by_name_are_compressed_once_by_it_without_a_fingerprint(monkeypatch):
    from qwensite.ops import compression

    page = b"<p>" + b"The history of Qwen. " * 40 + b"</p>"

    def named(request):
        response = HttpResponse(page)
        setattr(response, compression.CONTENT_NAME, ("response:key", "token-1"))
        return response

    digests = []
    monkeypatch.setattr(compression, "fingerprint", lambda content: digests.append(1))
    middleware = AnonymousGZipMiddleware(named)

    first, second = middleware(RequestFactory().get("/", **GZIP)), middleware(RequestFactory().get("/", **GZIP))

    assert digests == []
    assert list(middleware.compressed) == [("response:key", "token-1")]
    assert first.content == second.content
    assert gzip.decompress(second.content) == page


def test_a_stored_copy_is_named_by_its_key_and_token_for_compression(client):
    from qwensite.ops import compression

    client.get("/releases/")
    answer = client.get("/releases/", headers={"accept-encoding": "gzip"})

    key, token = getattr(answer, compression.CONTENT_NAME)
    assert key.startswith("response:")
    assert token
    assert answer["Content-Encoding"] == "gzip"


def test_the_vary_of_bytes_known_by_name_is_worked_out_once_and_given_to_each_answer(monkeypatch):
    from qwensite.ops import compression

    page = b"<p>" + b"The history of Qwen. " * 40 + b"</p>"

    def named(request):
        response = HttpResponse(page, headers={"Vary": "Accept, Cookie"})
        setattr(response, compression.CONTENT_NAME, ("response:key", "token-1"))
        return response

    patched = []
    original = compression.patch_vary_headers
    monkeypatch.setattr(compression, "patch_vary_headers", lambda *a: patched.append(1) or original(*a))
    middleware = AnonymousGZipMiddleware(named)

    answers = [middleware(RequestFactory().get("/", **extra)) for extra in (GZIP, {}, GZIP)]

    assert patched == [1]
    assert [answer["Vary"] for answer in answers] == ["Accept, Cookie, Accept-Encoding"] * 3
    assert [answer.has_header("Content-Encoding") for answer in answers] == [True, False, True]
