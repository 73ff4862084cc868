"""The site's URLs plus test-only views: writes that fail halfway (atomicity) and an API
write endpoint under the project's default authentication and permissions (the API's own
endpoints live on their own branch; these prove the defaults every endpoint inherits)."""

from django.db import connection
from django.urls import path
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from articles.models import Author, Tag
from qwensite.ops.transactions import WritesInTransaction
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


class SiteApiWrite(WritesInTransaction, APIView):
    """An API view as the site's are made (qwensite.ops.transactions): reads outside a
    transaction, writes in one; each answer says whether it ran in one."""

    permission_classes = ()

    def get(self, request):
        return Response({"in_transaction": connection.in_atomic_block})

    def post(self, request):
        Author.objects.create(name="Half", slug="half")
        if request.data.get("fail"):
            raise ValidationError({"detail": "the second half of the write is invalid"})
        return Response({"in_transaction": connection.in_atomic_block}, status=201)


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["name", "slug"]


class TagCreate(generics.CreateAPIView):
    queryset = Tag.objects.all()
    serializer_class = TagSerializer


urlpatterns = [
    path("api/v1/test/tags/", TagCreate.as_view()),
    path("test/failing-write/", failing_page_write),
    path("api/v1/test/failing-write/", FailingApiWrite.as_view()),
    path("api/v1/test/site-write/", SiteApiWrite.as_view()),
    *site_urlpatterns,
]
