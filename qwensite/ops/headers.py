"""Response headers Django has no setting for: Cross-Origin-Resource-Policy and Permissions-Policy;
and django-csp's Content-Security-Policy, built once (CSPMiddleware).

SecurityMiddleware already sends HSTS, X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy; XFrameOptionsMiddleware X-Frame-Options; django-csp
Content-Security-Policy. They sit outside the response cache (see settings.MIDDLEWARE), so
stored pages, 304s and error pages carry every header. Static files are served in front of
all of them (qwensite.ops.static_front, or WhiteNoiseMiddleware right after SecurityMiddleware
where the front stands aside), and get the headers of the middleware they skip once, when
WhiteNoise first reads each file (static_file_headers, WHITENOISE_ADD_HEADERS_FUNCTION).
"""

from csp import middleware as csp_middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
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


# What a response changes of the policies (django-csp's decorators set these on it).
POLICY_CHANGES = tuple(f"_csp_{change}{suffix}" for change in ("config", "update", "replace") for suffix in ("", "_ro"))
_site_policies = {}  # report only or not: (the policy the settings make, the paths it leaves out)


@receiver(setting_changed)
def _forget_site_policies(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_policies.clear()


def site_policy(report_only=False):
    """The policy the settings alone make (django-csp's ``build_policy``, "" for none) and the
    path prefixes it is not sent for: built once per process and settings."""
    policy = _site_policies.get(report_only)
    if policy is None:
        name = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
        prefixes = tuple((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ())
        policy = _site_policies[report_only] = (build_policy(report_only=report_only), prefixes)
    return policy


class CSPMiddleware(csp_middleware.CSPMiddleware):
    """django-csp's middleware, with the policy of a response that changes none of it (no nonce
    used, no decorator's config, update or replace) built once per process: django-csp builds
    both headers anew for each response, 0.24 ms in all, a seventh of a cache-cold API list.
    Any other response is django-csp's own; the headers are the same (tested against it)."""

    def process_response(self, request, response):
        if isinstance(getattr(request, "_csp_nonce", None), str) or any(
            getattr(response, change, None) is not None for change in POLICY_CHANGES
        ):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (404, 500):
            return response  # django-csp leaves Django's debug pages alone
        for header, report_only, exempt in (
            (HEADER, False, "_csp_exempt"),
            (HEADER_REPORT_ONLY, True, "_csp_exempt_ro"),
        ):
            policy, prefixes = site_policy(report_only)
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = policy
        # As django-csp: a nonce asked for once the header is written could not be in it.
        request.csp_nonce = csp_middleware.CheckableLazyObject(self._csp_nonce_post_response)
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
