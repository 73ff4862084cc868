"""The reader's pages run outside a transaction; every other request still inside one."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.views import View

from qwensite.ops.transactions import WritesInTransaction, only_reads, reading, safe_reads
from tests.factories import ReleaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def transactions_begun(queries):
    """Statements that begin a transaction or, inside the test's own, a savepoint."""
    return [q["sql"] for q in queries if q["sql"].split(" ", 1)[0].upper() in ("BEGIN", "SAVEPOINT")]


def test_a_reader_page_begins_no_transaction(client):
    release = ReleaseFactory()

    with CaptureQueriesContext(connection) as queries:
        response = client.get(release.get_absolute_url())

    assert response.status_code == 200
    assert len(queries) > 0
    assert transactions_begun(queries) == []


@pytest.mark.parametrize(
    "path",
    ["/search/?q=qwen", "/feeds/", "/feeds/articles/", "/feeds/releases/", "/robots.txt", "/sitemap.xml"],
)
def test_the_readers_function_views_feeds_and_sitemaps_begin_no_transaction(client, path):
    ReleaseFactory(name="Qwen Searched")

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)

    assert response.status_code == 200
    assert transactions_begun(queries) == []  # in a transaction, each began a savepoint in the test's


@pytest.mark.parametrize("path", ["/search/", "/feeds/articles/", "/robots.txt", "/sitemap.xml"])
def test_a_view_marked_as_safe_reads_refuses_a_write(client, path):
    assert client.post(path).status_code == 405


def test_a_write_still_runs_in_the_request_s_transaction(client):
    editor = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(editor)

    with CaptureQueriesContext(connection) as queries:
        response = client.post("/admin/logout/")

    assert response.status_code == 200
    assert transactions_begun(queries) != []


@pytest.mark.parametrize("module", ["releases.urls", "articles.urls"])
def test_every_reader_route_is_marked_as_only_reading(module):
    from importlib import import_module

    patterns = import_module(module).urlpatterns

    assert patterns
    assert all("default" in pattern.callback._non_atomic_requests for pattern in patterns)


def test_a_view_that_answers_a_write_cannot_be_marked_as_only_reading():
    class Form(View):
        def get(self, request):
            return HttpResponse()

        def post(self, request):
            return HttpResponse()

    with pytest.raises(ImproperlyConfigured, match="answers POST"):
        only_reads(Form.as_view())


def test_a_function_view_cannot_be_marked_its_methods_are_not_known():
    with pytest.raises(ImproperlyConfigured, match="not a class-based view"):
        reading([type("Pattern", (), {"callback": lambda request: HttpResponse()})()])


def test_a_function_view_marked_as_safe_reads_answers_reads_alone_without_a_transaction(rf):
    view = safe_reads(lambda request: HttpResponse("read"))

    assert view._non_atomic_requests == {"default"}
    assert view(rf.get("/")).status_code == 200
    assert view(rf.head("/")).status_code == 200
    assert view(rf.post("/")).status_code == 405


def test_a_view_that_only_reads_is_marked_without_a_transaction():
    class Page(View):
        def get(self, request):
            return HttpResponse()

    view = only_reads(Page.as_view())

    assert view._non_atomic_requests == {"default"}


def test_every_api_route_leaves_the_request_s_transaction_to_its_view():
    from qwensite.api import router

    routes = [pattern for pattern in router.urls if pattern.callback.cls is not router.APIRootView]

    assert {pattern.callback.cls for pattern in routes} == {viewset for _, viewset, _ in router.registry}
    assert all(issubclass(pattern.callback.cls, WritesInTransaction) for pattern in routes)
    assert all("default" in pattern.callback._non_atomic_requests for pattern in routes)
