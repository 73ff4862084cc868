"""A release's family tree: on its page and on a page of its own, each member a link."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from qwensite.editorial.publishing import Status
from releases.lineage import family_of
from tests.factories import ReleaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def shape(nodes):
    return [(node.release.name, shape(node.children)) for node in nodes]


def line(*names, **kwargs):
    releases, previous = [], None
    for n, name in enumerate(names):
        previous = ReleaseFactory(
            name=name, predecessor=previous, release_date=dt.date(2023 + n // 12, 1 + n % 12, 1), **kwargs
        )
        releases.append(previous)
    return releases


def test_the_family_is_the_tree_under_the_first_ancestor_in_date_order():
    first, second, third = line("A", "B", "C")
    ReleaseFactory(name="E", predecessor=first, release_date=dt.date(2024, 1, 1))
    ReleaseFactory(name="D", predecessor=first, release_date=dt.date(2023, 1, 15))
    ReleaseFactory(name="Unrelated")

    family = family_of(third, AnonymousUser())

    assert shape(family.roots) == [("A", [("D", []), ("B", [("C", [])]), ("E", [])])]
    assert family.complete
    assert family.size == 5
    assert [node.current for node in family.roots[0].children[1].children] == [True]


def test_the_family_costs_one_query_at_any_depth(django_assert_num_queries):
    releases = line(*[f"R{n}" for n in range(30)])
    reader = AnonymousUser()

    with django_assert_num_queries(1):
        family = family_of(releases[15], reader)

    assert family.size == 30


def test_a_hidden_release_is_left_out_and_its_successors_hang_from_its_predecessor():
    first, hidden, third = line("A", "B", "C")
    hidden.status, hidden.published_at = Status.DRAFT, None
    hidden.save()

    family = family_of(third, AnonymousUser())

    assert shape(family.roots) == [("A", [("C", [])])]


def test_an_editor_sees_the_draft_in_the_tree():
    first, draft, third = line("A", "B", "C")
    draft.status, draft.published_at = Status.DRAFT, None
    draft.save()
    editor = UserFactory(is_staff=True, is_superuser=True)

    assert shape(family_of(third, editor).roots) == [("A", [("B", [("C", [])])])]


def test_a_family_beyond_the_limit_says_it_is_incomplete():
    releases = line("A", "B", "C", "D")

    family = family_of(releases[0], AnonymousUser(), limit=2)

    assert not family.complete
    assert family.size == 2


def test_the_successors_are_the_nearest_visible_ones_in_the_tree():
    first, hidden, third = line("A", "B", "C")
    hidden.status, hidden.published_at = Status.DRAFT, None
    hidden.save()

    assert [release.name for release in family_of(first, AnonymousUser()).successors] == ["C"]


def test_a_release_beyond_the_limit_still_has_its_direct_visible_successors():
    releases = line("A", "B", "C", "D", "E")
    ReleaseFactory(name="Draft", predecessor=releases[3], status=Status.DRAFT, published_at=None)

    family = family_of(releases[3], AnonymousUser(), limit=2)

    assert not family.complete
    assert release_names(family.roots) == ["A", "B"]
    assert [release.name for release in family.successors] == ["E"]


def test_a_cycle_of_predecessors_ends():
    first, second = line("A", "B")
    first.predecessor = second
    first.save()

    family = family_of(first, AnonymousUser())

    assert sorted(release_names(family.roots)) == ["A", "B"]


def release_names(nodes):
    return [name for node in nodes for name in [node.release.name, *release_names(node.children)]]


def test_the_release_page_draws_the_family_tree_each_member_a_link(client, seeded):
    text = client.get("/releases/qwen-3/").text

    tree = text[text.index('<ol class="family-tree"') : text.index('<h2 id="more">')]
    links = re.findall(
        r'<a href="(/releases/[^"]+/)" class="family-node[^"]*"( aria-current="page")?>([^<]+)</a>', tree
    )
    assert [name for _url, _current, name in links][:5] == [
        "Tongyi Qianwen",
        "Qwen 1.0",
        "Qwen 1.5",
        "Qwen 2",
        "Qwen 2.5",
    ]
    assert ("/releases/qwen-3/", ' aria-current="page"', "Qwen 3") in links
    assert ("/releases/qwen2-5-coder/", "", "Qwen2.5-Coder") in links
    assert "QwQ-32B" not in tree  # another line
    assert 'href="/releases/qwen-3/family/"' in tree


def test_a_release_without_relatives_draws_no_tree(client):
    release = ReleaseFactory()

    assert 'class="family-tree"' not in client.get(release.get_absolute_url()).text


def test_the_family_page_names_the_first_ancestor_canonical(client, seeded):
    response = client.get(reverse("releases:family", kwargs={"slug": "qwq-32b"}))

    assert response.status_code == 200
    head = response.text[: response.text.index("</head>")]
    assert re.search(r'<link rel="canonical" href="[^"]*/releases/qwq-32b-preview/family/">', head)
    tree = response.text[response.text.index('<ol class="family-tree"') :]
    assert '<a href="/releases/qwq-32b/" class="family-node mark-open" aria-current="page">QwQ-32B</a>' in tree


def test_the_family_page_of_an_unknown_release_is_a_404(client):
    assert client.get(reverse("releases:family", kwargs={"slug": "no-such-release"})).status_code == 404


def test_the_sitemap_lists_a_family_page_per_first_release_of_a_line(client, seeded):
    text = client.get("/sitemap-families.xml").text

    assert re.findall(r"<loc>[^<]*?(/releases/[^<]+)</loc>", text) == [
        "/releases/tongyi-qianwen/family/",
        "/releases/qwq-32b-preview/family/",
    ]


def test_the_summary_is_printed_once_where_it_is_the_articles_passage(client, seeded):
    text = client.get("/releases/qwen-3/").text
    body = text[text.index("<main") :]

    assert body.count("A new generation bringing native hybrid reasoning") == 1
    assert "The summary above is the article’s own words" in body


def test_active_parameters_not_stated_read_not_stated(client, seeded):
    text = client.get("/releases/qwen-3/").text
    sizes = text[text.index('<table class="sizes stack">') : text.index("</table>", text.index('<table class="sizes'))]

    assert "(dense: all)" not in sizes
    assert '<td data-label="Active parameters">not stated</td>' in sizes
    assert '<td data-label="Active parameters">22B' in sizes


def test_the_release_facts_give_a_stated_range_as_a_range(client, seeded):
    text = client.get("/releases/qwen-1-5/").text

    assert '<tr><th scope="row">Sizes</th><td>0.5B to 72B</td></tr>' in text


def tree_drawings(response):
    return [template.name for template in response.templates].count("releases/_family_tree.html")


def test_the_tree_is_drawn_once_per_state_of_the_catalogue_and_redrawn_after_an_edit(client, settings):
    settings.RESPONSE_CACHE_ENABLED = False  # every request renders the page
    first, second = line("Qwen A", "Qwen B", "Qwen C", status=Status.PUBLISHED)[:2]

    drawn = client.get(second.get_absolute_url())
    again = client.get(second.get_absolute_url())
    first.name = "Qwen A renamed"
    first.save()
    edited = client.get(second.get_absolute_url())

    assert tree_drawings(drawn) > 0
    assert tree_drawings(again) == 0  # the tree of this state, kept
    assert again.text == drawn.text
    assert tree_drawings(edited) > 0
    assert "Qwen A renamed" in edited.text


def test_a_tree_drawn_for_an_editor_is_not_shown_to_a_reader(client, settings):
    from django.contrib.auth.models import Permission

    settings.RESPONSE_CACHE_ENABLED = False
    first = ReleaseFactory(name="Qwen Public", status=Status.PUBLISHED)
    ReleaseFactory(name="Qwen Secret Draft", predecessor=first, status=Status.DRAFT)
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_modelrelease"))
    editors = client.__class__()
    editors.force_login(editor)

    assert "Qwen Secret Draft" in editors.get(first.get_absolute_url()).text
    assert "Qwen Secret Draft" not in client.get(first.get_absolute_url()).text


def family_walks(queries):
    return sum("WITH RECURSIVE" in query["sql"] for query in queries)


@pytest.mark.parametrize("page", ["get_absolute_url", "family"])
def test_the_family_is_walked_once_per_state_of_the_catalogue_and_again_after_an_edit(client, settings, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.RESPONSE_CACHE_ENABLED = False  # every request renders the page
    first, second, third = line("Qwen A", "Qwen B", "Qwen C", status=Status.PUBLISHED)
    url = second.get_absolute_url() if page == "get_absolute_url" else reverse("releases:family", args=[second.slug])

    with CaptureQueriesContext(connection) as walked:
        drawn = client.get(url)
    with CaptureQueriesContext(connection) as kept:
        again = client.get(url)
    ReleaseFactory(name="Qwen D", predecessor=third, status=Status.PUBLISHED)
    with CaptureQueriesContext(connection) as renewed:
        edited = client.get(url)

    assert family_walks(walked) == 1
    assert family_walks(kept) == 0  # the family of this state, kept
    assert again.text == drawn.text
    assert family_walks(renewed) == 1
    assert "Qwen D" in edited.text
    assert "Qwen D" not in drawn.text
