"""DESIGN.md's scoring rules as pure functions, for all three modes of a model.

Staged (format 1's rules): vote statistics, placement, progress, objectives. Score (OWASP
SAMM's arithmetic): stream sums, dimension / group / overall means, targets. Board (health
checks): each card's colour, red and amber first. Everything here works on plain values and
dataclasses, never on pydantic validation, so comparing many sessions stays quick.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from maturity_tui.domain import (
    Color,
    Indicator,
    MaturityModel,
    Metric,
    Rating,
    Reading,
    Scale,
    Scoring,
    Session,
    Trend,
)
from maturity_tui.domain.base import Number
from maturity_tui.tallies import BoardCounts as BoardCounts
from maturity_tui.tallies import DimensionLevel

DIGITS = 10
"""Scores are rounded to this many decimals: 0.1 + 0.2 is 0.3, not 0.30000000000000004."""


@dataclass(frozen=True, slots=True)
class VoteStats:
    count: int
    median: float | None
    mean: float | None
    min: Number | None
    max: Number | None
    spread: Number | None
    histogram: dict[Number, int]
    """Votes per scale value, every scale value present, in scale order."""
    contested: bool


def vote_stats(values: Sequence[Number], scale: Scale) -> VoteStats:
    histogram: dict[Number, int] = dict.fromkeys(scale.values, 0)
    if not values:
        return VoteStats(0, None, None, None, None, None, histogram, False)
    ordered = sorted(values)
    for value in ordered:
        histogram[value] += 1
    count = len(ordered)
    middle = count // 2
    median = ordered[middle] if count % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    spread = _clean(ordered[-1] - ordered[0])
    return VoteStats(
        count=count,
        median=median,
        mean=sum(ordered) / count,
        min=ordered[0],
        max=ordered[-1],
        spread=spread,
        histogram=histogram,
        contested=spread >= scale.contested_spread,
    )


def _clean(value: Number) -> Number:
    return round(value, DIGITS) if isinstance(value, float) else value


def agreed_rating(rating: Rating | None) -> Number | None:
    """The consensus when the room set one, else the lower median of the votes."""
    if rating is None:
        return None
    if rating.consensus is not None:
        return rating.consensus
    return _lower_median(rating.vote_values)


def _lower_median(values: list[Number]) -> Number | None:
    values = sorted(values)
    return values[(len(values) - 1) // 2] if values else None


def agreed_trend(rating: Rating | None) -> Trend | None:
    """The room's trend when set, else the most common trend vote, "same" on a tie."""
    if rating is None:
        return None
    if rating.trend is not None:
        return rating.trend
    if not rating.trend_votes:  # most models ask for no trend: no Counter per rating
        return None
    ranked = Counter(rating.trend_values).most_common(2)
    if len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
        return "same"
    return ranked[0][0]


@dataclass(frozen=True, init=False)
class IndicatorScore:
    indicator: Indicator
    position: int
    """Index in the model's indicator order."""
    votes: Sequence[Number]
    scale: Scale
    """The indicator's own answers: its answer set, else the model's [scale]."""
    agreed: Number | None
    achieved: bool
    applicable: bool
    trend: Trend | None = None

    def __init__(
        self,
        indicator: Indicator,
        position: int,
        votes: Sequence[Number],
        scale: Scale,
        agreed: Number | None,
        achieved: bool,
        applicable: bool,
        trend: Trend | None = None,
    ) -> None:
        # The fields set at once: a frozen dataclass's own __init__ sets each one through
        # object.__setattr__, a third of scoring a session (one per indicator of each file).
        self.__dict__.update(
            indicator=indicator,
            position=position,
            votes=votes,
            scale=scale,
            agreed=agreed,
            achieved=achieved,
            applicable=applicable,
            trend=trend,
        )

    @cached_property
    def stats(self) -> VoteStats:
        """Computed on first use: comparing many sessions needs only the agreed ratings."""
        return vote_stats(self.votes, self.scale)

    @property
    def id(self) -> str:
        return self.indicator.id

    @property
    def level(self) -> int | None:
        """None in a board model, which has no levels."""
        return self.indicator.level

    @property
    def value_label(self) -> str | None:
        return None if self.agreed is None else self.scale.label(self.agreed)

    @property
    def color(self) -> Color | None:
        return self.scale.color(self.agreed)


@dataclass(frozen=True, slots=True)
class Standing:
    """Where a set of indicators places the team (the whole model, or one dimension)."""

    level: int
    next_level: int | None
    progress: float | None
    blocking: tuple[IndicatorScore, ...]
    """Blocking(next level): what stands between the team and the next level."""
    gates_passed: tuple[bool, ...]
    """For each level, lowest first, whether its gate has an empty blocking set."""


@dataclass(frozen=True, slots=True)
class Objective:
    kind: Literal["advancement", "indicator"]
    text: str
    indicator: IndicatorScore | None = None
    target: Number | None = None


@dataclass(frozen=True, slots=True)
class StreamScore:
    stream: str | None
    """None: the indicators of the dimension that name no stream."""
    score: float


@dataclass(frozen=True, slots=True)
class DimensionScore:
    id: str
    name: str
    standing: Standing | None
    """Staged models: the dimension's own level; None in score and board models."""
    group: str | None = None
    score: float | None = None
    """Score models: the mean of its streams' scores; None when no stream is left."""
    target: Number | None = None
    met: bool | None = None
    streams: tuple[StreamScore, ...] = ()


@dataclass(frozen=True, slots=True)
class GroupScore:
    id: str
    name: str
    score: float | None


@dataclass(frozen=True, slots=True)
class ReadingScore:
    metric: Metric
    reading: Reading
    target: int | float | None
    met: bool | None


@dataclass(frozen=True, slots=True)
class SessionScore:
    indicators: tuple[IndicatorScore, ...]
    standing: Standing | None
    """The overall placement; None when the model has none (score, board, overall_level off)."""
    objectives: tuple[Objective, ...]
    dimensions: tuple[DimensionScore, ...]
    readings: tuple[ReadingScore, ...]
    mode: Scoring = "staged"
    groups: tuple[GroupScore, ...] = ()
    score: float | None = None
    """Score models: the mean of the dimensions' scores."""
    board: BoardCounts | None = None

    @property
    def level(self) -> int | None:
        return self.standing.level if self.standing else None

    @property
    def next_level(self) -> int | None:
        return self.standing.next_level if self.standing else None

    @property
    def progress(self) -> float | None:
        return self.standing.progress if self.standing else None

    @property
    def unrated(self) -> list[IndicatorScore]:
        return [s for s in self.indicators if s.applicable and s.agreed is None]

    @property
    def dimension_levels(self) -> tuple[DimensionLevel, ...]:
        """Each dimension's level or score, as the library and comparisons keep them."""
        return tuple(
            DimensionLevel(d.id, d.name, d.standing.level if d.standing else None, d.score)
            for d in self.dimensions
        )

    @property
    def complete(self) -> bool:
        return not self.unrated

    @property
    def contested(self) -> list[IndicatorScore]:
        return [s for s in self.indicators if s.stats.contested]


def score_indicators(session: Session) -> tuple[IndicatorScore, ...]:
    model = session.model
    scores = []
    targets: dict[int, Number] = {}
    """Each scale's target by the scale's id: a model has a few scales for many indicators."""
    for position, indicator in enumerate(model.indicators):
        scale = model.scale_for(indicator.id)
        target = targets.get(id(scale))
        if target is None:
            target = targets[id(scale)] = scale.target
        rating = session.rating(indicator.id)
        if rating is None:
            scores.append(IndicatorScore(indicator, position, (), scale, None, False, True))
            continue
        votes = rating.vote_values
        agreed = rating.consensus if rating.consensus is not None else _lower_median(votes)
        scores.append(
            IndicatorScore(
                indicator,
                position,
                votes,
                scale,
                agreed,
                agreed is not None and agreed >= target,  # Scale.achieved
                rating.applicable,
                agreed_trend(rating),
            )
        )
    return tuple(scores)


# --- Staged models ----------------------------------------------------------------------------


def standing(scores: Sequence[IndicatorScore], levels: range) -> Standing:
    """Placement, next level and progress over the given indicators (DESIGN: scoring rules).

    `levels` are the model's level numbers, lowest first (from 0 or from 1).
    """
    first, top = levels.start, levels.stop - 1
    applicable_count = [0] * (top + 1)
    missing_by_level: list[list[IndicatorScore]] = [[] for _ in range(top + 1)]
    for score in scores:
        level = score.indicator.level
        if score.applicable and level is not None:
            applicable_count[level] += 1
            if not score.achieved:
                missing_by_level[level].append(score)
    # A gate passes while no level up to it misses anything: the passed gates come first.
    passed = 0
    while passed < len(levels) and not missing_by_level[first + passed]:
        passed += 1
    gates_passed = (True,) * passed + (False,) * (len(levels) - passed)
    level = first + passed - 1 if passed else first
    if level == top:
        return Standing(level, None, None, (), gates_passed)
    next_level = level + 1
    blocking = tuple(s for n in range(first, next_level + 1) for s in missing_by_level[n])
    # The next level's own indicators, plus lower-level gaps (which are all in blocking).
    counted = applicable_count[next_level] + len(blocking) - len(missing_by_level[next_level])
    progress = 1 - len(blocking) / counted
    return Standing(level, next_level, progress, blocking, gates_passed)


def _by_level_then_rating(scores: Iterable[IndicatorScore]) -> list[IndicatorScore]:
    """Level, then agreed rating (unrated first, then lowest), then model order."""
    return sorted(
        scores,
        key=lambda s: (s.level or 0, s.agreed is not None, s.agreed or 0, s.position),
    )


def _indicator_objectives(
    scores: Iterable[IndicatorScore], *, target_top: bool = False
) -> tuple[Objective, ...]:
    return tuple(
        Objective(
            "indicator",
            s.indicator.statement,
            s,
            s.scale.top if target_top else s.scale.target,
        )
        for s in scores
    )


def objectives(model: MaturityModel, placed: Standing) -> tuple[Objective, ...]:
    steps = [Objective("advancement", text) for text in model.level(placed.level).advancement]
    return tuple(steps) + _indicator_objectives(_by_level_then_rating(placed.blocking))


def dimension_objectives(dimensions: Sequence[DimensionScore]) -> tuple[Objective, ...]:
    """Staged without an overall level: each dimension's blocking set, dimension by dimension."""
    return tuple(
        objective
        for dimension in dimensions
        if dimension.standing is not None
        for objective in _indicator_objectives(_by_level_then_rating(dimension.standing.blocking))
    )


# --- Score models -----------------------------------------------------------------------------


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the known values; None when there are none (everything not applicable)."""
    known = [value for value in values if value is not None]
    return round(sum(known) / len(known), DIGITS) if known else None


def stream_scores(scores: Iterable[IndicatorScore]) -> tuple[StreamScore, ...]:
    """Each stream's sum of agreed values, in order of first appearance.

    An unrated indicator counts 0; a not-applicable one is left out, and a stream whose
    indicators are all not applicable with it.
    """
    sums: dict[str | None, float] = {}
    for score in scores:
        if score.applicable:
            stream = score.indicator.stream
            sums[stream] = sums.get(stream, 0.0) + (score.agreed or 0)
    return tuple(StreamScore(stream, round(total, DIGITS)) for stream, total in sums.items())


def score_objectives(
    dimensions: Sequence[DimensionScore], by_dimension: dict[str, list[IndicatorScore]]
) -> tuple[Objective, ...]:
    """For every dimension short of its target (or with none), what is not yet at the top."""
    return tuple(
        objective
        for dimension in dimensions
        if dimension.met is not True
        for objective in _indicator_objectives(
            _by_level_then_rating(
                s
                for s in by_dimension.get(dimension.id, ())
                if s.applicable and (s.agreed is None or s.agreed < s.scale.top)
            ),
            target_top=True,
        )
    )


def _score_dimensions(
    session: Session, by_dimension: dict[str, list[IndicatorScore]]
) -> tuple[DimensionScore, ...]:
    targets = session.targets or {}
    scored = []
    for dimension in session.model.dimensions:
        streams = stream_scores(by_dimension.get(dimension.id, ()))
        score = mean(stream.score for stream in streams)
        target = targets.get(dimension.id, dimension.target)
        met = None if score is None or target is None else score >= target
        scored.append(
            DimensionScore(
                dimension.id,
                dimension.name,
                None,
                dimension.group,
                score,
                target,
                met,
                streams,
            )
        )
    return tuple(scored)


# --- Board models -----------------------------------------------------------------------------

BOARD_ORDER: tuple[Color, ...] = ("red", "amber", "green")


def board_counts(scores: Iterable[IndicatorScore]) -> BoardCounts:
    applicable = [s for s in scores if s.applicable]
    colors = Counter(s.color for s in applicable if s.agreed is not None)
    unrated = sum(1 for s in applicable if s.agreed is None)
    return BoardCounts(colors["red"], colors["amber"], colors["green"], unrated)


def board_order(scores: Iterable[IndicatorScore]) -> list[IndicatorScore]:
    """The cards as a board shows them: red, amber, green, unrated, not applicable."""
    rank = {"red": 0, "amber": 1, "green": 2}
    return sorted(
        scores,
        key=lambda s: (
            not s.applicable,
            rank.get(s.color or "", 3),
            s.position,
        ),
    )


def board_objectives(scores: Sequence[IndicatorScore]) -> tuple[Objective, ...]:
    """The red cards, then the amber ones, in model order; not-applicable ones left out."""
    return tuple(
        Objective("indicator", s.indicator.statement, s, None)
        for color in ("red", "amber")
        for s in scores
        if s.applicable and s.color == color
    )


# --- A whole session --------------------------------------------------------------------------


def score_readings(session: Session) -> tuple[ReadingScore, ...]:
    scored = []
    for metric in session.model.metrics:
        reading = session.reading(metric.id)
        if reading is None:
            continue
        target = reading.target if reading.target is not None else metric.target
        met = None
        if (
            metric.kind == "quantitative"
            and target is not None
            and not isinstance(reading.value, str)
        ):
            met = reading.value >= target if metric.better == "higher" else reading.value <= target
        scored.append(ReadingScore(metric, reading, target, met))
    return tuple(scored)


def score_top(model: MaturityModel) -> float:
    """The highest score any dimension can reach: the far end of every score chart."""
    return max((model.score_range(d.id)[1] for d in model.dimensions), default=0.0) or 1.0


def score_session(session: Session) -> SessionScore:
    model = session.model
    indicators = score_indicators(session)
    by_dimension: dict[str, list[IndicatorScore]] = {}
    for score in indicators:
        if score.indicator.dimension is not None:
            by_dimension.setdefault(score.indicator.dimension, []).append(score)
    readings = score_readings(session)
    if model.mode == "board":
        return SessionScore(
            indicators,
            None,
            board_objectives(indicators),
            tuple(DimensionScore(d.id, d.name, None, d.group) for d in model.dimensions),
            readings,
            mode="board",
            groups=_score_groups(model, {}),
            board=board_counts(indicators),
        )
    if model.mode == "score":
        dimensions = _score_dimensions(session, by_dimension)
        return SessionScore(
            indicators,
            None,
            score_objectives(dimensions, by_dimension),
            dimensions,
            readings,
            mode="score",
            groups=_score_groups(model, {d.id: d.score for d in dimensions}),
            score=mean(d.score for d in dimensions),
        )
    levels = model.level_numbers
    dimensions = tuple(
        DimensionScore(
            dimension.id,
            dimension.name,
            standing(by_dimension.get(dimension.id, ()), levels),
            dimension.group,
        )
        for dimension in model.dimensions
    )
    placed = standing(indicators, levels) if model.places_overall else None
    return SessionScore(
        indicators,
        placed,
        objectives(model, placed) if placed else dimension_objectives(dimensions),
        dimensions,
        readings,
        groups=_score_groups(model, {}),
    )


def _score_groups(
    model: MaturityModel, dimension_scores: dict[str, float | None]
) -> tuple[GroupScore, ...]:
    """Each group with the mean of its dimensions' scores (score models; None otherwise)."""
    return tuple(
        GroupScore(
            group.id,
            group.name,
            mean(dimension_scores.get(d.id) for d in model.dimensions if d.group == group.id),
        )
        for group in model.groups or ()
    )
