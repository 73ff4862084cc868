"""The layout's parts drawn from the code alone (head links, header, footer) are drawn once by
each process (base.html's ``{% drawn_once %}``), with what varies left out of them."""

import pytest
from django.templatetags.static import StaticNode

from qwensite.freshness.local import forget_local

pytestmark = pytest.mark.django_db


def get(client, path):
    response = client.get(path, secure=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("path", ["/releases/", "/releases/qwen-3/", "/articles/", "/"])
def test_a_page_with_its_layout_kept_is_the_page_drawn_whole(client, cold, seeded, path):
    drawn = get(client, path)
    kept = get(client, path)
    forget_local()

    assert kept == drawn == get(client, path)


def test_the_kept_layout_is_not_drawn_again(client, cold, seeded, monkeypatch):
    get(client, "/releases/")
    drawn = []
    render = StaticNode.render
    monkeypatch.setattr(StaticNode, "render", lambda node, context: drawn.append(node) or render(node, context))

    page = get(client, "/releases/")

    assert drawn == []  # the icon and the style sheet are in the kept head
    assert 'rel="stylesheet" href="/static/css/site.' in page


@pytest.mark.parametrize(
    ("path", "current"),
    [("/articles/", "Articles"), ("/releases/", "Releases"), ("/releases/compare/", "Compare"), ("/", None)],
)
def test_each_section_marks_itself_in_the_kept_header(client, cold, seeded, path, current):
    for other in ("/articles/", "/releases/", "/releases/compare/", "/"):
        get(client, other)  # every variant of the header kept first

    page = get(client, path)

    marked = [label for label in ("Articles", "Releases", "Compare") if f'aria-current="page">{label}</a>' in page]
    assert marked == ([current] if current else [])


def test_the_search_box_shows_each_query_not_a_kept_one(client, cold, seeded):
    first = get(client, "/search/?q=reasoning")
    second = get(client, "/search/?q=coder")

    assert 'name="q" placeholder="Search" maxlength="200" value="reasoning">' in first
    assert 'name="q" placeholder="Search" maxlength="200" value="coder">' in second
