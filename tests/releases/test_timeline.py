"""The server-drawn SVG timeline of releases."""

import datetime as dt
from decimal import Decimal

import pytest

from releases.models import Access, Kind
from releases.timeline import SHAPES, Box, assign_lanes, build_timeline, text_width
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


def test_releases_in_the_same_month_and_size_do_not_overlap():
    a, b = ReleaseFactory(release_date=dt.date(2024, 9, 1)), ReleaseFactory(release_date=dt.date(2024, 9, 1))

    first, second = build_timeline([a, b]).marks

    assert (first.x, first.y) != (second.x, second.y)


def crowded(count=24, month=None):
    """Releases with long names, many in the same month (unsaved: the layout needs no database)."""
    return [
        ReleaseFactory.build(
            name=f"Qwen-{n}-Long-Checkpoint-Name" if n % 3 else f"Q{n}",
            release_date=month or dt.date(2023 + n % 3, 1 + (n * 5) % 12, 1),
            kind=list(Kind)[n % 4],
        )
        for n in range(count)
    ]


@pytest.mark.parametrize(
    "releases", [crowded(), crowded(12, dt.date(2024, 9, 1)), crowded(40)], ids=["years", "one month", "forty"]
)
def test_no_label_or_mark_collides_with_another(releases):
    marks = build_timeline(releases).marks

    boxes = [(n, box) for n, mark in enumerate(marks) for box in (mark.hit, mark.text_box)]
    collisions = [(a, b) for a, box_a in boxes for b, box_b in boxes if a < b and box_a.overlaps(box_b)]
    assert collisions == []


def test_box_overlap_is_detected():
    assert Box(0, 0, 10, 10).overlaps(Box(9, 9, 10, 10))
    assert not Box(0, 0, 10, 10).overlaps(Box(10, 0, 10, 10))


def test_lanes_reuse_the_first_free_lane():
    assert assign_lanes([(0, 10), (5, 15), (10, 20), (12, 30), (21, 25)]) == [0, 1, 0, 2, 0]


def test_every_mark_and_name_fits_the_drawing():
    timeline = build_timeline(crowded())

    assert all(mark.hit.x >= 0 and mark.right <= timeline.right_edge for mark in timeline.marks)
    assert all(0 < mark.y < timeline.axis_y for mark in timeline.marks)


def test_every_mark_is_a_target_of_at_least_24_px():
    timeline = build_timeline(crowded(6))

    assert all(mark.hit.width >= 24 and mark.hit.height >= 24 for mark in timeline.marks)
    assert timeline.tall.hit >= 24


def test_the_axis_ends_with_the_data():
    releases = [
        ReleaseFactory.build(release_date=dt.date(2023, 4, 1)),
        ReleaseFactory.build(release_date=dt.date(2025, 4, 1)),
    ]

    timeline = build_timeline(releases)

    assert [tick.label for tick in timeline.year_ticks] == ["2023", "2024", "2025"]
    assert timeline.year_ticks[0].position == timeline.marks[0].x  # the axis starts with the first release
    assert timeline.year_ticks[-1].position < timeline.marks[-1].x


def test_the_first_year_is_not_labelled_where_the_next_january_follows_at_once():
    releases = [
        ReleaseFactory.build(release_date=dt.date(2023, 12, 1)),
        ReleaseFactory.build(release_date=dt.date(2031, 1, 1)),
    ]

    labels = [tick.label for tick in build_timeline(releases).year_ticks]

    assert labels[0] == "2024"
    assert labels[-1] == "2031"


def test_eras_are_the_sections_that_tell_the_releases_in_the_articles_order():
    sections = [("intro", "Introduction"), ("early", "Early days"), ("later", "Later on")]
    early = ReleaseFactory.build(release_date=dt.date(2023, 4, 1), source_section="early", name="A")
    early_too = ReleaseFactory.build(release_date=dt.date(2023, 9, 1), source_section="early", name="B")
    later = ReleaseFactory.build(release_date=dt.date(2024, 6, 1), source_section="later", name="C")

    timeline = build_timeline([later, early_too, early], sections)

    assert [(era.anchor, era.title) for era in timeline.eras] == [("early", "Early days"), ("later", "Later on")]
    marks = {mark.release.name: mark for mark in timeline.marks}
    first, second = timeline.eras
    assert first.x <= marks["A"].hit.x
    assert marks["B"].hit.x + marks["B"].hit.width <= first.x + first.width
    assert second.x <= marks["C"].hit.x
    assert all(era.y + era.band_height == timeline.axis_y for era in timeline.eras)


def test_era_titles_that_would_collide_go_to_rows_of_their_own():
    sections = [("a", "A very long title of a first era"), ("b", "A very long title of a second era")]
    releases = [
        ReleaseFactory.build(release_date=dt.date(2024, 1, 1), source_section="a"),
        ReleaseFactory.build(release_date=dt.date(2024, 2, 1), source_section="b"),
        ReleaseFactory.build(release_date=dt.date(2027, 2, 1), source_section="b"),
    ]

    timeline = build_timeline(releases, sections)
    first, second = timeline.eras

    assert not first.text_box.overlaps(second.text_box)
    assert second.y > first.y
    assert all(era.text_box.x + era.text_box.width <= timeline.right_edge for era in timeline.eras)


def test_kinds_have_shapes_of_their_own_and_the_legend_lists_those_shown():
    assert len(set(SHAPES.values())) == len(Kind.choices) == len(SHAPES)
    releases = [ReleaseFactory.build(kind=Kind.CODER), ReleaseFactory.build(kind=Kind.MATH)]

    timeline = build_timeline(releases)

    assert [(legend.label, legend.shape) for legend in timeline.kinds] == [("Coder", "square"), ("Math", "diamond")]
    assert {mark.shape for mark in timeline.marks} == {"square", "diamond"}


def test_the_tall_drawing_has_a_row_per_release_in_date_order_and_a_heading_per_era():
    sections = [("early", "Early days"), ("later", "Later on")]
    releases = [
        ReleaseFactory.build(release_date=dt.date(2024, 6, 1), source_section="later", name="C"),
        ReleaseFactory.build(release_date=dt.date(2023, 4, 1), source_section="early", name="A"),
        ReleaseFactory.build(release_date=dt.date(2023, 9, 1), source_section="early", name="B"),
    ]

    rows = build_timeline(releases, sections).tall.rows

    assert [row.mark.release.name if row.mark else row.era.title for row in rows] == [
        "Early days",
        "A",
        "B",
        "Later on",
        "C",
    ]
    gaps = [b.y - a.y for a, b in zip(rows, rows[1:], strict=False)]
    assert min(gaps) >= 24  # rows never overlap: each holds a 24 px target


def test_the_tall_drawing_is_wide_enough_for_the_longest_name():
    tall = build_timeline([ReleaseFactory.build(name="N" * 60)]).tall

    assert tall.width >= tall.text_x + text_width("N" * 60, 14)


def test_each_mark_has_a_label_naming_date_kind_access_and_size():
    release = refreshed(
        ReleaseSizeFactory(
            release=ReleaseFactory(name="Qwen 2.5 Max", access=Access.API_ONLY, release_date=dt.date(2025, 1, 1)),
            parameters_b=Decimal("72"),
        ).release
    )

    (mark,) = build_timeline([release]).marks

    assert mark.label == "Qwen 2.5 Max: January 2025, general, API only, up to 72B parameters"


def test_no_releases_make_an_empty_timeline():
    assert build_timeline([]).marks == []


def svg_link(text, svg_class, url):
    svg = text[text.index(f'<svg class="{svg_class}"') :]
    svg = svg[: svg.index("</svg>")]
    link = svg[svg.rindex("<a ", 0, svg.index(f'href="{url}"')) :]
    return link[: link.index("</a>")]


@pytest.mark.parametrize("svg_class", ["timeline-wide", "timeline-tall"])
def test_home_draws_kinds_by_shape_and_access_by_fill_in_both_drawings(client, svg_class):
    article = ArticleFactory()
    open_release = ReleaseFactory(access=Access.OPEN_WEIGHTS, kind=Kind.CODER, source_article=article)
    closed_release = ReleaseFactory(access=Access.API_ONLY, kind=Kind.MATH, source_article=article)

    response = client.get("/")

    open_mark = svg_link(response.text, svg_class, open_release.get_absolute_url())
    closed_mark = svg_link(response.text, svg_class, closed_release.get_absolute_url())
    assert 'class="mark square mark-open"' in open_mark
    assert 'class="mark diamond mark-closed"' in closed_mark
    assert f">{open_release.name}</text>" in open_mark  # the name as text, not only on hover


def test_home_draws_the_eras_of_the_shipped_article(client, seeded):
    response = client.get("/")

    wide = response.text[response.text.index('<svg class="timeline-wide"') :]
    for anchor, title in [
        ("the-beginning-2023", "The Beginning (2023)"),
        ("rapid-iteration-2024", "Rapid Iteration (2024)"),
        ("into-2025", "Into 2025"),
    ]:
        assert f'href="/articles/the-history-of-qwen/#{anchor}"' in wide
        assert f">{title}</text>" in wide
    assert ">2026<" not in wide


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
