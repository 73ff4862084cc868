"""The release timeline: an SVG chart laid out on the server.

Releases sit on a time axis (x) and on a logarithmic size axis (y, the largest size of
each release); releases whose size the source does not give sit in their own band at the
bottom. Open-weight releases are filled circles, closed ones hollow squares, so the two
differ by shape as well as colour. The template draws the marks; this module only places
them, so the geometry can be tested without parsing SVG.
"""

import datetime as dt
import math
from dataclasses import dataclass

WIDTH = 760
HEIGHT = 330
LEFT, RIGHT, TOP = 70, 24, 20
PLOT_BOTTOM = 250  # bottom of the sized area
UNSIZED_Y = 285  # the band for releases without a stated size
AXIS_Y = 305  # the year labels


@dataclass(frozen=True)
class Mark:
    release: object
    x: float
    y: float
    radius: float
    open_weights: bool
    sized: bool

    @property
    def label(self):
        release = self.release
        access = "open weights" if release.open_weights else release.get_access_display()
        size = f"up to {release.max_size_b.normalize():f}B parameters" if self.sized else "size not stated"
        return f"{release.name}: {release.release_date_display}, {access}, {size}"

    @property
    def square(self):
        """The top-left corner and side of the hollow square drawn for a closed release."""
        side = self.radius * 2
        return {"x": round(self.x - self.radius, 1), "y": round(self.y - self.radius, 1), "side": round(side, 1)}


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Timeline:
    marks: list
    year_ticks: list
    size_ticks: list
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = PLOT_BOTTOM
    unsized_y: int = UNSIZED_Y
    axis_y: int = AXIS_Y

    @property
    def has_unsized(self):
        return any(not mark.sized for mark in self.marks)


def _month_index(date):
    return date.year * 12 + (date.month - 1) + (date.day - 1) / 31


def build_timeline(releases):
    """Lay out the given releases (any iterable, in any order) on the chart."""
    releases = sorted(releases, key=lambda r: (r.release_date, r.name))
    if not releases:
        return Timeline(marks=[], year_ticks=[], size_ticks=[])

    first_year = releases[0].release_date.year
    last_year = releases[-1].release_date.year + 1
    start, end = _month_index(dt.date(first_year, 1, 1)), _month_index(dt.date(last_year, 1, 1))

    def x_of(date):
        return LEFT + (WIDTH - LEFT - RIGHT) * (_month_index(date) - start) / (end - start)

    sizes = [float(r.max_size_b) for r in releases if r.max_size_b]
    low = math.floor(math.log10(min(sizes))) if sizes else 0
    high = math.ceil(math.log10(max(sizes))) if sizes else 3
    if high == low:
        high = low + 1

    def y_of(size):
        fraction = (math.log10(size) - low) / (high - low)
        return PLOT_BOTTOM - (PLOT_BOTTOM - TOP) * fraction

    marks, seen = [], {}
    for release in releases:
        sized = bool(release.max_size_b)
        y = y_of(float(release.max_size_b)) if sized else UNSIZED_Y
        x = x_of(release.release_date)
        # Releases on the same month and size would hide each other: nudge them apart.
        key = (round(x), round(y))
        x += 12 * seen.get(key, 0)
        seen[key] = seen.get(key, 0) + 1
        marks.append(
            Mark(
                release=release,
                x=round(x, 1),
                y=round(y, 1),
                radius=7,
                open_weights=release.open_weights,
                sized=sized,
            )
        )

    year_ticks = [Tick(round(x_of(dt.date(year, 1, 1)), 1), str(year)) for year in range(first_year, last_year + 1)]
    size_ticks = [
        Tick(round(y_of(10**power), 1), _size_label(10**power)) for power in range(low, high + 1) if 10**power >= 0.1
    ]
    return Timeline(marks=marks, year_ticks=year_ticks, size_ticks=size_ticks)


def _size_label(billions):
    if billions >= 1000:
        return f"{billions // 1000:g}T"
    return f"{billions:g}B"
