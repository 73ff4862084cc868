import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qwensite.settings")

application = get_wsgi_application()

# Static files are answered in front of Django's request handling (after setup, which the
# front's index of the files needs).
from qwensite.ops.static_front import StaticFilesFront  # noqa: E402

application = StaticFilesFront(application)
