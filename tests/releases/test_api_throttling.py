import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from tests.factories import ReleaseFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:release-list")


@pytest.fixture
def low_rate():
    """The real throttle classes, at two requests a minute."""
    rest = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}
    with override_settings(REST_FRAMEWORK=rest):
        yield


@pytest.mark.usefixtures("low_rate")
def test_anonymous_client_over_the_rate_gets_429_with_retry_after(api_client):
    ReleaseFactory()
    api_client.get(LIST)
    api_client.get(LIST)

    response = api_client.get(LIST)

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in response.json()["detail"].lower()


@pytest.mark.usefixtures("low_rate")
def test_requests_within_the_rate_are_served(api_client):
    assert [api_client.get(LIST).status_code for _ in range(2)] == [200, 200]


@pytest.mark.usefixtures("low_rate")
def test_rotating_x_forwarded_for_does_not_reset_the_count(api_client):
    statuses = [
        api_client.get(LIST, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}", REMOTE_ADDR="203.0.113.9").status_code
        for n in range(3)
    ]

    assert statuses == [200, 200, 429]


@pytest.mark.usefixtures("low_rate")
def test_clients_at_different_addresses_are_counted_apart(api_client):
    for _ in range(2):
        api_client.get(LIST, REMOTE_ADDR="203.0.113.9")

    assert api_client.get(LIST, REMOTE_ADDR="203.0.113.10").status_code == 200


@pytest.mark.usefixtures("low_rate")
def test_rejected_requests_count_too(api_client):
    api_client.get(LIST, {"year": "abc"})
    api_client.get(LIST, {"yaer": "2024"})

    assert api_client.get(LIST).status_code == 429


@pytest.mark.usefixtures("low_rate")
def test_editors_are_not_held_by_the_anonymous_rate(editor_api_client):
    assert [editor_api_client.get(LIST).status_code for _ in range(3)] == [200, 200, 200]


@pytest.mark.usefixtures("low_rate")
def test_the_count_lives_in_the_configured_cache(api_client):
    from django.core.cache import cache

    api_client.get(LIST, REMOTE_ADDR="203.0.113.9")

    assert len(cache.get("throttle_anon_203.0.113.9")) == 1


def test_the_api_building_blocks_import_before_rest_framework_views():
    import subprocess
    import sys

    code = (
        "import django; django.setup(); "
        "import qwensite.rest.errors, qwensite.rest.pagination, qwensite.rest.renderers, qwensite.rest.throttling; "
        "from rest_framework.views import APIView; print(APIView.throttle_classes[0].__name__)"
    )
    env = {"DJANGO_SETTINGS_MODULE": "qwensite.test_settings", "PATH": ""}

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)

    assert result.stdout.strip() == "AnonymousBurstThrottle", result.stderr
