"""A page's kept rows are encoded as JSON once per process (qwensite.rest.renderers.JSONRenderer)."""

import pytest
from rest_framework import renderers

from qwensite.freshness.fragments import KeptList
from qwensite.rest.renderers import JSONRenderer

ROWS = [
    {"slug": "qwen-2-5", "name": "Qwen 2.5", "summary": "通义千问 \u2028 line", "sizes": [{"parameters_b": 7.0}]},
    {"slug": "qwen-3", "name": "Qwen 3", "summary": None, "ratio": 0.5, "open": True},
]


def envelope(results, next_link="https://example.org/api/v1/releases/?page=3"):
    return {"count": 41, "next": next_link, "previous": None, "results": results}


@pytest.fixture(autouse=True)
def nothing_encoded():
    JSONRenderer._encoded.clear()
    yield
    JSONRenderer._encoded.clear()


@pytest.mark.parametrize("media_type", [None, "application/json", "application/json; indent=2"])
def test_kept_rows_are_written_as_drf_writes_them(media_type):
    kept = JSONRenderer().render(envelope(KeptList(ROWS, "page-a")), media_type)

    assert kept == renderers.JSONRenderer().render(envelope(ROWS), media_type)


def test_kept_rows_are_encoded_once_by_their_name():
    first = JSONRenderer().render(envelope(KeptList(ROWS, "page-b")))
    again = JSONRenderer().render(envelope(KeptList(ROWS[:1], "page-b"), next_link=None))
    other = JSONRenderer().render(envelope(KeptList(ROWS[:1], "page-c"), next_link=None))

    assert again == first.replace(b'"https://example.org/api/v1/releases/?page=3"', b"null")  # the rows of page-b
    assert other == renderers.JSONRenderer().render(envelope(ROWS[:1], next_link=None))


def test_a_link_that_looks_like_the_stand_in_is_left_alone():
    tricky = "https://example.org/?q=\x00kept rows\x00"

    kept = JSONRenderer().render(envelope(KeptList(ROWS, "page-d"), next_link=tricky))

    assert kept == renderers.JSONRenderer().render(envelope(ROWS, next_link=tricky))


def test_other_data_is_rendered_as_drf_renders_it():
    for data in (envelope(ROWS), ROWS, {"detail": "Not found."}, None):
        assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)
