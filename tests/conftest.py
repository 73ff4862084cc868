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
