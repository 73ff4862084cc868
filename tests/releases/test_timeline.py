"""The server-drawn SVG timeline of releases."""

import datetime as dt
from decimal import Decimal

import pytest

from releases.models import Access
from releases.timeline import build_timeline
from tests.factories import ArticleFactory, ReleaseFactory, ReleaseSizeFactory
from tests.site.helpers import build_catalogue

pytestmark = pytest.mark.django_db


def refreshed(release):
    release.refresh_from_db()
    return release


def test_later_releases_sit_further_right():
    early = ReleaseFactory(release_date=dt.date(2023, 4, 1))
    late = ReleaseFactory(release_date=dt.date(2025, 4, 1))

    timeline = build_timeline([late, early])

    assert [mark.release for mark in timeline.marks] == [early, late]
    assert timeline.marks[0].x < timeline.marks[1].x


def test_larger_releases_sit_higher():
    small = refreshed(ReleaseSizeFactory(parameters_b=Decimal("7")).release)
    large = refreshed(ReleaseSizeFactory(parameters_b=Decimal("235")).release)

    marks = {mark.release: mark for mark in build_timeline([small, large]).marks}

    assert marks[large].y < marks[small].y


def test_a_release_without_a_stated_size_sits_in_its_own_band():
    sized = refreshed(ReleaseSizeFactory(parameters_b=Decimal("7")).release)
    unsized = ReleaseFactory()

    timeline = build_timeline([sized, unsized])

    mark = next(mark for mark in timeline.marks if mark.release == unsized)
    assert not mark.sized
    assert mark.y == timeline.unsized_y
    assert timeline.has_unsized


def test_releases_in_the_same_month_and_size_do_not_overlap():
    a, b = ReleaseFactory(release_date=dt.date(2024, 9, 1)), ReleaseFactory(release_date=dt.date(2024, 9, 1))

    first, second = build_timeline([a, b]).marks

    assert (first.x, first.y) != (second.x, second.y)


def test_each_mark_has_a_label_naming_date_access_and_size():
    release = refreshed(
        ReleaseSizeFactory(
            release=ReleaseFactory(name="Qwen 2.5 Max", access=Access.API_ONLY, release_date=dt.date(2025, 1, 1)),
            parameters_b=Decimal("72"),
        ).release
    )

    (mark,) = build_timeline([release]).marks

    assert mark.label == "Qwen 2.5 Max: January 2025, API only, up to 72B parameters"


def test_year_ticks_cover_every_year_shown():
    releases = [ReleaseFactory(release_date=dt.date(2023, 4, 1)), ReleaseFactory(release_date=dt.date(2025, 4, 1))]

    timeline = build_timeline(releases)

    assert [tick.label for tick in timeline.year_ticks] == ["2023", "2024", "2025", "2026"]


def test_no_releases_make_an_empty_timeline():
    assert build_timeline([]).marks == []


def test_home_draws_open_and_closed_releases_with_different_shapes(client):
    article = ArticleFactory()
    open_release = ReleaseFactory(access=Access.OPEN_WEIGHTS, source_article=article)
    closed_release = ReleaseFactory(access=Access.API_ONLY, source_article=article)

    response = client.get("/")

    svg = response.text[response.text.index("<svg") : response.text.index("</svg>")]
    open_mark = svg[svg.index(open_release.get_absolute_url()) :]
    closed_mark = svg[svg.index(closed_release.get_absolute_url()) :]
    assert open_mark.index("<circle") < open_mark.index("</a>")
    assert closed_mark.index("<rect") < closed_mark.index("</a>")


def test_home_gives_the_timeline_as_a_table_too(client):
    release = ReleaseFactory(name="Qwen 1.0")

    response = client.get("/")

    assert "The timeline as a table" in response.text
    assert f'<th scope="row"><a href="{release.get_absolute_url()}">Qwen 1.0</a></th>' in response.text


@pytest.mark.parametrize("count", [3, 30])
def test_home_queries_do_not_grow_with_releases(client, assert_max_request_queries, count):
    build_catalogue(count)

    with assert_max_request_queries(3):
        response = client.get("/")

    assert response.status_code == 200
    assert len(response.context["timeline"].marks) == count
