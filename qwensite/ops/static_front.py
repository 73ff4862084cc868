"""Static files answered in front of Django: WhiteNoise as WSGI middleware around the site.

WhiteNoiseMiddleware, inside Django, serves a file only once Django's handler has built the
request, sent its signals and run the middleware above it; a file then costs as much as a
stored page. StaticFilesFront wraps the WSGI application (qwensite.wsgi) and answers a file it
knows before any of that, from the same index WhiteNoiseMiddleware builds from the settings (the
files of STATIC_ROOT, read once at startup; hashed names immutable; the gzip copies
collectstatic wrote, chosen by Accept-Encoding), with the same headers: those WhiteNoise gives it
and, once per file, those of the middleware it skips (qwensite.ops.headers.static_file_headers).

It stands aside, and WhiteNoiseMiddleware in the chain serves the file as before, where the
chain must decide: a request over plain HTTP while HTTPS is enforced (SecurityMiddleware
redirects it), and debug mode, where WhiteNoise looks for files on disk at each request. Like
WhiteNoiseMiddleware it serves a file whatever the Host header says (the file is the same for
every host).
"""

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from whitenoise.base import WhiteNoise
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.string_utils import decode_path_info


class StaticFilesFront:
    def __init__(self, application):
        self.application = application
        index = WhiteNoiseMiddleware(get_response=None)  # the files and headers of the settings
        self.files = {} if index.autorefresh else index.files
        self.https_only = bool(settings.SECURE_SSL_REDIRECT or settings.SECURE_HSTS_SECONDS)

    def __call__(self, environ, start_response):
        static_file = self.files.get(decode_path_info(environ.get("PATH_INFO", "")))
        if static_file is None or (self.https_only and not WSGIRequest(environ).is_secure()):
            return self.application(environ, start_response)
        return WhiteNoise.serve(static_file, environ, start_response)
