"""Response headers Django has no setting for: Cross-Origin-Resource-Policy and Permissions-Policy.

SecurityMiddleware already sends HSTS, X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy; XFrameOptionsMiddleware X-Frame-Options; django-csp
Content-Security-Policy. They sit outside the response cache (see settings.MIDDLEWARE), so
stored pages, 304s and error pages carry every header. WhiteNoise sits right after
SecurityMiddleware (its fastest place: a static file costs no other middleware), and gives its
files the headers of the middleware it skips once, when it first reads each file
(static_file_headers, WHITENOISE_ADD_HEADERS_FUNCTION).
"""

from csp.utils import build_policy
from django.conf import settings


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


def static_file_headers(headers, path, url):
    """WhiteNoise's hook: what SecurityHeadersMiddleware, XFrameOptionsMiddleware and django-csp
    would add, set once per file (a static SVG opened on its own is a document too)."""
    for name, value in SecurityHeadersMiddleware(None).headers.items():
        if value:
            headers[name] = value
    headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    headers["Content-Security-Policy"] = build_policy(config=settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
