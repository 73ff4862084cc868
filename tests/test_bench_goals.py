"""The benchmark's goals of the site's requests leave the plain-DRF reference out (benchmarks.bench)."""

from benchmarks.bench import GOALS_TEXT, evaluate
from benchmarks.endpoints import REFERENCE


def row(endpoint, p50, p99):
    return {
        "endpoint": endpoint,
        "cache": "off",
        "setup": "redis",
        "size": "1k",
        "releases": 1000,
        "p50_ms": p50,
        "p99_ms": p99,
        "queries": 2,
    }


def tail(results):
    (found,) = [goal for goal in evaluate(results, [1000]) if goal["goal"] == GOALS_TEXT["tail"]]
    return found


def test_the_tail_goal_is_of_the_sites_endpoints_not_of_the_reference():
    found = tail([row("api list", 10, 20), row(REFERENCE, 100, 510)])

    assert found["met"] is True
    assert "api list" in found["detail"]


def test_a_site_endpoint_with_a_long_tail_misses_it():
    found = tail([row("api list", 10, 50), row(REFERENCE, 100, 110)])

    assert found["met"] is False
    assert "5.0x" in found["detail"]
