"""Malformed filter values are 400s naming the parameter, never 500s: on the pages and in the API."""

import pytest

pytestmark = pytest.mark.django_db

HOSTILE = [
    ("/api/v1/releases/", "year", "2024,"),
    ("/api/v1/releases/", "year", ","),
    ("/api/v1/articles/", "year", "2026,"),
    ("/api/v1/releases/", "kind", "%"),
    ("/api/v1/releases/", "architecture", "%s%d"),
    ("/api/v1/sizes/", "architecture", "%"),
    ("/api/v1/sizes/", "release", "qwen-2,"),
    ("/api/v1/releases/", "ordering", "-name,"),
    ("/api/v1/releases/", "size", "72,"),
]


@pytest.mark.parametrize(("path", "name", "value"), HOSTILE)
def test_a_hostile_value_is_a_400_naming_the_parameter_in_json(client, path, name, value):
    response = client.get(path, {name: value})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert name in response.json()


@pytest.mark.parametrize(("name", "value"), [("year", "2024,"), ("kind", "%"), ("ordering", "-name,")])
def test_the_catalogue_page_shows_a_form_error_for_the_same_values(client, name, value):
    response = client.get("/releases/", {name: value})

    assert response.status_code == 400
    assert "These filters could not be applied" in response.text


def test_ordering_takes_at_most_twenty_terms(client):
    response = client.get("/api/v1/releases/", {"ordering": ",".join(["name"] * 21)})

    assert response.status_code == 400
    assert "at most 20" in response.json()["ordering"][0]
