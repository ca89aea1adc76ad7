"""Chart geometry for the HTML outputs: numbers only, drawn as SVG by templates/charts.html.j2.

Our own small functions rather than a charting library: the charts are few and simple
(a ladder, bars, a histogram, lines, a radar), the files must stay self-contained with no
script, and keeping all text out of here means every label reaches the page through the
template engine's autoescape, never through string building. Coordinates are in the SVG's
own user units (its viewBox); the page scales the whole drawing to the width it has.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from maturity_tui.domain.base import Number

# ColorBrewer's YlGnBu, 7 classes: lightness falls steadily from the first to the last, so the
# order still reads in greyscale and for every common kind of colour blindness.
SEQUENTIAL = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84")
_DARK_FROM = 4
"""From this class on, cell text is white: dark text on the lighter ones."""


@dataclass(frozen=True, slots=True)
class Shade:
    fill: str
    ink: str


def shade(fraction: float | None) -> Shade | None:
    """The sequential colour for a value scaled to 0..1 (None: no value, no colour)."""
    if fraction is None:
        return None
    step = round(min(max(fraction, 0.0), 1.0) * (len(SEQUENTIAL) - 1))
    return Shade(SEQUENTIAL[step], "#ffffff" if step >= _DARK_FROM else "#1a1a1a")


def fraction_of(value: float | None, low: float, high: float) -> float | None:
    if value is None:
        return None
    return 0.0 if high == low else (value - low) / (high - low)


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


# --- Level ladder -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    number: int
    x: float
    y: float
    width: float
    height: float
    state: str
    """"reached", "next" or "ahead"."""
    progress_width: float
    """The filled part of the next level's step; 0 elsewhere."""


@dataclass(frozen=True, slots=True)
class Ladder:
    width: int
    height: int
    steps: tuple[Step, ...]


def ladder(top_level: int, placed: int, progress: float | None) -> Ladder:
    """Steps rising left to right, one per level: reached ones filled, the next one filled
    as far as the team has come, the rest outlined."""
    width, height, gap = 600, 150, 6
    step_width = (width - gap * (top_level - 1)) / top_level
    steps = []
    for number in range(1, top_level + 1):
        step_height = 40 + (height - 40 - 24) * (number - 1) / max(top_level - 1, 1)
        x = (number - 1) * (step_width + gap)
        if number <= placed:
            state, filled = "reached", step_width
        elif number == placed + 1:
            state, filled = "next", step_width * (progress or 0.0)
        else:
            state, filled = "ahead", 0.0
        steps.append(Step(number, x, height - step_height, step_width, step_height, state, filled))
    return Ladder(width, height, tuple(steps))


# --- Bars: histograms, dimension scores ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    """A scale value or a short number: never user text (that goes in the template)."""
    value: float
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Histogram:
    width: int
    height: int
    baseline: float
    bars: tuple[Bar, ...]


def histogram(counts: dict[Number, int]) -> Histogram:
    """Votes per scale point as columns, every point shown (an empty one as a gap)."""
    width, height, bottom = 240, 96, 78
    slot = width / max(len(counts), 1)
    tallest = max(counts.values(), default=0) or 1
    bars = []
    for n, (point, count) in enumerate(counts.items()):
        bar_height = (bottom - 16) * count / tallest
        bars.append(
            Bar(
                str(point),
                count,
                n * slot + slot * 0.15,
                bottom - bar_height,
                slot * 0.7,
                bar_height,
            )
        )
    return Histogram(width, height, bottom, tuple(bars))


@dataclass(frozen=True, slots=True)
class Gauge:
    """A value against its target on one horizontal scale (a bullet chart)."""

    width: int
    height: int
    value_width: float
    target_x: float | None
    low: str
    high: str


def gauge(value: float, target: float | None, low: float, high: float) -> Gauge:
    width = 300
    scale = width / (high - low) if high > low else 0.0

    def clamp(v: float) -> float:
        return min(max(v, low), high)

    target_x = None if target is None else (clamp(target) - low) * scale
    return Gauge(width, 28, (clamp(value) - low) * scale, target_x, _number(low), _number(high))


def value_range(
    values: Sequence[float], low: float | None, high: float | None
) -> tuple[float, float]:
    """The scale of a gauge or line: the metric's own bounds, else what the values need."""
    known = list(values)
    bottom = low if low is not None else min([0.0, *known])
    top = high if high is not None else max([*known, bottom + 1]) * 1.1
    return bottom, top


# --- Stacked bars: a board's cards by colour ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Segment:
    kind: str
    """What the segment counts (a board colour, or "unrated"): the template's CSS class."""
    count: int
    x: float
    width: float


@dataclass(frozen=True, slots=True)
class StackRow:
    y: float
    segments: tuple[Segment, ...]
    """Only the kinds with a count: an empty one takes no room."""


@dataclass(frozen=True, slots=True)
class Stacks:
    width: int
    height: int
    left: float
    """Where the bars start: the template writes each row's name before it."""
    bar_height: float
    rows: tuple[StackRow, ...]


def stacked_bars(rows: Sequence[Sequence[tuple[str, int]]], *, left: float = 0.0) -> Stacks:
    """One bar per row, its parts side by side in the order given, all on one scale (the
    longest row fills the width)."""
    width, bar_height, gap = 480, 32.0, 10.0
    longest = max((sum(count for _, count in row) for row in rows), default=0) or 1
    scale = (width - left) / longest
    stacked = []
    for n, row in enumerate(rows):
        x, segments = left, []
        for kind, count in row:
            if count:
                segments.append(Segment(kind, count, x, count * scale))
                x += count * scale
        stacked.append(StackRow(n * (bar_height + gap), tuple(segments)))
    height = int(len(rows) * (bar_height + gap) - gap) if rows else 0
    return Stacks(width, height, left, bar_height, tuple(stacked))


# --- Lines over periods --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    value: float
    label: str


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True, slots=True)
class LineChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    path: str
    """The line through the known points; a gap where a period has no value."""
    points: tuple[Point, ...]
    x_ticks: tuple[Tick, ...]
    """One per period, positions only: the template writes the period names."""
    y_ticks: tuple[Tick, ...]


def line_chart(
    values: Sequence[float | None],
    low: float,
    high: float,
    *,
    y_ticks: Sequence[float] | None = None,
    label: Callable[[float], str] = _number,
) -> LineChart:
    """Values over periods, oldest left. A target that changes per period is a second line
    chart of the targets drawn on the same scale (the KPI charts do that)."""
    width, height = 600, 200
    left, right, top, bottom = 44.0, width - 40.0, 14.0, height - 30.0
    count = len(values)
    step = (right - left) / max(count - 1, 1)

    def y_of(value: float) -> float:
        share = fraction_of(min(max(value, low), high), low, high) or 0.0
        return bottom - share * (bottom - top)

    points = [
        Point(left + n * step if count > 1 else (left + right) / 2, y_of(v), v, label(v))
        for n, v in enumerate(values)
        if v is not None
    ]
    xs = [left + n * step if count > 1 else (left + right) / 2 for n in range(count)]
    path, pen_down = [], False
    for x, value in zip(xs, values, strict=True):
        if value is None:
            pen_down = False
            continue
        path.append(f"{'L' if pen_down else 'M'}{x:.1f},{y_of(value):.1f}")
        pen_down = True
    ticks = y_ticks if y_ticks is not None else [low + (high - low) * n / 4 for n in range(5)]
    return LineChart(
        width,
        height,
        left,
        right,
        top,
        bottom,
        " ".join(path),
        tuple(points),
        tuple(Tick(x, "") for x in xs),
        tuple(Tick(y_of(t), _number(t)) for t in ticks),
    )


@dataclass(frozen=True, slots=True)
class Sparkline:
    width: int
    height: int
    path: str
    last: Point | None


def sparkline(values: Sequence[float | None], low: float, high: float) -> Sparkline:
    """A small line for a table cell: the shape of a team's history, the last value marked."""
    chart = line_chart(values, low, high)
    # Rescale the big chart's coordinates into a 100 x 24 box.
    sx = 96 / (chart.right - chart.left) if len(values) > 1 else 0.0
    sy = 20 / (chart.bottom - chart.top)

    def moved(x: float, y: float) -> tuple[float, float]:
        return 2 + (x - chart.left) * sx if sx else 50.0, 2 + (y - chart.top) * sy

    path = []
    for part in chart.path.split():
        command, coordinates = part[0], part[1:]
        x, y = moved(*map(float, coordinates.split(",")))
        path.append(f"{command}{x:.1f},{y:.1f}")
    last = None
    if chart.points:
        end = chart.points[-1]
        x, y = moved(end.x, end.y)
        last = Point(x, y, end.value, end.label)
    return Sparkline(100, 24, " ".join(path), last)


# --- Radar: scores against targets ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Spoke:
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True, slots=True)
class Radar:
    width: int
    height: int
    centre_x: float
    centre_y: float
    rings: tuple[str, ...]
    """Polygons at each step of the scale, as SVG point lists."""
    ticks: tuple[Point, ...]
    """The inner rings' values, written up the first spoke (the outer one is the top, where
    the first spoke's own label goes)."""
    spokes: tuple[Spoke, ...]
    shape: str
    target: str | None
    """The targets' polygon, when every dimension has one."""
    target_marks: tuple[Point, ...]
    """A mark on each spoke that has a target."""
    dots: tuple[Point, ...]
    """Each dimension's score on its spoke (a missing one at the centre)."""


def ring_steps(top: float) -> list[float]:
    """Whole steps when the scale has a few (SAMM's 0-3), else quarters."""
    whole = int(top)
    if whole == top and 2 <= whole <= 6:
        return [float(k) for k in range(1, whole + 1)]
    return [top * k / 4 for k in range(1, 5)]


def radar(values: Sequence[float | None], targets: Sequence[float | None], top: float) -> Radar:
    """One spoke per dimension, clockwise from the top, room around it for the labels."""
    width, height, radius = 560, 420, 155.0
    cx, cy = width / 2, height / 2
    count = max(len(values), 3)

    def at(n: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * n / count
        share = min(max(value / top, 0.0), 1.0) if top else 0.0
        return cx + radius * share * math.cos(angle), cy + radius * share * math.sin(angle)

    def polygon(row: Sequence[float]) -> str:
        return " ".join("{:.1f},{:.1f}".format(*at(n, v)) for n, v in enumerate(row))

    steps = ring_steps(top)
    rings = tuple(polygon([step] * count) for step in steps)
    ticks = tuple(Point(*at(0, step), step, _number(step)) for step in steps[:-1])
    spokes = []
    for n in range(len(values)):
        x, y = at(n, top)
        lx, ly = at(n, top * 1.12)
        anchor = "middle" if abs(lx - cx) < 8 else ("start" if lx > cx else "end")
        spokes.append(Spoke(x, y, lx, ly, anchor))
    known = [v or 0.0 for v in values]
    dots = tuple(Point(*at(n, v), v, _number(v)) for n, v in enumerate(known))
    marks = tuple(Point(*at(n, t), t, _number(t)) for n, t in enumerate(targets) if t is not None)
    every = len(marks) == len(values) > 0
    target = polygon([t or 0.0 for t in targets]) if every else None
    return Radar(
        width, height, cx, cy, rings, ticks, tuple(spokes), polygon(known), target, marks, dots
    )
