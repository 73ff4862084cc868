import pytest
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def seeded(db):
    """The document's content, loaded from the shipped fixtures."""
    call_command("loaddata", "fixtures/qwen_history.json", verbosity=0)


EDITOR_PERMISSIONS = [
    ("releases", "modelrelease"),
    ("releases", "releasesize"),
    ("articles", "article"),
]


@pytest.fixture
def editor(db):
    """A user with every model permission on releases, sizes and articles."""
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory()
    for app_label, model in EDITOR_PERMISSIONS:
        user.user_permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, content_type__model=model)
        )
    return user


@pytest.fixture
def editor_client(editor):
    """An API client authenticated with the editor's token."""
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    return client
