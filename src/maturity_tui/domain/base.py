"""Shared building blocks of the file formats: strict models, slugs, numbers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, FiniteFloat, StringConstraints

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

SLUG_MAX_LENGTH = 80

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=SLUG_MAX_LENGTH)]
"""Lowercase letters, digits and single dashes: safe as a file name stem and as an id."""

NON_BLANK_PATTERN = r"\S"

NonBlank = Annotated[str, StringConstraints(min_length=1, pattern=NON_BLANK_PATTERN)]
"""User text that must say something; kept byte for byte, never stripped or interpreted."""

Number = int | FiniteFloat
"""TOML allows nan and inf; neither is a reading, a bound or a target (nor valid JSON)."""

NUMBER_LIMIT = 10**15
"""Readings, targets, metric bounds and scale values lie within ±10^15: the difference of
any two is then finite (and exact for integers). ±1.7e308 are finite, yet their delta is
infinite and a sparkline of them NaN."""


def beyond_limit(number: float | None) -> bool:
    return number is not None and not -NUMBER_LIMIT <= number <= NUMBER_LIMIT


class Strict(BaseModel):
    """TOML carries its own types: nothing is coerced and unknown keys are errors."""

    model_config = ConfigDict(strict=True, extra="forbid")


def private(model: BaseModel, name: str) -> Any:
    """A private attribute read straight from pydantic's store, for lookups in hot loops.

    `self._name` first fails the normal attribute lookup, then goes through
    `BaseModel.__getattr__`: about 6 µs a read (pydantic 2.14) against 0.15 µs here, and
    scoring reads a rating index once per indicator of every session it compares.
    """
    store = model.__pydantic_private__
    assert store is not None, "pydantic sets the store up for models with private attributes"
    return store[name]


def duplicates(values: Iterable[object]) -> list[object]:
    """The values that occur more than once, in first-seen order."""
    seen = list(values)
    if len(set(seen)) == len(seen):
        return []  # the usual case, several times per session loaded: no Counter needed
    return [value for value, count in Counter(seen).items() if count > 1]


def require_unique(what: str, values: Iterable[object]) -> None:
    repeated = duplicates(values)
    if repeated:
        raise ValueError(f"duplicate {what}: {', '.join(map(str, repeated))}")


def check_format(data: object, expected: str, supported_version: int) -> object:
    """Reject another kind of file, or one from a newer release, before field-by-field checks.

    Without this a newer file would fail with a pile of confusing field errors.
    """
    if not isinstance(data, dict):
        return data
    found = data.get("format")
    if found is None:
        raise ValueError(f'not a {expected} file (it has no format = "{expected}" line)')
    if found != expected:
        raise ValueError(f'not a {expected} file (format = "{found}"; expected "{expected}")')
    version = data.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > supported_version:
        raise ValueError(
            f"format_version {version} was made by a newer version of maturity-tui "
            f"(this one reads up to {supported_version}); upgrade maturity-tui to open it"
        )
    return data
