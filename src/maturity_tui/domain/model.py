"""The maturity model format: levels, dimensions, indicators, the vote scale and metrics."""

from __future__ import annotations

import itertools
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
MODEL_FORMAT_VERSION = 1


class ScalePoint(Strict):
    value: int
    label: NonBlank


class Scale(Strict):
    achieved_at: int = Field(description="An agreed rating at or above this value is achieved.")
    contested_spread: int = Field(
        ge=1, description="Votes whose max - min reaches this are contested."
    )
    points: list[ScalePoint] = Field(min_length=2)

    @model_validator(mode="after")
    def _ascending_and_achievable(self) -> Scale:
        values = self.values
        if any(later <= earlier for earlier, later in itertools.pairwise(values)):
            raise ValueError("scale values must be strictly ascending integers")
        if beyond_limit(values[0]) or beyond_limit(values[-1]):
            raise ValueError(f"scale values must lie within ±10^15, found {values}")
        if self.achieved_at not in values:
            raise ValueError(f"achieved_at {self.achieved_at} is not a value of the scale {values}")
        return self

    @property
    def values(self) -> list[int]:
        return [point.value for point in self.points]

    def label(self, value: int) -> str:
        return next((p.label for p in self.points if p.value == value), str(value))

    def value_at(self, position: int) -> int | None:
        """The scale value at a 1-based position (the digit key pressed), if there is one."""
        return self.points[position - 1].value if 1 <= position <= len(self.points) else None


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


class Dimension(Strict):
    id: Slug
    name: NonBlank
    description: str | None = None


class Indicator(Strict):
    id: Slug
    level: int
    dimension: Slug | None = None
    statement: NonBlank
    guidance: str | None = None


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
    scale: Scale
    levels: list[Level] = Field(min_length=1)
    dimensions: list[Dimension] = []
    indicators: list[Indicator] = Field(min_length=1)
    metrics: list[Metric] = []

    _indicators_by_id: dict[str, Indicator] = PrivateAttr(default_factory=dict)
    _metrics_by_id: dict[str, Metric] = PrivateAttr(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _known_format(cls, data: Any) -> Any:
        return check_format(data, MODEL_FORMAT, MODEL_FORMAT_VERSION)

    @field_validator("levels")
    @classmethod
    def _levels_numbered(cls, levels: list[Level]) -> list[Level]:
        numbers = [level.number for level in levels]
        if numbers != list(range(1, len(levels) + 1)):
            raise ValueError(f"levels must be numbered 1..{len(levels)} in order, found {numbers}")
        return levels

    @model_validator(mode="after")
    def _references(self) -> MaturityModel:
        if private(self, "_indicators_by_id"):
            # An instance checked when it was built (pydantic runs this again for a model
            # passed in as an instance, as storage passes a copy shared by many sessions).
            return self
        require_unique("indicator ids", (i.id for i in self.indicators))
        require_unique("dimension ids", (d.id for d in self.dimensions))
        require_unique("metric ids", (m.id for m in self.metrics))
        top = len(self.levels)
        dimension_ids = {d.id for d in self.dimensions}
        for indicator in self.indicators:
            if not 1 <= indicator.level <= top:
                raise ValueError(
                    f"indicator {indicator.id} is on level {indicator.level}, "
                    f"which does not exist (levels 1..{top})"
                )
            if dimension_ids and indicator.dimension is None:
                raise ValueError(f"indicator {indicator.id} needs a dimension: the model has them")
            if indicator.dimension is not None and indicator.dimension not in dimension_ids:
                raise ValueError(
                    f"indicator {indicator.id} names unknown dimension {indicator.dimension}"
                )
        used = {i.dimension for i in self.indicators}
        empty = [d.id for d in self.dimensions if d.id not in used]
        if empty:
            raise ValueError(f"dimension without indicators: {', '.join(empty)}")
        self._indicators_by_id = {i.id: i for i in self.indicators}
        self._metrics_by_id = {m.id: m for m in self.metrics}
        return self

    def indicator(self, indicator_id: str) -> Indicator | None:
        found: Indicator | None = private(self, "_indicators_by_id").get(indicator_id)
        return found

    def metric(self, metric_id: str) -> Metric | None:
        found: Metric | None = private(self, "_metrics_by_id").get(metric_id)
        return found

    def level(self, number: int) -> Level:
        return self.levels[number - 1]

    @property
    def top_level(self) -> int:
        return len(self.levels)

    def dimension_name(self, dimension_id: str | None) -> str | None:
        return next((d.name for d in self.dimensions if d.id == dimension_id), None)
