"""Several sessions side by side, oldest first: levels, ratings with deltas, readings, actions;
and how to read the trends (which way a change points, the biggest movers).

Pure and quick (DESIGN's budget: load, validate and compare 1,000 sessions in a fifth of
the time stdlib parsing alone takes). A comparison is made of columns, one per session: what
the comparison and its outputs need of the session, its model and its score, in plain values
(`column_of`). The library's index keeps each file's column (`Column.data`), so that
comparing sessions already listed reads neither their files nor the models: this module
imports no domain model and no scoring where it runs.

The entry points are `compare_sessions` (sessions read) and `compare_columns`. Sessions made
with different versions of a model line up by indicator and metric id; an indicator or metric
a session does not have is None there, never zero.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeVar

from maturity_tui.tallies import ACTION_STATUSES, BoardCounts, DimensionLevel

if TYPE_CHECKING:
    from maturity_tui.domain import Color, MaturityModel, Session, Trend
    from maturity_tui.domain.base import Number
    from maturity_tui.scoring import IndicatorScore, SessionScore

Value = TypeVar("Value", int, float, "Number")

Scale = tuple["Number", ...]


# --- What a comparison knows of a model ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ComparedIndicator:
    id: str
    level: int | None
    dimension: str | None
    statement: str
    answers: Scale
    """The values it is answered on, lowest first (score models answer each on its own set)."""


@dataclass(frozen=True, slots=True)
class ComparedMetric:
    id: str
    name: str
    kind: Literal["quantitative", "qualitative"]
    unit: str | None
    min: Number | None
    max: Number | None
    better: Literal["higher", "lower"]


class ComparedLevel(NamedTuple):
    number: int
    name: str
    title: str
    """The name, with its alias: `Defined (Level 3)` (`Level.title`)."""


@dataclass(frozen=True, slots=True)
class ComparedModel:
    """What a comparison and its outputs need of a session's model."""

    id: str
    version: str
    name: str
    source: dict[str, Any] | None
    """The published source and licence, every key (`Source`); None for a model of one's own."""
    attribution: str | None
    """How outputs credit the source (`Source.attribution`)."""
    levels: tuple[ComparedLevel, ...]
    """Lowest first."""
    scale: Scale
    """The vote scale's values."""
    score_top: float
    """The highest score any dimension can reach (`scoring.score_top`)."""
    indicators: dict[str, ComparedIndicator]
    metrics: dict[str, ComparedMetric]

    @property
    def top_level(self) -> int:
        return self.levels[-1].number if self.levels else 0

    def level(self, number: int) -> ComparedLevel:
        return self.levels[number - self.levels[0].number]

    @classmethod
    def of(cls, model: MaturityModel) -> ComparedModel:
        from maturity_tui.scoring import score_top

        return cls(
            id=model.id,
            version=model.version,
            name=model.name,
            source=None if model.source is None else model.source.model_dump(mode="json"),
            attribution=None if model.source is None else model.source.attribution,
            levels=tuple(
                ComparedLevel(level.number, level.name, level.title) for level in model.levels
            ),
            scale=tuple(model.scale.values),
            score_top=score_top(model),
            indicators={
                i.id: ComparedIndicator(
                    i.id, i.level, i.dimension, i.statement, tuple(model.scale_for(i.id).values)
                )
                for i in model.indicators
            },
            metrics={
                m.id: ComparedMetric(m.id, m.name, m.kind, m.unit, m.min, m.max, m.better)
                for m in model.metrics
            },
        )

    def data(self) -> dict[str, Any]:
        """As JSON keeps it (`from_data` makes it again). The library's index keeps it: a
        change of its shape is a new `library_index.SCHEMA_VERSION`."""
        return {
            "id": self.id,
            "version": self.version,
            "name": self.name,
            "source": self.source,
            "attribution": self.attribution,
            "levels": self.levels,
            "scale": self.scale,
            "score_top": self.score_top,
            "indicators": [
                [i.id, i.level, i.dimension, i.statement, i.answers]
                for i in self.indicators.values()
            ],
            "metrics": [
                [m.id, m.name, m.kind, m.unit, m.min, m.max, m.better]
                for m in self.metrics.values()
            ],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ComparedModel:
        indicators = (
            ComparedIndicator(key, level, dimension, statement, tuple(answers))
            for key, level, dimension, statement, answers in data["indicators"]
        )
        metrics = (ComparedMetric(*m) for m in data["metrics"])
        return cls(
            id=data["id"],
            version=data["version"],
            name=data["name"],
            source=data["source"],
            attribution=data["attribution"],
            levels=tuple(ComparedLevel(*level) for level in data["levels"]),
            scale=tuple(data["scale"]),
            score_top=data["score_top"],
            indicators={i.id: i for i in indicators},
            metrics={m.id: m for m in metrics},
        )


# --- What a comparison knows of a session ----------------------------------------------------


# The cells are tuples: a comparison of 1,000 sessions of 20 indicators makes 20,000 of them,
# read from the index or from the scores, and a tuple is made at a fifth of a dataclass's cost.


class IndicatorCell(NamedTuple):
    indicator: ComparedIndicator
    applicable: bool
    agreed: Number | None
    """None where unrated or not applicable."""
    color: Color | None
    """Boards: the agreed rating's colour; None where unrated or not applicable."""
    trend: Trend | None
    """The agreed trend (models with `trend = true`); None where there is none."""


class ReadingCell(NamedTuple):
    metric: ComparedMetric
    value: Number | str
    target: Number | None
    """The target in force: the reading's own, else its model's."""
    met: bool | None


@dataclass(frozen=True, slots=True)
class ColumnScore:
    """A session's score, as a comparison shows it."""

    mode: Literal["staged", "score", "board"]
    level: int | None
    """None when the model has no overall level (score, board, overall_level = false)."""
    next_level: int | None
    progress: float | None
    score: float | None
    """Score models: the overall score."""
    complete: bool
    """Every applicable indicator has an agreed rating."""
    board: BoardCounts | None
    text: str
    """Where the team stands in a few characters (`standing.standing_text`)."""
    dimensions: tuple[DimensionLevel, ...]
    indicators: tuple[IndicatorCell, ...]
    readings: tuple[ReadingCell, ...]


@dataclass(frozen=True, slots=True)
class Column:
    """One session of the comparison, with its score."""

    id: str
    team: str
    period: str
    started_at: datetime
    model: ComparedModel
    score: ColumnScore
    actions: dict[str, int]
    """Action counts per status, in ACTION_STATUSES order."""

    @property
    def level_name(self) -> str | None:
        level = self.score.level
        return None if level is None else self.model.level(level).name

    def data(self, model_key: str) -> dict[str, Any]:
        """As JSON keeps it, its model named by `model_key` (`from_data` makes it again).
        The library's index keeps it: a change of its shape is a new `SCHEMA_VERSION` there."""
        score = self.score
        board = score.board
        return {
            "id": self.id,
            "team": self.team,
            "period": self.period,
            "started_at": self.started_at.isoformat(),
            "model": model_key,
            "actions": self.actions,
            "mode": score.mode,
            "level": score.level,
            "next_level": score.next_level,
            "progress": score.progress,
            "score": score.score,
            "complete": score.complete,
            "board": None
            if board is None
            else [board.red, board.amber, board.green, board.unrated],
            "text": score.text,
            "dimensions": score.dimensions,  # named tuples: JSON arrays in field order
            "indicators": [
                [c.indicator.id, c.applicable, c.agreed, c.color, c.trend] for c in score.indicators
            ],
            "readings": [[r.metric.id, r.value, r.target, r.met] for r in score.readings],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any], model: ComparedModel) -> Column:
        board = data["board"]
        indicators, metrics = model.indicators, model.metrics
        return cls(
            id=data["id"],
            team=data["team"],
            period=data["period"],
            started_at=datetime.fromisoformat(data["started_at"]),
            model=model,
            actions=data["actions"],
            score=ColumnScore(
                mode=data["mode"],
                level=data["level"],
                next_level=data["next_level"],
                progress=data["progress"],
                score=data["score"],
                complete=data["complete"],
                board=None if board is None else BoardCounts(*board),
                text=data["text"],
                dimensions=tuple(DimensionLevel(*d) for d in data["dimensions"]),
                indicators=tuple(
                    IndicatorCell(indicators[i], applicable, agreed, color, trend)
                    for i, applicable, agreed, color, trend in data["indicators"]
                ),
                readings=tuple(
                    ReadingCell(metrics[m], value, target, met)
                    for m, value, target, met in data["readings"]
                ),
            ),
        )


def column_of(session: Session) -> Column:
    """The session's column."""
    return ColumnMaker().of(session)


class ColumnMaker:
    """Columns made one after the other, sharing what their sessions share: the models
    compared (one object per model, as storage loads them), and each scale's colour of a
    value (a scale finds a value's point anew on every call)."""

    def __init__(self) -> None:
        self._models: dict[int, ComparedModel] = {}
        self._colors: dict[tuple[int, Number], Color | None] = {}

    def of(self, session: Session) -> Column:
        from maturity_tui.scoring import score_session

        return self.column(session, score_session(session))

    def column(self, session: Session, score: SessionScore) -> Column:
        """The session's column, from its score."""
        from maturity_tui.standing import standing_text

        model = self._model(session.model)
        indicators = model.indicators
        return Column(
            id=session.id,
            team=session.team,
            period=session.period,
            started_at=session.started_at,
            model=model,
            actions=action_counts(session),
            score=ColumnScore(
                mode=score.mode,
                level=score.level,
                next_level=score.next_level,
                progress=score.progress,
                score=score.score,
                complete=score.complete,
                board=score.board,
                text=standing_text(session.model, score),
                dimensions=score.dimension_levels,
                indicators=tuple(
                    IndicatorCell(indicators[s.id], True, s.agreed, self._color(s), s.trend)
                    if s.applicable
                    else IndicatorCell(indicators[s.id], False, None, None, None)
                    for s in score.indicators
                ),
                readings=tuple(
                    ReadingCell(model.metrics[r.metric.id], r.reading.value, r.target, r.met)
                    for r in score.readings
                ),
            ),
        )

    def _model(self, model: MaturityModel) -> ComparedModel:
        found = self._models.get(id(model))
        if found is None:
            found = self._models[id(model)] = ComparedModel.of(model)
        return found

    def _color(self, scored: IndicatorScore) -> Color | None:
        if scored.agreed is None:
            return None
        key = (id(scored.scale), scored.agreed)
        if key not in self._colors:
            self._colors[key] = scored.scale.color(scored.agreed)
        return self._colors[key]


def action_counts(session: Session) -> dict[str, int]:
    counts: dict[str, int] = dict.fromkeys(ACTION_STATUSES, 0)
    for action in session.actions:
        counts[action.status] += 1
    return counts


# --- The comparison ---------------------------------------------------------------------------


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
    indicator: ComparedIndicator
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
    metric: ComparedMetric
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
        return list(dict.fromkeys(column.team for column in self.columns))

    @property
    def scales(self) -> list[Scale]:
        """The vote scales (their values) of the sessions, each once, oldest first."""
        return list(dict.fromkeys(column.model.scale for column in self.columns))

    @property
    def scale_changed(self) -> bool:
        """Ratings on 0..3 and on 1..5 are different numbers: no delta spans the change."""
        return len(self.scales) > 1


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
    return compare_columns(columns_of(sessions))


def columns_of(sessions: Iterable[Session]) -> list[Column]:
    """Each session's column; sessions of one model (one object, as storage loads them) share
    its `ComparedModel`."""
    made = ColumnMaker()
    return [made.of(session) for session in sessions]


def compare_columns(columns: Iterable[Column]) -> Comparison:
    ordered = tuple(sorted(columns, key=lambda c: (c.started_at, c.id)))
    return Comparison(
        columns=ordered,
        dimensions=_trends(ordered, "dimensions", attrgetter("id"), _dimension_trend),
        indicators=_trends(ordered, "indicators", attrgetter("indicator.id"), _indicator_trend),
        readings=_trends(ordered, "readings", attrgetter("metric.id"), _reading_trend),
    )


Cell = TypeVar("Cell")
TrendOf = TypeVar("TrendOf")


def _trends(
    columns: tuple[Column, ...],
    cells: Literal["dimensions", "indicators", "readings"],
    key: Callable[[Cell], str],
    trend: Callable[[list[tuple[int, Cell]], int], TrendOf],
) -> tuple[TrendOf, ...]:
    """A trend per key of the columns' `cells` (of their scores), keys in order of first
    appearance, each made from its (session number, cell) pairs.

    A row is made once per key, not a cell at a time: a comparison of 1,000 sessions of 20
    indicators fills 100,000 cells.
    """
    rows: dict[str, list[tuple[int, Cell]]] = {}
    for n, column in enumerate(columns):
        for cell in getattr(column.score, cells):
            cell_key = key(cell)
            row = rows.get(cell_key)
            if row is None:
                row = rows[cell_key] = []
            row.append((n, cell))
    return tuple(trend(row, len(columns)) for row in rows.values())


def _dimension_trend(row: list[tuple[int, DimensionLevel]], width: int) -> DimensionTrend:
    levels: list[int | None] = [None] * width
    scores: list[float | None] = [None] * width
    for n, dimension in row:
        levels[n] = dimension.level
        scores[n] = dimension.score
    latest = row[-1][1]
    return DimensionTrend(latest.id, latest.name, tuple(levels), delta(levels), tuple(scores))


def _indicator_trend(row: list[tuple[int, IndicatorCell]], width: int) -> IndicatorTrend:
    ratings: list[Number | None] = [None] * width
    applicable: list[bool | None] = [None] * width
    colors: list[Color | None] = [None] * width
    trends: list[Trend | None] = [None] * width
    # Each indicator on its own answers: a delta across a change of them means nothing.
    scales: list[Scale | None] = [None] * width
    for n, cell in row:
        applicable[n] = cell.applicable
        scales[n] = cell.indicator.answers
        ratings[n] = cell.agreed
        colors[n] = cell.color
        trends[n] = cell.trend
    return IndicatorTrend(
        row[-1][1].indicator,  # as worded in the newest session that has it
        tuple(ratings),
        tuple(applicable),
        rating_delta(ratings, scales),
        tuple(colors),
        tuple(trends),
    )


def _reading_trend(row: list[tuple[int, ReadingCell]], width: int) -> ReadingTrend:
    values: list[Number | str | None] = [None] * width
    targets: list[Number | None] = [None] * width
    met: list[bool | None] = [None] * width
    for n, cell in row:
        values[n] = cell.value
        targets[n] = cell.target
        met[n] = cell.met
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
