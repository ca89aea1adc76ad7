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
from typing import Any, Literal, TypeVar

from maturity_tui.domain import Color, Indicator, Metric, Session, Trend
from maturity_tui.domain.base import Number
from maturity_tui.domain.session import ACTION_STATUSES
from maturity_tui.scoring import SessionScore, score_session

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


def _row(rows: dict[str, list[Any]], key: str, width: int) -> list[Any]:
    """The key's row, made (all None) the first time only: `setdefault(key, [None] * width)`
    would build a whole row for every session and key, quadratic in the number of sessions."""
    row = rows.get(key)
    if row is None:
        row = rows[key] = [None] * width
    return row


def _dimensions(columns: tuple[Column, ...]) -> tuple[DimensionTrend, ...]:
    names: dict[str, str] = {}
    levels: dict[str, list[int | None]] = {}
    scores: dict[str, list[float | None]] = {}
    width = len(columns)
    for n, column in enumerate(columns):
        for dimension in column.score.dimensions:
            names[dimension.id] = dimension.name
            level = dimension.standing.level if dimension.standing else None
            _row(levels, dimension.id, width)[n] = level
            _row(scores, dimension.id, width)[n] = dimension.score
    return tuple(
        DimensionTrend(key, names[key], tuple(row), delta(row), tuple(scores[key]))
        for key, row in levels.items()
    )


def _indicators(columns: tuple[Column, ...]) -> tuple[IndicatorTrend, ...]:
    latest: dict[str, Indicator] = {}
    ratings: dict[str, list[Number | None]] = {}
    applicable: dict[str, list[bool | None]] = {}
    colors: dict[str, list[Color | None]] = {}
    trends: dict[str, list[Trend | None]] = {}
    scales: dict[str, list[Scale | None]] = {}
    width = len(columns)
    for n, column in enumerate(columns):
        for score in column.score.indicators:
            latest[score.id] = score.indicator
            _row(ratings, score.id, width)[n] = score.agreed if score.applicable else None
            _row(applicable, score.id, width)[n] = score.applicable
            _row(colors, score.id, width)[n] = score.color if score.applicable else None
            _row(trends, score.id, width)[n] = score.trend if score.applicable else None
            # Each indicator on its own answers: a delta across a change of them means nothing.
            _row(scales, score.id, width)[n] = tuple(score.scale.values)
    return tuple(
        IndicatorTrend(
            latest[key],
            tuple(row),
            tuple(applicable[key]),
            rating_delta(row, scales[key]),
            tuple(colors[key]),
            tuple(trends[key]),
        )
        for key, row in ratings.items()
    )


def _readings(columns: tuple[Column, ...]) -> tuple[ReadingTrend, ...]:
    latest: dict[str, Metric] = {}
    values: dict[str, list[Number | str | None]] = {}
    targets: dict[str, list[Number | None]] = {}
    met: dict[str, list[bool | None]] = {}
    width = len(columns)
    for n, column in enumerate(columns):
        for scored in column.score.readings:
            key = scored.metric.id
            latest[key] = scored.metric
            _row(values, key, width)[n] = scored.reading.value
            _row(targets, key, width)[n] = scored.target
            _row(met, key, width)[n] = scored.met
    return tuple(
        ReadingTrend(
            latest[key],
            tuple(row),
            tuple(targets[key]),
            tuple(met[key]),
            delta(v for v in row if not isinstance(v, str)),
        )
        for key, row in values.items()
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
