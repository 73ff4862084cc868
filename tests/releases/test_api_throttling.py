import time

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

    window = int(time.time() // 60)  # the rate's windows are minutes; the count is in one of the last two
    counts = cache.get_many([f"throttle_anon_203.0.113.9:{window + step}" for step in (-1, 0)])
    assert sum(counts.values()) == 1


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, set by the test: seconds since the epoch."""
    from qwensite.rest.throttling import AnonymousBurstThrottle

    now = [6000.0]  # the start of a minute (a window of a rate per minute)
    monkeypatch.setattr(AnonymousBurstThrottle, "timer", lambda self: now[0])
    return now


def rate(value):
    rest = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": value}}
    return override_settings(REST_FRAMEWORK=rest)


def test_the_previous_minute_counts_by_the_share_of_it_the_last_minute_still_covers(api_client, clock):
    with rate("4/minute"):
        assert [api_client.get(LIST).status_code for _ in range(5)] == [200] * 4 + [429]
        clock[0] += 60  # the next minute begins: the last minute is still all of the previous one
        refused = api_client.get(LIST)
        clock[0] += 15  # a quarter in: three quarters of the previous 4 count, 3, below the rate
        allowed = api_client.get(LIST)
        refused_again = api_client.get(LIST)  # 3 + 1 is the rate

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 1  # the previous 4 weigh less than 4 from the next instant on
    assert allowed.status_code == 200
    assert refused_again.status_code == 429


def test_retry_after_is_the_wait_until_the_client_is_below_its_rate(api_client, clock):
    with rate("2/minute"):
        clock[0] += 10
        api_client.get(LIST)
        api_client.get(LIST)
        refused = api_client.get(LIST)

    # 50 s to the next minute, where this one's 2 weigh less than the rate from its first instant.
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 50


def test_a_process_adds_its_requests_to_the_shared_count_a_batch_at_a_time(api_client, clock):
    from django.core.cache import cache

    from qwensite.rest.throttling import batch_of

    key = f"throttle_anon_127.0.0.1:{int(clock[0] // 60)}"
    assert batch_of(6400) == 64
    with rate("6400/minute"):
        for _ in range(63):
            api_client.get(LIST)
        unwritten = cache.get(key)
        api_client.get(LIST)
        written = cache.get(key)

    assert unwritten is None  # counted by this process, not yet written
    assert written == 64


def test_low_rates_are_counted_in_the_shared_cache_at_each_request():
    from qwensite.rest.throttling import batch_of

    assert [batch_of(n) for n in (1, 2, 40, 63, 64, 120, 2048, 10**8)] == [1, 1, 1, 1, 2, 3, 64, 64]


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


def test_processes_admit_at_most_a_batch_each_over_the_rate_and_then_refuse(clock, monkeypatch, rf):
    """Each process learns the shared count when it writes its batch: between writes it may admit
    up to a batch on a count the others have raised since, and no more."""
    from django.contrib.auth.models import AnonymousUser

    from qwensite.rest import throttling

    processes = [{}, {}]  # each process's own unwritten requests and known counts
    request = rf.get(LIST, REMOTE_ADDR="198.51.100.4")
    request.user = AnonymousUser()
    answers = []
    with rate("640/minute"):
        batch = throttling.batch_of(640)
        for turn in range(1000):
            monkeypatch.setattr(throttling, "_pending", processes[turn % 2])
            answers.append(throttling.AnonymousBurstThrottle().allow_request(request, None))

    assert batch == 20
    assert 640 <= sum(answers) <= 640 + 2 * batch
    assert not any(answers[-100:])  # once both have learnt the count, every request is refused


@pytest.mark.parametrize("proxies", [None, 0, 1, 2])
@pytest.mark.parametrize(
    "forwarded", [None, "198.51.100.7", "198.51.100.7, 203.0.113.1", " 198.51.100.7 ,203.0.113.1, 192.0.2.4"]
)
def test_the_client_is_the_address_drf_names_without_reading_request_headers(rf, settings, proxies, forwarded):
    from rest_framework.throttling import AnonRateThrottle

    from qwensite.rest.throttling import AnonymousBurstThrottle

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
    extra = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    request = rf.get(LIST, REMOTE_ADDR="203.0.113.9", **extra)

    ident = AnonymousBurstThrottle().get_ident(request)

    assert "headers" not in request.__dict__  # request.headers (a copy of every header) never built
    assert ident == AnonRateThrottle().get_ident(rf.get(LIST, REMOTE_ADDR="203.0.113.9", **extra))
