"""DESIGN.md's scoring rules as pure functions: vote statistics, placement, objectives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from maturity_tui.domain import Indicator, MaturityModel, Metric, Rating, Reading, Scale, Session


@dataclass(frozen=True, slots=True)
class VoteStats:
    count: int
    median: float | None
    mean: float | None
    min: int | None
    max: int | None
    spread: int | None
    histogram: dict[int, int]
    """Votes per scale value, every scale value present, in scale order."""
    contested: bool


def vote_stats(values: Sequence[int], scale: Scale) -> VoteStats:
    histogram = dict.fromkeys(scale.values, 0)
    if not values:
        return VoteStats(0, None, None, None, None, None, histogram, False)
    ordered = sorted(values)
    for value in ordered:
        histogram[value] += 1
    count = len(ordered)
    middle = count // 2
    median = ordered[middle] if count % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    spread = ordered[-1] - ordered[0]
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


def agreed_rating(rating: Rating | None) -> int | None:
    """The consensus when the room set one, else the lower median of the votes."""
    if rating is None:
        return None
    if rating.consensus is not None:
        return rating.consensus
    values = sorted(rating.vote_values)
    return values[(len(values) - 1) // 2] if values else None


@dataclass(frozen=True)
class IndicatorScore:
    indicator: Indicator
    position: int
    """Index in the model's indicator order."""
    votes: Sequence[int]
    scale: Scale
    agreed: int | None
    achieved: bool
    applicable: bool

    @cached_property
    def stats(self) -> VoteStats:
        """Computed on first use: comparing many sessions needs only the agreed ratings."""
        return vote_stats(self.votes, self.scale)

    @property
    def id(self) -> str:
        return self.indicator.id

    @property
    def level(self) -> int:
        return self.indicator.level


@dataclass(frozen=True, slots=True)
class Standing:
    """Where a set of indicators places the team (the whole model, or one dimension)."""

    level: int
    next_level: int | None
    progress: float | None
    blocking: tuple[IndicatorScore, ...]
    """Blocking(next level): what stands between the team and the next level."""
    gates_passed: tuple[bool, ...]
    """For each level 1..N, whether its gate has an empty blocking set."""


@dataclass(frozen=True, slots=True)
class Objective:
    kind: Literal["advancement", "indicator"]
    text: str
    indicator: IndicatorScore | None = None
    target: int | None = None


@dataclass(frozen=True, slots=True)
class DimensionScore:
    id: str
    name: str
    standing: Standing


@dataclass(frozen=True, slots=True)
class ReadingScore:
    metric: Metric
    reading: Reading
    target: int | float | None
    met: bool | None


@dataclass(frozen=True, slots=True)
class SessionScore:
    indicators: tuple[IndicatorScore, ...]
    standing: Standing
    objectives: tuple[Objective, ...]
    dimensions: tuple[DimensionScore, ...]
    readings: tuple[ReadingScore, ...]

    @property
    def level(self) -> int:
        return self.standing.level

    @property
    def next_level(self) -> int | None:
        return self.standing.next_level

    @property
    def progress(self) -> float | None:
        return self.standing.progress

    @property
    def unrated(self) -> list[IndicatorScore]:
        return [s for s in self.indicators if s.applicable and s.agreed is None]

    @property
    def complete(self) -> bool:
        return not self.unrated

    @property
    def contested(self) -> list[IndicatorScore]:
        return [s for s in self.indicators if s.stats.contested]


def score_indicators(session: Session) -> tuple[IndicatorScore, ...]:
    scale = session.model.scale
    scores = []
    for position, indicator in enumerate(session.model.indicators):
        rating = session.rating(indicator.id)
        agreed = agreed_rating(rating)
        scores.append(
            IndicatorScore(
                indicator=indicator,
                position=position,
                votes=rating.vote_values if rating else (),
                scale=scale,
                agreed=agreed,
                achieved=agreed is not None and agreed >= scale.achieved_at,
                applicable=rating is None or rating.applicable,
            )
        )
    return tuple(scores)


def standing(scores: Sequence[IndicatorScore], top_level: int) -> Standing:
    """Placement, next level and progress over the given indicators (DESIGN: scoring rules)."""
    applicable_by_level: list[list[IndicatorScore]] = [[] for _ in range(top_level + 1)]
    for score in scores:
        if score.applicable:
            applicable_by_level[score.indicator.level].append(score)
    missing_by_level = [[s for s in group if not s.achieved] for group in applicable_by_level]
    gates_passed = []
    blocked = False
    for number in range(1, top_level + 1):
        blocked = blocked or bool(missing_by_level[number])
        gates_passed.append(not blocked)
    level = max([n for n, passed in enumerate(gates_passed, start=1) if passed], default=1)
    if level == top_level:
        return Standing(level, None, None, (), tuple(gates_passed))
    next_level = level + 1
    blocking = tuple(s for n in range(1, next_level + 1) for s in missing_by_level[n])
    # The next level's own indicators, plus lower-level gaps (which are all in blocking).
    counted = len(applicable_by_level[next_level]) + sum(
        len(missing_by_level[n]) for n in range(1, next_level)
    )
    progress = 1 - len(blocking) / counted
    return Standing(level, next_level, progress, blocking, tuple(gates_passed))


def objectives(model: MaturityModel, placed: Standing) -> tuple[Objective, ...]:
    steps = [Objective("advancement", text) for text in model.level(placed.level).advancement]
    target = model.scale.achieved_at
    ordered = sorted(
        placed.blocking,
        key=lambda s: (s.level, s.agreed is not None, s.agreed or 0, s.position),
    )
    return tuple(steps) + tuple(
        Objective("indicator", s.indicator.statement, s, target) for s in ordered
    )


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


def score_session(session: Session) -> SessionScore:
    model = session.model
    indicators = score_indicators(session)
    placed = standing(indicators, model.top_level)
    dimensions = tuple(
        DimensionScore(
            dimension.id,
            dimension.name,
            standing(
                [s for s in indicators if s.indicator.dimension == dimension.id], model.top_level
            ),
        )
        for dimension in model.dimensions
    )
    return SessionScore(
        indicators=indicators,
        standing=placed,
        objectives=objectives(model, placed),
        dimensions=dimensions,
        readings=score_readings(session),
    )
