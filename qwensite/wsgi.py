import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qwensite.settings")

application = get_wsgi_application()

# Static files, and the answers a process last sent from stored copies, are answered in front of
# Django's request handling (after setup, which both fronts read).
from qwensite.freshness.front import StoredAnswersFront  # noqa: E402
from qwensite.ops.static_front import StaticFilesFront  # noqa: E402

application = StaticFilesFront(StoredAnswersFront(application))
