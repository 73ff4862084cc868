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


@pytest.fixture
def headers_worked_out(monkeypatch):
    """The queries the catalogue's column headers were worked out for."""
    import releases.views

    worked_out = []
    sort_headers = releases.views.sort_headers

    def counted(path, query):
        worked_out.append(query.urlencode())
        return sort_headers(path, query)

    monkeypatch.setattr(releases.views, "sort_headers", counted)
    return worked_out


def test_the_catalogue_headers_are_drawn_once_per_query_its_page_aside(client, cold, headers_worked_out):
    from tests.factories import ReleaseFactory

    ReleaseFactory.create_batch(30)
    first = get(client, "/releases/?ordering=name")
    second = get(client, "/releases/?ordering=name&page=2")
    get(client, "/releases/?ordering=name")
    other = get(client, "/releases/?ordering=-name")

    assert headers_worked_out == ["ordering=name", "ordering=-name"]
    head = first[first.index("<thead>") : first.index("</thead>")]
    assert head == second[second.index("<thead>") : second.index("</thead>")]  # each links back to page 1
    assert head != other[other.index("<thead>") : other.index("</thead>")]
    assert 'aria-sort="descending"' in other[other.index("<thead>") : other.index("</thead>")]


def test_the_catalogue_page_links_follow_the_number_of_pages(client, cold):
    from tests.factories import ReleaseFactory

    ReleaseFactory.create_batch(26)
    assert "Page 1 of 2" in get(client, "/releases/")

    ReleaseFactory.create_batch(25)

    page = get(client, "/releases/")
    assert "Page 1 of 3" in page
    assert 'href="?page=2#results" rel="next"' in page
