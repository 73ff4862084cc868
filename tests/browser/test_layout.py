"""The reader pages laid out at phone and desktop widths: nothing scrolls sideways, the
timeline names every release as text and every mark is a target of at least 24x24 px."""

import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [320, 390, 1280]
PAGES = {
    "home": "/",
    "catalogue": "/releases/",
    "catalogue filtered": "/releases/?year=2024&min_size=7",
    "release": "/releases/qwen-3/",
    "family": "/releases/qwen-3/family/",
    "article": "/articles/the-history-of-qwen/",
    "compare": "/releases/compare/?r=qwen-2&r=qwen-3&r=qwen-2-5-max&r=qwq-32b",
    "sources": "/releases/sources/",
    "changes": "/releases/changes/",
    "data": "/data/",
    "search": "/search/?q=reasoning",
}
NAMES = [
    "Tongyi Qianwen",
    "Qwen 1.0",
    "Qwen 1.5",
    "Qwen 2",
    "Qwen 2.5",
    "Qwen2.5-Coder",
    "Qwen2.5-Math",
    "QwQ-32B-Preview",
    "Qwen 2.5 Max",
    "QwQ-32B",
    "Qwen 3",
]
# Open every <details> first: what a reader can reveal must fit too.
OPEN_DETAILS = "document.querySelectorAll('details').forEach(d => d.open = true)"
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  return {scroll: document.documentElement.scrollWidth, width,
          wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 1)
                  .slice(0, 5).map(e => e.tagName + ' ' + (e.textContent || '').trim().slice(0, 30))};
}"""


def sized(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(seeded, page, width):
    sized(page, width)
    overflowing = {}

    for name, url in PAGES.items():
        page.goto(url)
        page.evaluate(OPEN_DETAILS)
        layout = page.evaluate(OVERFLOW)
        if layout["scroll"] > layout["width"]:
            overflowing[name] = layout

    assert overflowing == {}


def visible_marks(page):
    return page.locator("figure.timeline svg a.mark").filter(visible=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_timeline_mark_is_a_target_of_at_least_24_px(seeded, page, width):
    sized(page, width).goto("/")
    marks = visible_marks(page)

    boxes = [marks.nth(n).locator("rect.hit").bounding_box() for n in range(marks.count())]
    shapes = [marks.nth(n).locator("path.shape").bounding_box() for n in range(marks.count())]

    assert len(boxes) == len(NAMES)
    assert min(min(box["width"], box["height"]) for box in boxes) >= 24
    assert min(max(box["width"], box["height"]) for box in shapes) >= 16  # the shape itself is plain to see


@pytest.mark.parametrize("width", WIDTHS)
def test_each_release_is_named_on_the_timeline_as_legible_text(seeded, page, width):
    sized(page, width).goto("/")
    labels = page.locator("figure.timeline svg .mark-label").filter(visible=True)

    names = labels.all_text_contents()
    heights = [labels.nth(n).bounding_box()["height"] for n in range(labels.count())]
    assert sorted(names) == sorted(NAMES)
    assert min(heights) >= 13  # real type, not 5 px


@pytest.mark.parametrize("width", WIDTHS)
def test_no_two_timeline_labels_overlap(seeded, page, width):
    sized(page, width).goto("/")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('figure.timeline svg')].filter(s => s.checkVisibility())
                 .flatMap(s => [...s.querySelectorAll('.mark-label, .era-label, .tick-label, .shape')])
                 .map(e => e.getBoundingClientRect()).map(r => [r.left, r.top, r.right, r.bottom])"""
    )

    def overlap(a, b):
        return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5

    collisions = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if overlap(a, b)]
    assert len(boxes) > len(NAMES)
    assert collisions == []


def test_the_axis_labels_are_legible_and_end_with_the_data(seeded, page):
    sized(page, 1280).goto("/")
    ticks = page.locator("svg.timeline-wide .tick-label")

    assert ticks.all_text_contents() == ["2023", "2024", "2025"]
    assert min(ticks.nth(n).bounding_box()["height"] for n in range(ticks.count())) >= 12


def test_phones_get_the_tall_drawing_and_desktops_the_wide_one(seeded, page):
    sized(page, 390).goto("/")
    assert page.locator("svg.timeline-tall").is_visible()
    assert not page.locator("svg.timeline-wide").is_visible()

    sized(page, 1280).goto("/")
    assert page.locator("svg.timeline-wide").is_visible()
    assert not page.locator("svg.timeline-tall").is_visible()


@pytest.mark.parametrize("width", [320, 390])
def test_on_a_phone_each_release_of_the_catalogue_is_a_card_within_the_screen(seeded, page, width):
    sized(page, width).goto("/releases/")
    cards = page.locator("table.catalogue tbody tr")

    boxes = [cards.nth(n).bounding_box() for n in range(cards.count())]
    assert len(boxes) == len(NAMES)
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= width for box in boxes)
    assert page.locator("table.catalogue tbody tr").first.evaluate("e => getComputedStyle(e).display") == "block"
    assert (
        not page.locator("table.catalogue thead").is_visible()
        or page.locator("table.catalogue thead").bounding_box()["width"] <= 1
    )
    sizes = cards.first.locator('td[data-label="Sizes"]')
    assert sizes.evaluate("e => getComputedStyle(e, '::before').content") == '"Sizes: "'  # named by its column


def test_on_a_wide_screen_the_catalogue_is_a_table_with_sorting_headers(seeded, page):
    sized(page, 1280).goto("/releases/")

    page.get_by_role("link", name="Release (sort A to Z)").click()

    assert page.locator('th[aria-sort="ascending"]').inner_text().startswith("Release")
    names = page.locator("table.catalogue tbody th").all_inner_texts()
    assert names[0] != "Qwen 3"  # no longer newest first
    assert names in (sorted(names), sorted(names, key=str.lower))  # by the database's collation


def test_releases_ticked_in_the_catalogue_open_on_the_compare_page(seeded, page):
    sized(page, 390).goto("/releases/")

    page.get_by_label("Compare Qwen 2", exact=True).check()
    page.get_by_label("Compare Qwen 3", exact=True).check()
    page.get_by_role("button", name="Compare selected").click()

    page.wait_for_url(re.compile(r"/releases/compare/\?(r=qwen-3&r=qwen-2|r=qwen-2&r=qwen-3)$"))
    assert page.get_by_role("heading", level=1).is_visible()
