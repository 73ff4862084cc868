"""Response headers Django has no setting for: Cross-Origin-Resource-Policy and Permissions-Policy.

SecurityMiddleware already sends HSTS, X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy; XFrameOptionsMiddleware X-Frame-Options; django-csp
Content-Security-Policy. All of them sit outside WhiteNoise and the response cache (see
settings.MIDDLEWARE), so static files, stored pages, 304s and error pages carry every header.
"""

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
