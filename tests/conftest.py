import pytest
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _fresh_cache():
    from qwensite.freshness.local import forget_local
    from qwensite.freshness.middleware import forget_kept
    from qwensite.freshness.state import forget_state
    from qwensite.rest.throttling import forget_counts

    def forget():  # the cache, and what this process keeps of it
        cache.clear()
        forget_kept()
        forget_state()
        forget_counts()
        forget_local()

    forget()
    yield
    forget()


@pytest.fixture
def record_state_reads(monkeypatch):
    """record_state_reads(backend): the list of the state's keys each get_many of ``backend`` asks
    for, one list per call."""
    from qwensite.freshness.state import STATE_KEY

    def record(backend):
        asked, original = [], backend.get_many

        def get_many(keys, **kwargs):
            asked.append([key for key in keys if key.startswith(STATE_KEY)])
            return original(keys, **kwargs)

        monkeypatch.setattr(backend, "get_many", get_many)
        return asked

    return record


@pytest.fixture
def calls_of(monkeypatch):
    """``calls_of(owner, name)``: the calls of ``owner.name`` from then on, each a tuple of its
    positional arguments, every call still made as before."""

    def watch(owner, name):
        calls = []
        real = getattr(owner, name)

        def counted(*args, **kwargs):
            calls.append(args)
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)
        return calls

    return watch


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def seeded(db):
    """The document's content, loaded from the shipped fixtures."""
    call_command("loaddata", "fixtures/qwen_history.json", verbosity=0)


# Each request runs in one transaction (ATOMIC_REQUESTS). Inside a test's own transaction that
# transaction is a SAVEPOINT and its RELEASE, which the query counter sees; in production it is
# BEGIN/COMMIT, which it does not. Views are held to their real budget plus these two.
REQUEST_SAVEPOINT_QUERIES = 2


@pytest.fixture
def assert_max_request_queries(django_assert_max_num_queries):
    """django_assert_max_num_queries for one request through a view: its real budget ``n``."""

    def check(n):
        return django_assert_max_num_queries(n + REQUEST_SAVEPOINT_QUERIES)

    return check


@pytest.fixture
def nothing_prepared():
    """No SQL kept by qwensite.freshness.prepared, before the test and after it."""
    from qwensite.freshness import prepared

    prepared.forget()
    yield
    prepared.forget()


@pytest.fixture
def cold(settings):
    """Every request renders its page (no stored copy): only kept fragments can be reused."""
    settings.RESPONSE_CACHE_ENABLED = False


@pytest.fixture
def editors_group(db):
    """The Editors group, as migrate (and every flush after it) leaves it."""
    from django.contrib.auth.models import Group

    from qwensite.editorial.groups import EDITORS

    return Group.objects.get(name=EDITORS)


@pytest.fixture
def editor(editors_group):
    """A staff account in the Editors group."""
    from tests.factories import UserFactory

    user = UserFactory(is_staff=True)
    user.groups.add(editors_group)
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def editor_api_client(editor):
    """An API client authenticated with the editor's token."""
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    return client
