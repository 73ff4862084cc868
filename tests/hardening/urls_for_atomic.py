"""The site's URLs plus two views that fail halfway through a write, for the atomicity tests."""

from django.urls import path
from rest_framework.exceptions import ValidationError
from rest_framework.views import APIView

from articles.models import Author, Tag
from qwensite.urls import urlpatterns as site_urlpatterns


def failing_page_write(request):
    Author.objects.create(name="Half", slug="half")
    Tag.objects.create(name="half", slug="half")
    raise RuntimeError("the write fails after two rows")


class FailingApiWrite(APIView):
    permission_classes = ()

    def post(self, request):
        Author.objects.create(name="Half", slug="half")
        raise ValidationError({"detail": "the second half of the write is invalid"})


urlpatterns = [
    path("test/failing-write/", failing_page_write),
    path("api/v1/test/failing-write/", FailingApiWrite.as_view()),
    *site_urlpatterns,
]
