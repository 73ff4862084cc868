"""HTML (and JSON) compressed only where compression can leak no secret.

BREACH recovers a secret from a compressed response that also reflects what an attacker
sends (a search term, a query parameter): each guess that matches the secret compresses a
little better. A page for an anonymous reader carries no secret, so it is compressed; a
response that carries a CSRF token, or goes to a visitor with a session or credentials, is
sent as it is. (Django's own GZipMiddleware pads each response with random bytes as well,
and masks the CSRF token anew on each response: both only slow an attack down.)

Sits above the stored answers (StoredAnswerMiddleware), so a page is stored once,
uncompressed, and compressed on its way out for each reader who accepts gzip. Compressing a
page took as long as answering it from its stored copy, so each process keeps the compressed
bytes of the last pages it compressed (``COMPRESSED_KEPT``), with the pages themselves, by a
fingerprint of their content, checked byte for byte: the same content sent again is not
compressed again. Its random padding is then the same for each
copy, which weakens nothing here: these responses carry no secret. Streaming responses
(WhiteNoise's static files, precompressed where that pays, and file downloads) are left as
they are.
"""

import zlib
from collections import OrderedDict

from django.conf import settings
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

COMPRESSED_KEPT = 256  # pages per process whose compressed bytes are kept
# A response whose bytes are known by a name (a stored copy: its key and the token it was stored
# under) carries it in this attribute, and is compressed once by that name: its bytes are not
# read again at each request.
CONTENT_NAME = "content_name"


def carries_secret(request, response):
    """Whether ``response`` may hold something of this visitor's: a CSRF token was rendered
    (get_token() flags it), it sets a cookie, or the visitor sent a session or credentials."""
    return bool(
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or response.cookies
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or settings.CSRF_COOKIE_NAME in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
    )


def fingerprint(content):
    """What a content is kept under when it has no name: its length and CRC-32 (checked, not trusted)."""
    return len(content), zlib.crc32(content)


class AnonymousGZipMiddleware(GZipMiddleware):
    """GZipMiddleware for what carries no secret, each content compressed once per process."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self.compressed = OrderedDict()  # a content's name or fingerprint: (it, its compressed bytes), last used last
        self.varied = OrderedDict()  # name of a content: its response's Vary, Accept-Encoding added

    def process_response(self, request, response):
        if response.streaming or carries_secret(request, response):
            return response
        if response.status_code == 304:
            # The 304 stands for the representation a 200 would send: it varies the same way.
            patch_vary_headers(response, ("Accept-Encoding",))
            return response
        # GZipMiddleware's steps for a response in memory, with the compressed bytes kept.
        if len(response.content) < 200 or response.has_header("Content-Encoding"):
            return response
        name = getattr(response, CONTENT_NAME, None)
        self.vary(response, name)
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = self.compressed_once(response.content, name)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag  # RFC 9110 8.8.1, as GZipMiddleware does
        response.headers["Content-Encoding"] = "gzip"
        return response

    def vary(self, response, name=None):
        """Add Accept-Encoding to the response's Vary; for a content known by its name (a stored
        copy, whose headers are the same at each answer) the header is worked out once."""
        varied = self.varied.get(name) if name is not None else None
        if varied is None:
            patch_vary_headers(response, ("Accept-Encoding",))
            if name is not None:
                self.varied[name] = response.headers["Vary"]
                if len(self.varied) > COMPRESSED_KEPT:
                    self.varied.popitem(last=False)
        else:
            response.headers["Vary"] = varied

    def compressed_once(self, content, name=None):
        """The compressed bytes of ``content``, kept by its name, else by its length and CRC-32
        with the content itself: a content kept is compared byte for byte before its compressed
        bytes are used (a comparison costs a tenth of a cryptographic digest of the page, and
        no two contents can share their compressed bytes)."""
        key = name or fingerprint(content)
        kept = self.compressed.get(key)
        if kept is None or (name is None and kept[0] != content):
            compressed = compress_string(content, max_random_bytes=self.max_random_bytes)
            kept = self.compressed[key] = (None if name else content, compressed)
            if len(self.compressed) > COMPRESSED_KEPT:
                self.compressed.popitem(last=False)
        else:
            self.compressed.move_to_end(key)
        return kept[1]
