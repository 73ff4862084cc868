"""The release timeline: two SVG drawings laid out on the server, one wide and one tall.

The wide drawing puts releases on a time axis that runs from the first release's month to
the last's, each mark followed by the release's name. Names are laid out in lanes: a
release goes to the first lane where its mark and name do not overlap any other, so no two
labels ever collide, however many releases share a month. Above the lanes, the eras are
the sections of the article that tells the releases, each band spanning its releases.

The tall drawing (for narrow screens) is a list in date order down a vertical line, one
release a row with its name and date, the eras as headings between the rows.

A release's kind is its mark's shape (general a circle, coder a square, math a diamond,
reasoning a triangle) and its access the fill (solid for open weights, hollow for closed),
so neither depends on colour. Every mark sits in a link target of at least HIT px square.
The templates only draw what this module places, so the geometry is tested without SVG.
"""

import math
from dataclasses import dataclass, field

from releases.models import Kind

HIT = 28  # the side of each mark's link target (WCAG 2.2 asks for at least 24 CSS px)
MARK = 22  # the side of the box a mark's shape fits in
LABEL_SIZE = 14  # px, the names beside the marks
TICK_SIZE = 13  # px, the axis and era labels
CHAR_WIDTH = 0.64  # the widest average advance of a character in a sans-serif face, in em
GAP = 12  # between a label and the next mark of its lane

# The wide drawing.
WIDTH = 960
LEFT, RIGHT = 24, 16
ERA_TOP, ERA_ROW = 8, 26
LANE = 38  # the height of a lane of marks
AXIS_GAP, AXIS_LABELS = 18, 22

# The tall drawing.
TALL_WIDTH = 300
TALL_AXIS_X = 22
ROW = 52
ERA_HEADING = 36

SHAPES = {Kind.GENERAL: "circle", Kind.CODER: "square", Kind.MATH: "diamond", Kind.REASONING: "triangle"}


def text_width(text, size):
    """A generous estimate of a label's width in px: labels are spaced by it."""
    return math.ceil(len(text) * size * CHAR_WIDTH)


def shape_path(shape, x, y, side=MARK):
    """The SVG path of a mark's shape, centred on (x, y), fitting a ``side`` px box."""
    h = side / 2
    if shape == "square":
        s = h * 0.82  # a square looks larger than a circle of the same box
        return f"M{x - s:g} {y - s:g}h{2 * s:g}v{2 * s:g}h{-2 * s:g}Z"
    if shape == "diamond":
        return f"M{x:g} {y - h:g}L{x + h:g} {y:g}L{x:g} {y + h:g}L{x - h:g} {y:g}Z"
    if shape == "triangle":
        return f"M{x:g} {y - h:g}L{x + h:g} {y + h * 0.8:g}H{x - h:g}Z"
    r = h * 0.9
    return f"M{x - r:g} {y:g}a{r:g} {r:g} 0 1 0 {2 * r:g} 0a{r:g} {r:g} 0 1 0 {-2 * r:g} 0Z"


def assign_lanes(spans):
    """The lane of each ``(start, end)`` span, in order: the first lane whose last span ends
    before this one starts, or a new lane. Spans of a lane never overlap."""
    ends, lanes = [], []
    for start, end in spans:
        lane = next((number for number, last in enumerate(ends) if last <= start), len(ends))
        if lane == len(ends):
            ends.append(end)
        else:
            ends[lane] = end
        lanes.append(lane)
    return lanes


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    def overlaps(self, other):
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )


@dataclass(frozen=True)
class Mark:
    release: object
    era: str
    x: float
    y: float

    @property
    def label(self):
        """What the mark's link says to a screen reader: name, date, kind, access and size."""
        release = self.release
        access = "open weights" if release.open_weights else release.get_access_display()
        size = f"up to {release.max_size_b.normalize():f}B parameters" if release.max_size_b else "size not stated"
        return f"{release.name}: {release.release_date_display}, {release.get_kind_display().lower()}, {access}, {size}"

    @property
    def shape(self):
        return SHAPES.get(self.release.kind, "circle")

    @property
    def path(self):
        return shape_path(self.shape, self.x, self.y)

    @property
    def hit(self):
        return Box(self.x - HIT / 2, self.y - HIT / 2, HIT, HIT)

    @property
    def text_x(self):
        return self.x + HIT / 2 + 2

    @property
    def text_box(self):
        """Where the name is drawn (a generous estimate)."""
        return Box(self.text_x, self.y - LABEL_SIZE * 0.75, text_width(self.release.name, LABEL_SIZE), LABEL_SIZE * 1.5)

    @property
    def right(self):
        return self.text_box.x + self.text_box.width


@dataclass(frozen=True)
class Era:
    """A section of the article, spanning the releases it tells."""

    anchor: str
    title: str
    x: float
    y: float
    width: float
    label_x: float = 0
    band_height: float = 0
    height: float = ERA_ROW - 4

    @property
    def text_x(self):
        return self.label_x + 6

    @property
    def text_y(self):
        return self.y + 16

    @property
    def text_box(self):
        return Box(self.label_x, self.y, text_width(self.title, TICK_SIZE) + 12, self.height)


@dataclass(frozen=True)
class Legend:
    label: str
    shape: str

    @property
    def path(self):
        return shape_path(self.shape, MARK / 2 + 1, MARK / 2 + 1)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Row:
    """A row of the tall drawing: an era heading (``mark`` None) or a release."""

    y: float
    mark: object = None
    era: object = None

    @property
    def path(self):
        return shape_path(self.mark.shape, TALL_AXIS_X, self.y)

    @property
    def hit_y(self):
        return self.y - HIT / 2

    @property
    def name_y(self):
        return self.y - 3

    @property
    def date_y(self):
        return self.y + 15


@dataclass(frozen=True)
class Tall:
    rows: list
    width: int = TALL_WIDTH
    height: int = 0
    axis_x: int = TALL_AXIS_X
    text_x: int = TALL_AXIS_X + HIT // 2 + 4
    hit: int = HIT
    hit_x: float = TALL_AXIS_X - HIT / 2


@dataclass(frozen=True)
class Timeline:
    marks: list
    eras: list = field(default_factory=list)
    year_ticks: list = field(default_factory=list)
    month_ticks: list = field(default_factory=list)
    kinds: list = field(default_factory=list)
    tall: Tall = None
    width: int = WIDTH
    height: int = 0
    left: int = LEFT
    right_edge: int = 0
    axis_y: float = 0
    hit: int = HIT

    @property
    def period(self):
        """From the first release's date to the last's, as the releases state them."""
        if not self.marks:
            return ""
        first, last = self.marks[0].release, max(self.marks, key=lambda m: m.release.release_date).release
        return f"{first.release_date_display} to {last.release_date_display}"

    @property
    def has_open(self):
        return any(mark.release.open_weights for mark in self.marks)

    @property
    def has_closed(self):
        return any(not mark.release.open_weights for mark in self.marks)


def _month(date):
    return date.year * 12 + date.month - 1


def build_timeline(releases, sections=()):
    """Lay out the given releases (any iterable, in any order) on both drawings.

    ``sections`` are the (anchor, title) of the telling article's sections, in order; a
    release belongs to the era of its source section.
    """
    releases = sorted(releases, key=lambda r: (r.release_date, r.name))
    if not releases:
        return Timeline(marks=[])
    titles = dict(sections)
    order = {anchor: number for number, (anchor, _title) in enumerate(sections)}
    first, last = _month(releases[0].release_date), _month(releases[-1].release_date)
    span = max(last - first, 1)

    # The axis runs from the first release to the last, with room after each mark for its name.
    start_x = LEFT + HIT / 2
    room = WIDTH - RIGHT - start_x
    for release in releases:
        fraction = (_month(release.release_date) - first) / span
        tail = HIT / 2 + 2 + text_width(release.name, LABEL_SIZE)
        if fraction:
            room = min(room, (WIDTH - RIGHT - tail - start_x) / fraction)
    room = max(room, 0)

    def x_of(month):
        return round(start_x + room * (month - first) / span, 1)

    xs = [x_of(_month(release.release_date)) for release in releases]
    lanes = assign_lanes(
        (x - HIT / 2, x + HIT / 2 + 2 + text_width(release.name, LABEL_SIZE) + GAP)
        for x, release in zip(xs, releases, strict=True)
    )

    # Eras: the sections that tell these releases, in the article's order, each in a row
    # of its own if its title would run into another's.
    told = sorted({r.source_section for r in releases if r.source_section in titles}, key=order.get)
    bounds = {}
    for x, release in zip(xs, releases, strict=True):
        anchor = release.source_section
        if anchor in titles:
            low, high = bounds.get(anchor, (x, x))
            bounds[anchor] = (min(low, x), max(high, x))
    era_spans = [(bounds[a][0] - HIT / 2, bounds[a][1] + HIT / 2) for a in told]
    # A title starts with its band, or earlier where it would run past the drawing's edge.
    era_labels = [
        min(low, WIDTH - RIGHT - text_width(titles[a], TICK_SIZE) - 12)
        for a, (low, _high) in zip(told, era_spans, strict=True)
    ]
    era_rows = assign_lanes(
        (label, max(high, label + text_width(titles[a], TICK_SIZE) + 12) + 4)
        for a, label, (_low, high) in zip(told, era_labels, era_spans, strict=True)
    )
    era_height = (max(era_rows) + 1) * ERA_ROW if era_rows else 0
    lanes_top = ERA_TOP + era_height + LANE // 2
    marks = [
        Mark(release=release, era=release.source_section, x=x, y=lanes_top + lane * LANE)
        for x, lane, release in zip(xs, lanes, releases, strict=True)
    ]
    axis_y = int(lanes_top + max(lanes) * LANE + AXIS_GAP)
    eras = [
        Era(
            anchor=a,
            title=titles[a],
            x=round(low, 1),
            y=ERA_TOP + row * ERA_ROW,
            width=round(high - low, 1),
            label_x=round(label, 1),
            band_height=round(axis_y - ERA_TOP - row * ERA_ROW, 1),
        )
        for a, (low, high), label, row in zip(told, era_spans, era_labels, era_rows, strict=True)
    ]
    # A year is labelled at its January; the first year at the axis' start, unless its
    # January follows too closely for both labels to fit.
    year_ticks = [Tick(x_of(year * 12), str(year)) for year in range(releases[0].release_date.year + 1, last // 12 + 1)]
    if not year_ticks or year_ticks[0].position - x_of(first) >= text_width("0000", TICK_SIZE) + 12:
        year_ticks.insert(0, Tick(x_of(first), str(releases[0].release_date.year)))
    present = {release.kind for release in releases}
    return Timeline(
        marks=marks,
        eras=eras,
        year_ticks=year_ticks,
        month_ticks=sorted(set(xs)),
        kinds=[Legend(label, SHAPES[value]) for value, label in Kind.choices if value in present],
        tall=_tall(marks, titles),
        height=math.ceil(axis_y + AXIS_LABELS + 10),
        right_edge=WIDTH - RIGHT,
        axis_y=axis_y,
    )


def _tall(marks, titles):
    """The tall drawing: one row per release in date order, an era heading where the era changes."""
    rows, y, era = [], 8, None
    for mark in marks:
        if mark.era != era and mark.era in titles:
            era = mark.era
            rows.append(Row(y=y + ERA_HEADING / 2 + 4, era=Era(anchor=era, title=titles[era], x=0, y=y, width=0)))
            y += ERA_HEADING
        rows.append(Row(y=y + ROW / 2, mark=mark))
        y += ROW
    longest = max(text_width(mark.release.name, LABEL_SIZE) for mark in marks)
    return Tall(rows=rows, height=math.ceil(y + 8), width=max(TALL_WIDTH, TALL_AXIS_X + HIT // 2 + 4 + longest + 8))
