"""Settings for qwensite, read from the environment.

Every deploy-time choice comes from an environment variable; the defaults give a
safe production posture (debug off, secure cookies, HSTS) on an embedded SQLite
database. ``DJANGO_DEBUG=true`` relaxes what a local ``runserver`` needs.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from qwensite.freshness.filecache import default_directory
from qwensite.ops.postgresql import ENGINE as POSTGRES_ENGINE
from qwensite.ops.postgresql import connection_options as postgres_options
from qwensite.ops.sqlite import CONNECTION_OPTIONS as SQLITE_OPTIONS
from qwensite.ops.sqlite import ENGINE as SQLITE_ENGINE

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# The public origin that canonical links, feeds and the sitemap name (check --deploy wants https).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "concurrency",
    "import_export",
    "axes",
    "csp",
    "qwensite.editorial",
    "qwensite.freshness",
    "articles",
    "releases",
    "qwensite",
]
# JSON fixtures and backups keep every microsecond of a time (qwensite.ops.fixtures_json).
SERIALIZATION_MODULES = {"json": "qwensite.ops.fixtures_json"}
# The apps whose rows are the site's content: what a backup holds (qwensite.ops.backups).
CONTENT_APPS = ["articles", "releases", "editorial"]
# The licence the open-data snapshots are published under (manage.py publish_snapshot).
DATA_LICENCE = os.environ.get("DJANGO_DATA_LICENCE", "CC-BY-4.0")
# Where the API lives: its URLs, its throttle and its JSON errors all start here.
API_PREFIX = "/api/v1/"

MIDDLEWARE = [
    "qwensite.ops.health.HealthCheckMiddleware",  # first: /healthz costs no other middleware
    # Compresses what carries no secret of the visitor's (BREACH); above the stored answers, so
    # that a page is stored uncompressed and compressed for each reader who accepts gzip.
    "qwensite.ops.compression.AnonymousGZipMiddleware",
    # Then a stored anonymous copy or a 304, in one cache round trip (the API throttle's count
    # included), with the headers the copy was stored with: every middleware below had set them.
    "qwensite.freshness.middleware.StoredAnswerMiddleware",
    # Every security header is set outside the response cache, so stored pages, 304s and the
    # bad-host 400 carry the same headers as a rendered page. WhiteNoise comes right after
    # SecurityMiddleware, as its documentation advises: its files get the other headers once,
    # when it reads them (WHITENOISE_ADD_HEADERS_FUNCTION).
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "qwensite.ops.headers.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "qwensite.ops.headers.CSPMiddleware",  # django-csp's, its policy built once
    "qwensite.ops.outages.DatabaseOutageMiddleware",
    # Before session, CSRF and auth: a stored page or a 304 for an anonymous reader costs none of them.
    # The API's throttle comes first, so that it counts the anonymous requests the cache answers.
    "qwensite.rest.throttling.ThrottleMiddleware",
    "qwensite.freshness.middleware.ConditionalCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qwensite.urls"
WSGI_APPLICATION = "qwensite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                # Reader site: canonical URLs.
                "qwensite.seo.context_processors.site",
            ],
            # {% url %} keeps the paths of URLs without arguments per process (qwensite.routing).
            "builtins": ["qwensite.routing.tags"],
        },
    },
]

# Database: an SQLite file in the project unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, with the statistics SQLite's planner needs kept current when a connection
    # closes (qwensite.ops.sqlite). Connections are kept CONN_MAX_AGE seconds, as PostgreSQL's: a
    # request that opens one pays for the connection, its pragmas and that upkeep (1.4 ms of the
    # API's list).
    DATABASES["default"]["ENGINE"] = SQLITE_ENGINE
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if IS_POSTGRES and env_bool("DJANGO_DB_PREPARED", default=True):
    # Django's backend, with the SQL a list compiles once per process prepared once per connection
    # and planned once (qwensite.ops.postgresql). DJANGO_DB_PREPARED=false keeps Django's backend
    # as it is, for a pooler in transaction mode (PgBouncer without prepared statements).
    DATABASES["default"]["ENGINE"] = POSTGRES_ENGINE
    DATABASES["default"]["OPTIONS"] = postgres_options(DATABASES["default"].get("OPTIONS", {}))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Browsers and proxies may reuse a public page this many seconds before revalidating it
# (revalidation is a cheap 304); 0 makes every edit visible on the very next request.
PUBLIC_MAX_AGE = int(os.environ.get("DJANGO_PUBLIC_MAX_AGE", "0"))

# Cache: Redis when REDIS_URL is set (shared by every app server); else a file cache that every
# worker process of this machine shares (DJANGO_CACHE_DIR; in memory where there is /dev/shm),
# so that the content state, stored pages and counts are shared by `make serve` and a
# one-machine deployment as with Redis.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("DJANGO_CACHE_PREFIX", "qwensite")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "qwensite.freshness.redis.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": 300,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "qwensite.freshness.filecache.SharedFileCache",
            "LOCATION": os.environ.get("DJANGO_CACHE_DIR", "") or default_directory(BASE_DIR),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": 300,
        }
    }
# Without Redis, a mark in shared memory that every process of this machine sees move when the
# content state is written (qwensite.freshness.mark): until it moves, each process keeps the
# state it read instead of reading its files on every request. With Redis, Redis's own
# invalidation messages tell each process instead (qwensite.freshness.redis.InvalidationWatch).
CONTENT_STATE_MARK = "" if REDIS_URL else str(Path(CACHES["default"]["LOCATION"]) / "content-state.mark")

# How often (seconds) each process compares the cached content state with the content version
# in the database, so that a cache that lost an edit (or came back with old data) is caught.
CONTENT_STATE_RECHECK = float(os.environ.get("DJANGO_CONTENT_STATE_RECHECK", "1"))

# The response cache, its validators (ETag, Last-Modified) and cached page counts rely on one
# content state (qwensite.freshness.state) that every process sees: Redis, or the cache on disk
# every process of one machine shares. Turn it off only for app servers on several machines
# that share no Redis (each machine would keep its own state).
CONTENT_STATE_SHARED = env_bool("DJANGO_CONTENT_STATE_SHARED", default=True)

# The kinds of content (qwensite.freshness.state.track) each public address shows, by path
# prefix, first match: an edit of one kind leaves the stored pages, validators and counts of
# the others as they were. An address not listed shows every kind (the home page, search,
# feeds, the sitemap, open data). A release page names its article and author; those fields
# renew the catalogue's state too (releases/apps.py), so "releases" is enough there.
CONTENT_KINDS_BY_PATH = [
    ("/api/v1/releases/", ("releases",)),
    ("/api/v1/sizes/", ("releases",)),
    ("/api/v1/sources/", ("releases",)),
    ("/api/v1/claims/", ("releases",)),
    ("/api/v1/articles/", ("articles",)),
    ("/api/v1/authors/", ("articles",)),
    ("/api/v1/tags/", ("articles",)),
    ("/releases/", ("releases",)),
    ("/releases.ics", ("releases",)),
    ("/feeds/releases/", ("releases",)),
    ("/articles/", ("articles", "releases")),  # an article lists and links the releases it tells
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# ISO dates (2026-03-08) wherever Django formats a date: the admin's inputs and lists.
FORMAT_MODULE_PATH = ["qwensite.formats"]
# Times are stored in UTC; the admin shows them in this zone, with its name.
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic gathers the static files (and the server reads them from).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", "") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0
# Whitenoise at its fastest in production: every file indexed once at startup from STATIC_ROOT
# (no finders, no checks of the disk per request), hashed names served as immutable (its
# default with the manifest), gzip copies written by collectstatic and chosen by Accept-Encoding.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG


def WHITENOISE_ADD_HEADERS_FUNCTION(headers, path, url):  # noqa: N802 - a setting, named as whitenoise reads it
    """The security headers of the middleware a static file skips (qwensite.ops.headers)."""
    from qwensite.ops.headers import static_file_headers

    static_file_headers(headers, path, url)


# Security: production defaults, relaxed only in debug mode.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Hardening: response headers, uploads, atomic requests, outages.
# Content-Security-Policy (django-csp 4): nothing inline, nothing from another origin. A page
# that needs an inline <script> or <style> gives it nonce="{{ request.csp_nonce }}"; the nonce
# is added to script-src and style-src only on responses that used it.
# DJANGO_CSP_REPORT_URI (optional) sends violation reports there.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
CONTENT_SECURITY_POLICY_REPORT_URI = os.environ.get("DJANGO_CSP_REPORT_URI", "")
if CONTENT_SECURITY_POLICY_REPORT_URI:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [CONTENT_SECURITY_POLICY_REPORT_URI]
# Headers Django has no setting for (qwensite.ops.headers.SecurityHeadersMiddleware).
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "encrypted-media": [],
    "fullscreen": ["self"],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "picture-in-picture": [],
    "publickey-credentials-get": [],
    "screen-wake-lock": [],
    "usb": [],
    "xr-spatial-tracking": [],
}
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Uploads: request bodies above DATA_UPLOAD_MAX_MEMORY_SIZE are refused (400); a file larger than
# FILE_UPLOAD_MAX_MEMORY_SIZE is spooled to disk; an admin import file is refused above
# IMPORT_MAX_FILE_SIZE (qwensite.editorial.imports.validate_import_size).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
IMPORT_MAX_FILE_SIZE = 5 * 1024 * 1024
# Every request's writes commit together or not at all (admin, API, any future view).
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Seconds a reader is asked to wait when the database is unreachable (503 Retry-After).
OUTAGE_RETRY_AFTER = 30


# Login throttling (django-axes): lock a username+IP pair after 5 failures.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("DJANGO_AXES_ENABLED", default=True)
# A locked-out person gets templates/accounts/lockout.html, an API client JSON; both 429.
AXES_LOCKOUT_CALLABLE = "qwensite.ops.logins.lockout_response"
# Behind N trusted proxies that append to X-Forwarded-For, the client is the Nth address from
# the right; with 0 (no proxy) it is REMOTE_ADDR and X-Forwarded-For is ignored (it is forgeable).
# There is no safe default: 0 behind a proxy makes every client the proxy (one lockout, one
# throttle bucket for all), 1 without one lets a client choose its address. So `check --deploy`
# refuses production settings that leave it unset (qwensite.ops.checks); unset, it counts as 0.
_proxy_count = os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "")
if _proxy_count and not (_proxy_count.isascii() and _proxy_count.isdigit()):
    raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXY_COUNT must be a whole number, not {_proxy_count!r}.")
TRUSTED_PROXY_COUNT_SET = bool(_proxy_count)
TRUSTED_PROXY_COUNT = int(_proxy_count or 0)
AXES_CLIENT_IP_CALLABLE = "qwensite.ops.logins.client_ip"

# API (/api/v1/): token or session auth (CSRF enforced for sessions), writes for users with
# the model permissions, strict parameters, JSON errors, and a throttle for anonymous clients
# counted in the configured cache. The throttle keys on the same client address as the login
# lockout: REMOTE_ADDR, or behind DJANGO_TRUSTED_PROXY_COUNT proxies the address they saw,
# never one a client made up.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["qwensite.rest.permissions.ModelPermissionsOrAnonReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["qwensite.rest.filters.ListFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "qwensite.rest.openapi.APIAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "qwensite.rest.pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_RENDERER_CLASSES": ["qwensite.rest.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "qwensite.rest.renderers.StrictContentNegotiation",
    "EXCEPTION_HANDLER": "qwensite.rest.errors.json_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["qwensite.rest.throttling.AnonymousBurstThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("DJANGO_API_ANON_RATE", "120/minute")},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "COERCE_DECIMAL_TO_STRING": False,
    "UNICODE_JSON": True,
    "STRICT_JSON": True,
    "URL_FORMAT_OVERRIDE": "format",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "qwensite API",
    "DESCRIPTION": (
        "The Qwen release catalogue and the articles that tell its history. Reads are open to "
        "everyone (published entries only, throttled per client); writes need a token "
        "(`Authorization: Token <key>`) or a session with CSRF, and the model permissions. "
        "Every malformed or unknown query parameter is a 400 naming it. Lists are paginated "
        "(`page`, `page_size` up to 100) and also come as CSV (`?format=csv` or `Accept: text/csv`)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "qwensite.editorial.publishing.Status",
        "ArchitectureEnum": "releases.models.Architecture",
        "DatePrecisionEnum": "releases.models.DatePrecision",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "qwensite.rest.openapi.document_errors",
    ],
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Editors' admin: importing releases needs the "add" permission, exporting the "view" one;
# imports run in one transaction (one bad row refuses the whole file).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Performance and operations: probes, the response-cache switch, benchmark instrumentation.
# /readyz is probed from inside the network over plain HTTP, never redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^readyz$"]
# Caching of rendered responses and fragments; off measures the cache-cold cost of a page.
RESPONSE_CACHE_ENABLED = env_bool("DJANGO_RESPONSE_CACHE", default=True)
# What the front of the response cache also reads in its one round trip, and lets decide
# whether a stored answer may be given: the API's anonymous throttle counts it there.
RESPONSE_CACHE_COMPANIONS = ["qwensite.rest.throttling.FrontCount"]
# A worker's objects kept for its life are set aside from the garbage collector after its first
# requests (qwensite.ops.memory); 0 leaves the collector as it is.
GC_FREEZE_AFTER_REQUESTS = int(os.environ.get("DJANGO_GC_FREEZE_AFTER", "200"))
# Benchmark only: report each request's database queries in an X-Query-Count header.
if env_bool("DJANGO_QUERY_COUNT_HEADER", default=False):
    MIDDLEWARE.insert(1, "qwensite.ops.querycount.QueryCountMiddleware")
