"""Response headers Django has no setting for: Cross-Origin-Resource-Policy and Permissions-Policy.

SecurityMiddleware already sends HSTS, X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy; XFrameOptionsMiddleware X-Frame-Options; django-csp
Content-Security-Policy. They sit outside the response cache (see settings.MIDDLEWARE), so
stored pages, 304s and error pages carry every header. Static files are served in front of
all of them (qwensite.ops.static_front, or WhiteNoiseMiddleware right after SecurityMiddleware
where the front stands aside), and get the headers of the middleware they skip once, when
WhiteNoise first reads each file (static_file_headers, WHITENOISE_ADD_HEADERS_FUNCTION).
"""

from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.security import SecurityMiddleware


def permissions_policy(features):
    """Render {"camera": [], "fullscreen": ["self"]} as 'camera=(), fullscreen=(self)'."""
    return ", ".join(f"{feature}=({' '.join(allow)})" for feature, allow in features.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {
            "Cross-Origin-Resource-Policy": settings.CROSS_ORIGIN_RESOURCE_POLICY,
            "Permissions-Policy": permissions_policy(settings.PERMISSIONS_POLICY),
        }

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.headers.items():
            if value:
                response.headers.setdefault(name, value)
        return response


def secure_response_headers():
    """The headers SecurityMiddleware gives a response to a request over HTTPS (HSTS among them),
    as it composes them from the settings."""
    request = HttpRequest()
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure = settings.SECURE_PROXY_SSL_HEADER
        request.META[header] = secure
    return SecurityMiddleware(lambda request: HttpResponse())(request).headers


def static_file_headers(headers, path, url):
    """WhiteNoise's hook: what SecurityMiddleware, SecurityHeadersMiddleware,
    XFrameOptionsMiddleware and django-csp would add, set once per file (a static SVG opened on
    its own is a document too). HSTS included: the front serves files over HTTPS only while HSTS
    is on (qwensite.ops.static_front), and a browser ignores HSTS sent over plain HTTP (RFC 6797
    8.1), as where the chain serves a file with the HTTPS redirect off."""
    for name, value in secure_response_headers().items():
        if name.lower() != "content-type":
            headers.setdefault(name, value)
    for name, value in SecurityHeadersMiddleware(None).headers.items():
        if value:
            headers[name] = value
    headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    headers["Content-Security-Policy"] = build_policy(config=settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
