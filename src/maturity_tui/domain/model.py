"""The maturity model format: levels, dimensions, indicators, answer sets and metrics.

Format 1 is one shape: staged levels and one integer scale. Format 2 adds what published
models need (DESIGN: "Format 2"): score and board models, decimal answers, named answer
sets, groups, streams, colours, trends. Every format-2 key defaults to None, so a format-1
model is dumped exactly as it was read and older releases can still open it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any, Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from maturity_tui.domain.base import (
    NonBlank,
    Number,
    Slug,
    Strict,
    beyond_limit,
    check_format,
    private,
    require_unique,
)

MODEL_FORMAT = "maturity-model"
MODEL_FORMAT_VERSION = 2

Scoring = Literal["staged", "score", "board"]
Color = Literal["red", "amber", "green"]

SHORT_NAME_MAX_LENGTH = 12


class ScalePoint(Strict):
    value: Number
    label: NonBlank
    color: Color | None = Field(None, description="Required on every point of a board model.")


class _Points(Strict):
    """What the default scale and a named answer set share: points and what counts."""

    achieved_at: Number | None = Field(
        None,
        description="An agreed rating at or above this value is achieved (required when staged).",
    )
    points: list[ScalePoint] = Field(min_length=2)

    _value_set: frozenset[Number] = PrivateAttr(default_factory=frozenset)

    @model_validator(mode="after")
    def _ascending_and_achievable(self) -> _Points:
        values = self.values
        if any(later <= earlier for earlier, later in itertools.pairwise(values)):
            raise ValueError(f"{self.what} values must be strictly ascending, found {values}")
        if beyond_limit(values[0]) or beyond_limit(values[-1]):
            raise ValueError(f"{self.what} values must lie within ±10^15, found {values}")
        if self.achieved_at is not None and self.achieved_at not in values:
            raise ValueError(
                f"achieved_at {self.achieved_at} is not a value of the {self.what} {values}"
            )
        # 1 and 1.0 hash alike, so a TOML integer vote matches a decimal value of that amount.
        self._value_set = frozenset(values)
        return self

    @property
    def what(self) -> str:
        return "scale"

    @property
    def values(self) -> list[Number]:
        return [point.value for point in self.points]

    def allows(self, value: Number) -> bool:
        return value in private(self, "_value_set")

    def allows_all(self, values: Iterable[Number]) -> bool:
        allowed: frozenset[Number] = private(self, "_value_set")
        return allowed.issuperset(values)


class Scale(_Points):
    """An indicator's answers, resolved: the default [scale], or a named answer set."""

    contested_spread: Number = Field(
        gt=0, description="Votes whose max - min reaches this are contested."
    )

    _answer_set: str | None = PrivateAttr(None)

    @property
    def answer_set(self) -> str | None:
        """The answer set's id; None for the model's default [scale]."""
        return self._answer_set

    @property
    def what(self) -> str:
        return f"answer set {self._answer_set}" if self._answer_set else "scale"

    @property
    def bottom(self) -> Number:
        return self.points[0].value

    @property
    def top(self) -> Number:
        return self.points[-1].value

    @property
    def target(self) -> Number:
        """What an answer must reach to count as achieved: achieved_at, else the top value."""
        return self.top if self.achieved_at is None else self.achieved_at

    def achieved(self, value: Number | None) -> bool:
        return value is not None and value >= self.target

    def point(self, value: Number) -> ScalePoint | None:
        return next((p for p in self.points if p.value == value), None)

    def label(self, value: Number) -> str:
        point = self.point(value)
        return point.label if point else str(value)

    def color(self, value: Number | None) -> Color | None:
        point = None if value is None else self.point(value)
        return point.color if point else None

    def value_at(self, position: int) -> Number | None:
        """The scale value at a 1-based position (the digit key pressed), if there is one."""
        return self.points[position - 1].value if 1 <= position <= len(self.points) else None


class AnswerSet(_Points):
    """A named scale for indicators whose answers differ from the default [scale]."""

    id: Slug
    contested_spread: Number | None = Field(None, gt=0, description="Default: [scale]'s.")

    @property
    def what(self) -> str:
        return f"answer set {self.id}"

    def resolved(self, default: Scale) -> Scale:
        spread = (
            default.contested_spread if self.contested_spread is None else self.contested_spread
        )
        scale = Scale(achieved_at=self.achieved_at, contested_spread=spread, points=self.points)
        scale._answer_set = self.id
        return scale


class Level(Strict):
    number: int
    name: NonBlank
    alias: NonBlank | None = None
    characteristics: list[str] = []
    outcomes: list[str] = []
    signs: list[str] = []
    advancement: list[str] = []

    @property
    def title(self) -> str:
        return f"{self.name} ({self.alias})" if self.alias else self.name

    @property
    def named(self) -> bool:
        """Whether the title says more than the number: importers name levels "Level N"."""
        return self.title.strip().casefold() != f"level {self.number}"

    @property
    def heading(self) -> str:
        """ "Level 2 Managed", or "Level 2" where the name would only repeat it."""
        return f"Level {self.number} {self.title}" if self.named else f"Level {self.number}"


class Group(Strict):
    """A level above dimensions: SAMM's business functions, DSOMM's dimensions."""

    id: Slug
    name: NonBlank
    description: str | None = None


class Dimension(Strict):
    id: Slug
    name: NonBlank
    description: str | None = None
    short_name: NonBlank | None = Field(
        None,
        max_length=SHORT_NAME_MAX_LENGTH,
        description="Grids use it when the name does not fit.",
    )
    group: Slug | None = None
    target: Number | None = Field(None, description="Score models: the score this aims at.")

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Link(Strict):
    title: NonBlank
    url: NonBlank


class Source(Strict):
    """Where a model was published: shown, and kept with every session that copies it."""

    name: NonBlank
    version: str | None = None
    url: str | None = None
    license: str | None = None

    @property
    def attribution(self) -> str:
        """ "OWASP SAMM 2.0, licence CC BY-SA 4.0, https://owaspsamm.org": how outputs credit it."""
        parts = [f"{self.name} {self.version}" if self.version else self.name]
        if self.license:
            parts.append(f"licence {self.license}")
        if self.url:
            parts.append(self.url)
        return ", ".join(parts)


class Indicator(Strict):
    id: Slug
    level: int | None = Field(None, description="Absent in a board model, required otherwise.")
    dimension: Slug | None = None
    statement: NonBlank
    guidance: str | None = None
    stream: NonBlank | None = Field(None, description="A strand within a dimension.")
    answers: Slug | None = Field(None, description="An answer set id; default: [scale].")
    ref: NonBlank | None = Field(None, description="The source's own id for this item.")
    depends_on: list[Slug] | None = Field(None, description="Shown, never scored.")
    links: list[Link] | None = None


class Metric(Strict):
    id: Slug
    name: NonBlank
    kind: Literal["quantitative", "qualitative"]
    unit: str | None = None
    min: Number | None = None
    max: Number | None = None
    better: Literal["higher", "lower"] = "higher"
    target: Number | None = None

    @model_validator(mode="after")
    def _consistent_bounds(self) -> Metric:
        if self.kind == "qualitative" and (
            self.min is not None or self.max is not None or self.target is not None
        ):
            raise ValueError(f"qualitative metric {self.id} cannot have min, max or target")
        for label, number in (("min", self.min), ("max", self.max), ("target", self.target)):
            if beyond_limit(number):
                raise ValueError(f"metric {self.id}: {label} {number} is beyond ±10^15")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"metric {self.id}: min {self.min} is above max {self.max}")
        if self.target is not None and not self.in_range(self.target):
            raise ValueError(f"metric {self.id}: target {self.target} lies outside min/max")
        return self

    def in_range(self, value: Number) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


class MaturityModel(Strict):
    format: Literal["maturity-model"]
    format_version: int = Field(ge=1)
    id: Slug
    name: NonBlank
    version: NonBlank
    description: str | None = None
    scoring: Scoring | None = Field(None, description='Format 2; absent means "staged".')
    overall_level: bool | None = Field(
        None, description="Staged only: false = dimension levels only, no overall placement."
    )
    trend: bool | None = Field(None, description="The room also votes a trend per indicator.")
    source: Source | None = None
    scale: Scale
    answer_sets: list[AnswerSet] | None = None
    levels: list[Level] = []
    groups: list[Group] | None = None
    dimensions: list[Dimension] = []
    indicators: list[Indicator] = Field(min_length=1)
    metrics: list[Metric] = []

    _indicators_by_id: dict[str, Indicator] = PrivateAttr(default_factory=dict)
    _metrics_by_id: dict[str, Metric] = PrivateAttr(default_factory=dict)
    _scales_by_indicator: dict[str, Scale] = PrivateAttr(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _known_format(cls, data: Any) -> Any:
        return check_format(data, MODEL_FORMAT, MODEL_FORMAT_VERSION)

    @field_validator("levels")
    @classmethod
    def _levels_numbered(cls, levels: list[Level]) -> list[Level]:
        numbers = [level.number for level in levels]
        first = 0 if numbers[:1] == [0] else 1
        expected = list(range(first, first + len(levels)))
        if numbers != expected:
            raise ValueError(
                f"levels must be numbered {first}..{first + len(levels) - 1} in order, "
                f"found {numbers}"
            )
        return levels

    @model_validator(mode="after")
    def _references(self) -> MaturityModel:
        if private(self, "_indicators_by_id"):
            # An instance checked when it was built (pydantic runs this again for a model
            # passed in as an instance, as storage passes a copy shared by many sessions).
            return self
        if self.format_version < 2:
            feature = next(self._format_2_features(), None)
            if feature:
                raise ValueError(
                    f"{feature} needs format_version = 2 (this file says format_version = 1)"
                )
        require_unique("indicator ids", (i.id for i in self.indicators))
        require_unique("dimension ids", (d.id for d in self.dimensions))
        require_unique("group ids", (g.id for g in self.groups or ()))
        require_unique("answer set ids", (a.id for a in self.answer_sets or ()))
        require_unique("metric ids", (m.id for m in self.metrics))
        scales = self._check_scoring()
        self._check_dimensions()
        self._scales_by_indicator = {}
        dimension_ids = {d.id for d in self.dimensions}
        for indicator in self.indicators:
            self._check_indicator(indicator, scales, dimension_ids)
            self._scales_by_indicator[indicator.id] = scales[indicator.answers]
        self._check_dependencies()
        used = {i.dimension for i in self.indicators}
        empty = [d.id for d in self.dimensions if d.id not in used]
        if empty:
            raise ValueError(f"dimension without indicators: {', '.join(empty)}")
        self._indicators_by_id = {i.id: i for i in self.indicators}
        self._metrics_by_id = {m.id: m for m in self.metrics}
        for dimension in self.dimensions:
            self._check_target(dimension.id, dimension.target)
        return self

    def _format_2_features(self) -> Iterator[str]:
        """What a format-1 file may not say, named the way the file says it."""
        for key in ("scoring", "overall_level", "trend", "source", "answer_sets", "groups"):
            if getattr(self, key) is not None:
                yield key
        if self.levels and self.levels[0].number == 0:
            yield "a level numbered 0"
        for point in self.scale.points:
            if point.color is not None:
                yield "a scale point's color"
            if isinstance(point.value, float):
                yield f"the decimal scale value {point.value}"
        for name, number in (
            ("achieved_at", self.scale.achieved_at),
            ("contested_spread", self.scale.contested_spread),
        ):
            if isinstance(number, float):
                yield f"the decimal {name} {number}"
        for dimension in self.dimensions:
            for key in ("short_name", "group", "target"):
                if getattr(dimension, key) is not None:
                    yield f"dimension {dimension.id}'s {key}"
        for indicator in self.indicators:
            if indicator.level is None:
                yield f"indicator {indicator.id} without a level"
            for key in ("stream", "answers", "ref", "depends_on", "links"):
                if getattr(indicator, key) is not None:
                    yield f"indicator {indicator.id}'s {key}"

    def _check_scoring(self) -> dict[str | None, Scale]:
        """The mode's own rules; returns every answer set resolved, by id (None: [scale])."""
        mode = self.mode
        if self.overall_level is not None and mode != "staged":
            raise ValueError(f"overall_level applies only to staged models (this one is {mode})")
        sets: list[_Points] = [self.scale, *(self.answer_sets or ())]
        if mode == "staged":
            missing = [s.what for s in sets if s.achieved_at is None]
            if missing:
                raise ValueError(f"a staged model needs achieved_at in {', '.join(missing)}")
        if mode == "board":
            if self.levels:
                raise ValueError("a board model has no levels")
            for answers in sets:
                uncolored = [p.value for p in answers.points if p.color is None]
                if uncolored:
                    raise ValueError(
                        f"a board model needs a color on every point: {answers.what} "
                        f"value {uncolored[0]} has none"
                    )
        elif not self.levels:
            raise ValueError(f"levels: a {mode} model needs at least one level")
        if mode == "score" and not self.dimensions:
            raise ValueError("a score model needs dimensions: it scores each of them")
        scales: dict[str | None, Scale] = {None: self.scale}
        for answer_set in self.answer_sets or ():
            scales[answer_set.id] = answer_set.resolved(self.scale)
        return scales

    def _check_dimensions(self) -> None:
        group_ids = {g.id for g in self.groups or ()}
        for dimension in self.dimensions:
            if group_ids and dimension.group is None:
                raise ValueError(f"dimension {dimension.id} needs a group: the model has them")
            if dimension.group is not None and dimension.group not in group_ids:
                raise ValueError(f"dimension {dimension.id} names unknown group {dimension.group}")
            if dimension.target is not None and self.mode != "score":
                raise ValueError(f"dimension {dimension.id}: a target needs a score model")

    def _check_indicator(
        self, indicator: Indicator, scales: dict[str | None, Scale], dimension_ids: set[str]
    ) -> None:
        if self.mode == "board":
            if indicator.level is not None:
                raise ValueError(
                    f"indicator {indicator.id} has a level: a board model has no levels"
                )
        elif indicator.level is None:
            raise ValueError(f"indicator {indicator.id} needs a level")
        elif not self.first_level <= indicator.level <= self.top_level:
            raise ValueError(
                f"indicator {indicator.id} is on level {indicator.level}, "
                f"which does not exist (levels {self.first_level}..{self.top_level})"
            )
        if dimension_ids and indicator.dimension is None:
            raise ValueError(f"indicator {indicator.id} needs a dimension: the model has them")
        if indicator.dimension is not None and indicator.dimension not in dimension_ids:
            raise ValueError(
                f"indicator {indicator.id} names unknown dimension {indicator.dimension}"
            )
        if indicator.answers not in scales:
            raise ValueError(
                f"indicator {indicator.id} names unknown answer set {indicator.answers}"
            )

    def _check_dependencies(self) -> None:
        """Every depends_on names a known indicator, and following them never comes back."""
        needs = {i.id: i.depends_on or [] for i in self.indicators}
        for indicator_id, wanted in needs.items():
            unknown = [w for w in wanted if w not in needs]
            if unknown:
                raise ValueError(
                    f"indicator {indicator_id} depends on unknown indicator {unknown[0]}"
                )
        cycle = find_cycle(needs)
        if cycle:
            raise ValueError(f"depends_on makes a cycle: {' -> '.join(cycle)}")

    def _check_target(self, dimension_id: str, target: Number | None, where: str = "") -> None:
        if target is None:
            return
        low, high = self.score_range(dimension_id)
        if not low <= target <= high:
            raise ValueError(
                f"{where}dimension {dimension_id}: target {target} lies outside its possible "
                f"scores {low:g}..{high:g}"
            )

    def check_targets(self, targets: dict[str, Number]) -> None:
        """A session's recalibrated targets: score models only, known dimensions, in range."""
        if targets and self.mode != "score":
            raise ValueError("targets need a score model")
        known = {d.id for d in self.dimensions}
        for dimension_id, target in targets.items():
            if dimension_id not in known:
                raise ValueError(f"targets names unknown dimension {dimension_id}")
            self._check_target(dimension_id, target, "targets: ")

    def score_range(self, dimension_id: str) -> tuple[float, float]:
        """The lowest and highest score a dimension can have with every indicator applicable.

        A stream sums its answers and a dimension averages its streams (DESIGN: score
        models), so the bounds are the mean over streams of the sums of bottoms and tops.
        """
        streams: dict[str | None, list[float]] = {}
        for indicator in self.indicators:
            if indicator.dimension == dimension_id:
                scale = self._scales_by_indicator[indicator.id]
                sums = streams.setdefault(indicator.stream, [0.0, 0.0])
                sums[0] += scale.bottom
                sums[1] += scale.top
        if not streams:
            return (0.0, 0.0)
        count = len(streams)
        return (
            sum(low for low, _ in streams.values()) / count,
            sum(high for _, high in streams.values()) / count,
        )

    @property
    def mode(self) -> Scoring:
        return self.scoring or "staged"

    @property
    def places_overall(self) -> bool:
        """Whether the model has an overall level: staged, unless overall_level = false."""
        return self.mode == "staged" and self.overall_level is not False

    @property
    def asks_trend(self) -> bool:
        return bool(self.trend)

    def indicator(self, indicator_id: str) -> Indicator | None:
        found: Indicator | None = private(self, "_indicators_by_id").get(indicator_id)
        return found

    def metric(self, metric_id: str) -> Metric | None:
        found: Metric | None = private(self, "_metrics_by_id").get(metric_id)
        return found

    def scale_for(self, indicator_id: str) -> Scale:
        """The answers an indicator takes: its answer set, else the default [scale]."""
        found: Scale = private(self, "_scales_by_indicator").get(indicator_id, self.scale)
        return found

    def level(self, number: int) -> Level:
        return self.levels[number - self.first_level]

    @property
    def first_level(self) -> int:
        return self.levels[0].number if self.levels else 1

    @property
    def top_level(self) -> int:
        return self.levels[-1].number if self.levels else 0

    @property
    def level_numbers(self) -> range:
        return range(self.first_level, self.top_level + 1)

    def dimension_name(self, dimension_id: str | None) -> str | None:
        return next((d.name for d in self.dimensions if d.id == dimension_id), None)


def find_cycle(needs: dict[str, list[str]]) -> list[str] | None:
    """A path that comes back to where it started (a -> b -> a), or None: a depth-first walk."""
    visiting, done = 1, 2
    state: dict[str, int] = {}
    for start in needs:
        if start in state:
            continue
        path, state[start] = [start], visiting
        stack = [iter(needs[start])]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
                state[path.pop()] = done
            elif state.get(step) == visiting:
                return [*path[path.index(step) :], step]
            elif step not in state:
                state[step] = visiting
                path.append(step)
                stack.append(iter(needs[step]))
    return None
