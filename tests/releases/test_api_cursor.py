"""Pages of the API's release list by cursor: the same rows as by page number, sought by key."""

import base64
import datetime as dt
import json
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests.factories import ReleaseFactory, ReleaseSizeFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:release-list")


@pytest.fixture
def tied():
    """Releases that tie on release_date, on name and on both; some closed, some with sizes."""
    for n in range(23):
        release = ReleaseFactory(
            name=f"Qwen {n % 3}",
            release_date=dt.date(2024, 1 + n % 4, 1),
            access="api_only" if n % 5 == 0 else "open_weights",
        )
        if n % 2:
            ReleaseSizeFactory(release=release, parameters_b=Decimal(n % 7 + 1))


def query_of(url):
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def by_pages(api_client, params):
    rows, number = [], 1
    while True:
        body = api_client.get(LIST, {**params, "page": number}).json()
        rows += [row["slug"] for row in body["results"]]
        if body["next"] is None:
            return rows
        number += 1


def by_cursor(api_client, params, link="next"):
    """Every row, following ``link`` from the first page by cursor (the last page's, for previous)."""
    pages, query = [], {**params, "cursor": "start"}
    while True:
        response = api_client.get(LIST, query)
        assert response.status_code == 200, response.content
        body = response.json()
        pages.append([row["slug"] for row in body["results"]])
        if body[link] is None:
            return pages
        query = query_of(body[link])


@pytest.mark.parametrize(
    "params",
    [{}, {"open_weights": "true"}, {"ordering": "-max_size_b"}, {"ordering": "name,-release_date"}],
    ids=["newest-first", "filtered", "nullable-ordering", "by-name"],
)
def test_the_cursor_walk_is_the_page_number_walk(api_client, tied, params):
    expected = by_pages(api_client, {**params, "page_size": 4})

    pages = by_cursor(api_client, {**params, "page_size": 4})

    walked = [slug for page in pages for slug in page]
    assert walked == expected
    assert len(set(walked)) == len(walked)
    assert all(len(page) == 4 for page in pages[:-1])


def test_previous_links_walk_back_to_the_first_page(api_client, tied):
    forward = by_cursor(api_client, {"page_size": 5})
    last = api_client.get(LIST, {"page_size": 5, "cursor": "start"}).json()
    while last["next"]:
        last = api_client.get(LIST, query_of(last["next"])).json()

    pages, body = [], last
    while body["previous"]:
        body = api_client.get(LIST, query_of(body["previous"])).json()
        pages.append([row["slug"] for row in body["results"]])

    assert pages == forward[-2::-1]
    assert body["previous"] is None


def test_a_cursor_page_keeps_the_count_and_gives_cursor_links(api_client, tied):
    body = api_client.get(LIST, {"cursor": "start", "page_size": 10}).json()

    assert body["count"] == 23
    assert body["previous"] is None
    assert set(query_of(body["next"])) == {"cursor", "page_size"}
    assert list(body) == ["count", "next", "previous", "results"]


def test_a_cursor_page_needs_no_count_and_no_offset(api_client, tied, assert_max_request_queries):
    first = api_client.get(LIST, {"cursor": "start", "page_size": 4}).json()  # counted once

    with assert_max_request_queries(2) as captured:  # the page's rows, their sizes
        response = api_client.get(LIST, query_of(first["next"]))

    assert response.status_code == 200
    sql = [query["sql"].upper() for query in captured.captured_queries]
    assert not [query for query in sql if "COUNT(" in query or "OFFSET" in query]


def forged(cursor, change):
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    payload = json.loads(raw[12:])
    change(payload)
    body = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw[:12] + body).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "nonsense",
        "!!!",
        "e30",  # base64 of {}
        "x" * 3000,
    ],
)
def test_a_malformed_cursor_is_400(api_client, tied, cursor):
    response = api_client.get(LIST, {"cursor": cursor})

    assert response.status_code == 400
    assert response.json() == {
        "cursor": ["This cursor is not one this list gave: follow the next and previous links, or give cursor=start."]
    }


@pytest.mark.parametrize(
    "change",
    [
        lambda payload: payload["k"].__setitem__(0, "2020-01-01"),
        lambda payload: payload["k"].__setitem__(0, "not a date"),
        lambda payload: payload["k"].pop(),
        lambda payload: payload.__setitem__("b", 7),
    ],
    ids=["moved", "not-a-date", "short", "direction"],
)
def test_an_edited_cursor_is_400(api_client, tied, change):
    cursor = query_of(api_client.get(LIST, {"cursor": "start"}).json()["next"])["cursor"]

    response = api_client.get(LIST, {"cursor": forged(cursor, change)})

    assert response.status_code == 400
    assert "cursor" in response.json()


def test_a_cursor_of_another_ordering_is_400(api_client, tied):
    cursor = query_of(api_client.get(LIST, {"cursor": "start", "ordering": "name"}).json()["next"])["cursor"]

    response = api_client.get(LIST, {"cursor": cursor})

    assert response.status_code == 400
    assert response.json() == {
        "cursor": ["This cursor belongs to another ordering of the list: start again with cursor=start."]
    }


def test_cursor_and_page_together_are_400(api_client, tied):
    response = api_client.get(LIST, {"cursor": "start", "page": 2})

    assert response.status_code == 400
    assert response.json() == {"cursor": ["Give cursor or page, not both."]}


def test_an_empty_cursor_is_400(api_client, tied):
    response = api_client.get(LIST, {"cursor": ""})

    assert response.status_code == 400
    assert "cursor" in response.json()


def test_a_cursor_follows_an_edit_before_it(api_client, tied):
    first = api_client.get(LIST, {"cursor": "start", "page_size": 4}).json()
    second = api_client.get(LIST, query_of(first["next"])).json()

    ReleaseFactory(name="Qwen 0", release_date=dt.date(2025, 1, 1))  # a new first row

    again = api_client.get(LIST, query_of(first["next"])).json()
    assert again["results"] == second["results"]  # the page after a row is still the rows after it
    assert again["count"] == 24


def test_the_schema_documents_the_cursor(api_client):
    schema = api_client.get(reverse("api:schema"), {"format": "json"}).json()

    parameters = {
        parameter["name"]: parameter for parameter in schema["paths"]["/api/v1/releases/"]["get"]["parameters"]
    }
    assert parameters["cursor"]["schema"]["type"] == "string"
    assert "start" in parameters["cursor"]["description"]


def test_other_lists_page_by_number_only(api_client):
    response = api_client.get(reverse("api:source-list"), {"cursor": "start"})

    assert response.status_code == 400
    assert "Unknown query parameter" in response.json()["cursor"][0]
