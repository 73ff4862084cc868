"""A catalogue page answered from its kept rows keeps what it shows below the layout, per state of
the catalogue, rows and address (releases.views.ReleaseListView.kept_content); any other page
draws it."""

import datetime as dt
import time

import pytest
from django.urls import clear_script_prefix, set_script_prefix
from django.utils import timezone

from qwensite.freshness.fragments import KeptList, RenderedRows
from qwensite.freshness.state import forget_state
from tests.factories import ReleaseFactory

pytestmark = pytest.mark.django_db

BODY = "releases/_catalogue_body.html"


def drew_content(response):
    return BODY in {template.name for template in response.templates}


@pytest.fixture
def releases(db):
    return [ReleaseFactory(name=f"Qwen Kept {n}", slug=f"qwen-kept-{n}") for n in range(3)]


def test_a_page_of_kept_rows_draws_its_content_once(client, cold, releases):
    first, again = client.get("/releases/"), client.get("/releases/")
    third = client.get("/releases/")

    assert drew_content(first)
    assert drew_content(again)  # its rows were drawn by the first: this page is the first of them kept
    assert not drew_content(third)
    assert third.content == again.content == first.content
    assert "Qwen Kept 2" in third.content.decode()


def test_an_edit_of_a_row_or_a_new_release_is_shown_at_once(client, cold, releases):
    for _ in range(3):
        client.get("/releases/")

    releases[0].name = "Qwen Renamed"
    releases[0].save()
    renamed = client.get("/releases/").content.decode()
    ReleaseFactory(name="Qwen Newcomer", slug="qwen-newcomer", release_date=dt.date(2026, 1, 1))
    added = client.get("/releases/").content.decode()

    assert "Qwen Renamed" in renamed
    assert "Qwen Kept 0" not in renamed
    assert "Qwen Newcomer" in added
    assert ">4 releases<" in added


def test_a_release_coming_due_is_counted_and_listed(client, cold, releases):
    due_at = timezone.now() + dt.timedelta(seconds=1)
    ReleaseFactory(name="Qwen Due", slug="qwen-due", published_at=due_at)
    for _ in range(3):
        assert "Qwen Due" not in client.get("/releases/").content.decode()

    time.sleep(max(0.0, (due_at - timezone.now()).total_seconds()) + 0.05)  # no edit: it comes due
    page = client.get("/releases/").content.decode()

    assert "Qwen Due" in page
    assert ">4 releases<" in page


def test_each_address_of_kept_rows_has_its_own_content(client, cold, releases):
    for query in ("", "?ordering=name", "?page_size=2", "?page_size=2&page=2"):
        for _ in range(3):
            client.get(f"/releases/{query}")

    by_name = client.get("/releases/?ordering=name").content.decode()
    second = client.get("/releases/?page_size=2&page=2").content.decode()

    assert by_name.index("Qwen Kept 0") < by_name.index("Qwen Kept 2")
    assert "Page 2 of 2" in second
    assert "Qwen Kept 2" in second
    assert "Qwen Kept 0" not in second


def test_addresses_of_the_same_rows_keep_their_own_links(client, cold, releases):
    for _ in range(3):
        client.get("/releases/")

    sized = client.get("/releases/?page_size=25").content.decode()  # the default size: the same rows

    assert 'href="/api/v1/releases/?page_size=25"' in sized
    assert 'href="/api/v1/releases/"' not in sized


def test_an_editor_gets_the_catalogue_readers_get(client, admin_client, cold, releases):
    for _ in range(3):
        client.get("/releases/")

    reader, editor = client.get("/releases/"), admin_client.get("/releases/")

    assert not drew_content(editor)  # the catalogue lists published releases alone, for everyone
    assert editor.content == reader.content


def test_filtered_pages_and_refused_queries_are_drawn_each_time(client, cold, releases):
    filtered = [client.get("/releases/?year=2024") for _ in range(3)]
    refused = [client.get("/releases/?ordering=nonsense") for _ in range(3)]

    assert all(drew_content(response) for response in filtered + refused)
    assert {response.status_code for response in refused} == {400}
    assert all("These filters could not be applied" in response.content.decode() for response in refused)


def test_the_content_is_kept_per_script_prefix(client, cold, releases):
    for _ in range(3):
        plain = client.get("/releases/").content.decode()
    set_script_prefix("/site/")  # as a server mounted under /site sets it (the test client does not)
    try:
        responses = [client.get("/releases/") for _ in range(3)]
    finally:
        clear_script_prefix()
    prefixed = responses[-1].content.decode()

    assert not drew_content(responses[-1])  # kept under the prefix, apart from the plain one

    assert 'href="/site/releases/qwen-kept-0/"' in prefixed
    assert 'href="/releases/qwen-kept-0/"' not in prefixed
    assert 'href="/releases/qwen-kept-0/"' in plain


def test_rendered_rows_kept_together_are_named(releases):
    rows = RenderedRows("releases/_catalogue_row.html")
    rows.rendered(releases, "release")

    kept = rows.get(releases)

    assert isinstance(kept, KeptList)
    assert kept.name == rows.get(releases).name
    assert all(hasattr(row, "__html__") for row in kept)  # marked safe
    assert rows.get([]) == []


def test_a_count_changed_while_a_page_is_drawn_is_shown_by_the_next(client, cold, releases, monkeypatch):
    from releases.views import ReleaseListView

    for _ in range(3):
        client.get("/releases/?page_size=2")
    keep = ReleaseListView.kept_content

    def edited_meanwhile(view, request, rows, context):  # after the page read its count, before it draws
        ReleaseFactory(name="Qwen Late", slug="qwen-late", release_date=dt.date(2020, 1, 1))  # on page 2
        forget_state()  # the news of the edit reaches this process meanwhile
        return keep(view, request, rows, context)

    monkeypatch.setattr(ReleaseListView, "kept_content", edited_meanwhile)
    raced = client.get("/releases/?page_size=2").content.decode()
    monkeypatch.setattr(ReleaseListView, "kept_content", keep)

    after = client.get("/releases/?page_size=2").content.decode()

    assert ">3 releases<" in raced  # what that request counted
    assert ">4 releases<" in after
    assert "Page 1 of 2" in after
