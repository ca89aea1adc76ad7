"""Several sessions side by side, oldest first: levels, ratings with deltas, readings, actions;
and how to read the trends (which way a change points, the biggest movers).

Pure and quick (DESIGN's budget: load, validate and compare 1,000 sessions in a fifth of
the time stdlib parsing alone takes). The entry point is `compare_sessions`. Sessions made
with different versions of a model line up by indicator and metric id; an indicator or
metric a session does not have is None there, never zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from maturity_tui.domain import Color, Indicator, Metric, Session, Trend
from maturity_tui.domain import Scale as DomainScale
from maturity_tui.domain.base import Number
from maturity_tui.domain.session import ACTION_STATUSES
from maturity_tui.scoring import (
    DimensionScore,
    IndicatorScore,
    ReadingScore,
    SessionScore,
    score_session,
)

Value = TypeVar("Value", int, float, Number)


@dataclass(frozen=True, slots=True)
class Column:
    """One session of the comparison, with its score."""

    session: Session
    score: SessionScore
    actions: dict[str, int]
    """Action counts per status, in ACTION_STATUSES order."""

    @property
    def level_name(self) -> str | None:
        level = self.score.level
        return None if level is None else self.session.model.level(level).name


@dataclass(frozen=True, slots=True)
class DimensionTrend:
    id: str
    name: str
    levels: tuple[int | None, ...]
    """The dimension's level per session; None where the session's model lacks it (or, in
    score and board models, has no levels)."""
    delta: int | None
    scores: tuple[float | None, ...] = ()
    """Score models: the dimension's score per session; None where absent."""

    @property
    def score_delta(self) -> float | None:
        return delta(self.scores)


@dataclass(frozen=True, slots=True)
class IndicatorTrend:
    indicator: Indicator
    """As worded in the newest session that has it."""
    ratings: tuple[Number | None, ...]
    """The agreed rating per session; None where absent, unrated or not applicable."""
    applicable: tuple[bool | None, ...]
    """Per session; None where the session's model lacks the indicator."""
    delta: Number | None
    colors: tuple[Color | None, ...] = ()
    """The agreed rating's colour per session (board models); None where absent or unrated."""
    trends: tuple[Trend | None, ...] = ()
    """The agreed trend per session (models with `trend = true`); None where there is none."""

    @property
    def id(self) -> str:
        return self.indicator.id


@dataclass(frozen=True, slots=True)
class ReadingTrend:
    metric: Metric
    """As defined in the newest session that read it."""
    values: tuple[Number | str | None, ...]
    targets: tuple[Number | None, ...]
    """The target in force per session (the reading's own, else its model's)."""
    met: tuple[bool | None, ...]
    delta: Number | None
    """Last minus first numeric value; None for qualitative metrics."""

    @property
    def id(self) -> str:
        return self.metric.id


@dataclass(frozen=True, slots=True)
class Comparison:
    columns: tuple[Column, ...]
    dimensions: tuple[DimensionTrend, ...]
    indicators: tuple[IndicatorTrend, ...]
    readings: tuple[ReadingTrend, ...]

    @property
    def level_delta(self) -> int | None:
        return delta(column.score.level for column in self.columns)

    @property
    def score_delta(self) -> float | None:
        return delta(column.score.score for column in self.columns)

    @property
    def teams(self) -> list[str]:
        """The teams compared, each once, in order of first appearance."""
        return list(dict.fromkeys(column.session.team for column in self.columns))

    @property
    def scales(self) -> list[Scale]:
        """The vote scales (their values) of the sessions, each once, oldest first."""
        return list(dict.fromkeys(scale_of(column.session) for column in self.columns))

    @property
    def scale_changed(self) -> bool:
        """Ratings on 0..3 and on 1..5 are different numbers: no delta spans the change."""
        return len(self.scales) > 1


Scale = tuple[Number, ...]


def scale_of(session: Session) -> Scale:
    return tuple(session.model.scale.values)


def rating_delta(ratings: Iterable[Number | None], scales: Iterable[Scale | None]) -> Number | None:
    """Last minus first known rating, when both were given on the same scale."""
    known = [
        (rating, scale) for rating, scale in zip(ratings, scales, strict=True) if rating is not None
    ]
    if len(known) < 2 or known[0][1] != known[-1][1]:
        return None
    return delta([known[0][0], known[-1][0]])


def delta(values: Iterable[Value | None]) -> Value | None:
    """Last minus first known value; None with fewer than two, where nothing moved yet."""
    known = [value for value in values if value is not None]
    if len(known) < 2:
        return None
    change = known[-1] - known[0]
    # Float readings such as 0.3 - 0.1 would otherwise show binary noise.
    return round(change, 9) if isinstance(change, float) else change


def compare_sessions(sessions: Iterable[Session]) -> Comparison:
    ordered = sorted(sessions, key=lambda s: (s.started_at, s.id))
    columns = tuple(_column(session) for session in ordered)
    return Comparison(
        columns=columns,
        dimensions=_dimensions(columns),
        indicators=_indicators(columns),
        readings=_readings(columns),
    )


def action_counts(session: Session) -> dict[str, int]:
    counts: dict[str, int] = dict.fromkeys(ACTION_STATUSES, 0)
    for action in session.actions:
        counts[action.status] += 1
    return counts


def _column(session: Session) -> Column:
    return Column(session, score_session(session), action_counts(session))


Cell = TypeVar("Cell")


def _by_key(cells: Iterable[tuple[str, int, Cell]]) -> dict[str, list[tuple[int, Cell]]]:
    """Each key's (session number, cell) pairs, keys in order of first appearance.

    A row is then made once per key, not a cell at a time: a comparison of 1,000 sessions
    of 20 indicators fills 100,000 cells.
    """
    rows: dict[str, list[tuple[int, Cell]]] = {}
    for key, n, cell in cells:
        row = rows.get(key)
        if row is None:
            row = rows[key] = []
        row.append((n, cell))
    return rows


def _dimensions(columns: tuple[Column, ...]) -> tuple[DimensionTrend, ...]:
    rows = _by_key(
        (dimension.id, n, dimension)
        for n, column in enumerate(columns)
        for dimension in column.score.dimensions
    )
    return tuple(_dimension_trend(row, len(columns)) for row in rows.values())


def _dimension_trend(row: list[tuple[int, DimensionScore]], width: int) -> DimensionTrend:
    levels: list[int | None] = [None] * width
    scores: list[float | None] = [None] * width
    for n, dimension in row:
        levels[n] = dimension.standing.level if dimension.standing else None
        scores[n] = dimension.score
    latest = row[-1][1]
    return DimensionTrend(latest.id, latest.name, tuple(levels), delta(levels), tuple(scores))


def _indicators(columns: tuple[Column, ...]) -> tuple[IndicatorTrend, ...]:
    rows = _by_key(
        (score.indicator.id, n, score)
        for n, column in enumerate(columns)
        for score in column.score.indicators
    )
    answers = _Answers()
    return tuple(_indicator_trend(row, len(columns), answers) for row in rows.values())


def _indicator_trend(
    row: list[tuple[int, IndicatorScore]], width: int, answers: _Answers
) -> IndicatorTrend:
    ratings: list[Number | None] = [None] * width
    applicable: list[bool | None] = [None] * width
    colors: list[Color | None] = [None] * width
    trends: list[Trend | None] = [None] * width
    # Each indicator on its own answers: a delta across a change of them means nothing.
    scales: list[Scale | None] = [None] * width
    for n, score in row:
        applicable[n] = score.applicable
        scales[n] = answers.values(score.scale)
        if score.applicable:
            ratings[n] = score.agreed
            colors[n] = answers.color(score.scale, score.agreed)
            trends[n] = score.trend
    return IndicatorTrend(
        row[-1][1].indicator,  # as worded in the newest session that has it
        tuple(ratings),
        tuple(applicable),
        rating_delta(ratings, scales),
        tuple(colors),
        tuple(trends),
    )


class _Answers:
    """The values and colours of the scales met in one comparison, worked out once each
    (a scale lists its values and finds a value's point anew on every call)."""

    def __init__(self) -> None:
        self._values: dict[int, Scale] = {}
        self._colors: dict[tuple[int, Number], Color | None] = {}

    def values(self, scale: DomainScale) -> Scale:
        found = self._values.get(id(scale))
        if found is None:
            found = self._values[id(scale)] = tuple(scale.values)
        return found

    def color(self, scale: DomainScale, agreed: Number | None) -> Color | None:
        if agreed is None:
            return None
        key = (id(scale), agreed)
        if key not in self._colors:
            self._colors[key] = scale.color(agreed)
        return self._colors[key]


def _readings(columns: tuple[Column, ...]) -> tuple[ReadingTrend, ...]:
    rows = _by_key(
        (scored.metric.id, n, scored)
        for n, column in enumerate(columns)
        for scored in column.score.readings
    )
    return tuple(_reading_trend(row, len(columns)) for row in rows.values())


def _reading_trend(row: list[tuple[int, ReadingScore]], width: int) -> ReadingTrend:
    values: list[Number | str | None] = [None] * width
    targets: list[Number | None] = [None] * width
    met: list[bool | None] = [None] * width
    for n, scored in row:
        values[n] = scored.reading.value
        targets[n] = scored.target
        met[n] = scored.met
    return ReadingTrend(
        row[-1][1].metric,  # as defined in the newest session that read it
        tuple(values),
        tuple(targets),
        tuple(met),
        delta(v for v in values if not isinstance(v, str)),
    )


# --- Trends ---------------------------------------------------------------------------------

Direction = Literal["better", "worse", "steady"]


def direction(change: Number | None, better: Literal["higher", "lower"]) -> Direction | None:
    """Whether a change is good news, judged by which way the metric's `better` points."""
    if change is None:
        return None
    if change == 0:
        return "steady"
    return "better" if (change > 0) == (better == "higher") else "worse"


def arrows(values: Sequence[Number | None]) -> list[str]:
    """Per value, how it moved from the previous known value: "↑", "↓", "→", or "" (first/none)."""
    marks, last = [], None
    for value in values:
        if value is None or last is None:
            marks.append("")
        else:
            marks.append("↑" if value > last else "↓" if value < last else "→")
        last = value if value is not None else last
    return marks


def movers(
    trends: Iterable[IndicatorTrend], count: int
) -> tuple[list[IndicatorTrend], list[IndicatorTrend]]:
    """The biggest risers and fallers by delta, largest first; ties keep model order."""
    listed = list(trends)
    risers = sorted((t for t in listed if (t.delta or 0) > 0), key=lambda t: -(t.delta or 0))
    fallers = sorted((t for t in listed if (t.delta or 0) < 0), key=lambda t: t.delta or 0)
    return risers[:count], fallers[:count]
