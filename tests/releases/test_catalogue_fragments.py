"""The catalogue's rows are kept per release version (qwensite.freshness.fragments)."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from tests.factories import ReleaseFactory, ReleaseSizeFactory

pytestmark = pytest.mark.django_db

ROW = "releases/_catalogue_row.html"


def rows_rendered(response):
    return sum(template.name == ROW for template in response.templates)


def test_rows_are_rendered_once_and_reused_by_the_next_request(client, cold):
    ReleaseFactory.create_batch(3)
    first = client.get("/releases/")

    second = client.get("/releases/")

    assert rows_rendered(first) == 3
    assert rows_rendered(second) == 0
    assert second.content == first.content


def test_an_edit_renders_again_only_the_row_of_the_release_edited(client, cold):
    edited, _other, _third = ReleaseFactory.create_batch(3)
    client.get("/releases/")

    edited.name = "Qwen Renamed"
    edited.save()
    response = client.get("/releases/")

    assert rows_rendered(response) == 1
    assert "Qwen Renamed" in response.content.decode()


def test_a_new_size_renders_the_row_again(client, cold):
    release = ReleaseFactory()
    client.get("/releases/")

    ReleaseSizeFactory(release=release, label="72B", parameters_b=Decimal("72"))
    response = client.get("/releases/")

    assert rows_rendered(response) == 1
    assert "72B" in response.content.decode()


def test_a_page_of_kept_rows_reads_no_sizes(client, cold, django_assert_max_num_queries):
    for release in ReleaseFactory.create_batch(3):
        ReleaseSizeFactory(release=release)
    first = client.get("/releases/")

    with django_assert_max_num_queries(10) as captured:
        second = client.get("/releases/")

    assert rows_rendered(second) == 0
    assert second.content == first.content
    assert not [query for query in captured.captured_queries if "releasesize" in query["sql"].lower()]


def test_only_the_rows_not_kept_read_their_sizes(client, cold, django_assert_max_num_queries):
    kept, edited = ReleaseFactory.create_batch(2)
    ReleaseSizeFactory(release=kept, label="7B", parameters_b=Decimal("7"))
    size = ReleaseSizeFactory(release=edited, label="14B", parameters_b=Decimal("14"))
    client.get("/releases/")

    size.label, size.parameters_b = "32B", Decimal("32")
    size.save()
    with django_assert_max_num_queries(10) as captured:
        response = client.get("/releases/")

    (sizes_read,) = [query["sql"] for query in captured.captured_queries if "releasesize" in query["sql"].lower()]
    (read_for,) = re.findall(r"IN \(([^)]*)\)", sizes_read)
    assert [int(pk) for pk in read_for.split(",")] == [edited.pk]
    assert rows_rendered(response) == 1
    assert "32B" in response.text
    assert "14B" not in response.text
    assert "7B" in response.text


def test_a_size_deleted_renders_the_row_again(client, cold):
    release = ReleaseFactory()
    size = ReleaseSizeFactory(release=release, label="72B", parameters_b=Decimal("72"))
    assert "72B" in client.get("/releases/").text

    size.delete()
    response = client.get("/releases/")

    assert rows_rendered(response) == 1
    assert "72B" not in response.text


FILTERS = "releases/_catalogue_filters.html"


def filters_rendered(response):
    return sum(template.name == FILTERS for template in response.templates)


def test_the_filters_are_drawn_once_for_every_page_of_a_list(client, cold):
    ReleaseFactory.create_batch(3)
    first = client.get("/releases/", {"page_size": "1", "kind": "general"})

    other_page = client.get("/releases/", {"page_size": "1", "kind": "general", "page": "2"})
    another_list = client.get("/releases/", {"page_size": "1"})

    assert filters_rendered(first) == 1
    assert filters_rendered(other_page) == 0
    assert filters_rendered(another_list) == 1
    form = re.compile(r'<form class="filters".*?</form>', re.DOTALL)
    assert form.search(other_page.text).group() == form.search(first.text).group()
    assert form.search(another_list.text).group() != form.search(first.text).group()


def test_the_filters_offer_a_year_first_published_after_they_were_kept(client, cold):
    ReleaseFactory(release_date=dt.date(2024, 5, 1))
    assert 'value="2030"' not in client.get("/releases/").text

    ReleaseFactory(release_date=dt.date(2030, 1, 1))
    response = client.get("/releases/")

    assert filters_rendered(response) == 1
    assert 'value="2030"' in response.text


def test_filters_in_error_are_drawn_with_their_message_each_time(client, cold):
    ReleaseFactory()
    client.get("/releases/")

    response = client.get("/releases/", {"min_size": "big"})

    assert response.status_code == 400
    assert filters_rendered(response) == 1
    assert 'aria-invalid="true"' in response.text
