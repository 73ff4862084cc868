"""The site's URLs plus a page that carries the visitor's CSRF token, for tests/test_caching.py."""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path

from qwensite.urls import urlpatterns as site_urlpatterns


def page_with_csrf_token(request):
    return HttpResponse(f"<form><input name=csrfmiddlewaretoken value={get_token(request)}></form>")


urlpatterns = [path("test/csrf-form/", page_with_csrf_token), *site_urlpatterns]
