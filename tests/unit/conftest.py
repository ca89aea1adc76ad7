"""Tiny hand-built models and sessions, so that each core test shows its whole case."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from maturity_tui.domain import MaturityModel, Session
from maturity_tui.storage import builtin_models

STARTED = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)

ModelBuilder = Callable[..., dict[str, Any]]
SessionBuilder = Callable[..., Session]


def tiny_model(
    indicators: dict[str, int] | None = None,
    *,
    levels: int = 3,
    dimensions: dict[str, str] | None = None,
    metrics: list[dict[str, Any]] | None = None,
    advancement: dict[int, list[str]] | None = None,
    achieved_at: int = 4,
    contested_spread: int = 2,
) -> dict[str, Any]:
    """A model file's data: `indicators` maps id -> level (model order is the dict's order).

    `dimensions` maps indicator id -> dimension id; the model gets exactly those dimensions.
    """
    indicators = indicators if indicators is not None else {"a": 1, "b": 2, "c": 2, "d": 3}
    advancement = advancement or {}
    data: dict[str, Any] = {
        "format": "maturity-model",
        "format_version": 1,
        "id": "tiny",
        "name": "Tiny",
        "version": "1",
        "scale": {
            "achieved_at": achieved_at,
            "contested_spread": contested_spread,
            "points": [{"value": v, "label": f"point {v}"} for v in range(1, 6)],
        },
        "levels": [
            {"number": n, "name": f"Level {n}", "advancement": advancement.get(n, [])}
            for n in range(1, levels + 1)
        ],
        "indicators": [
            {"id": i, "level": level, "statement": f"Statement {i}"}
            for i, level in indicators.items()
        ],
        "metrics": metrics or [],
    }
    if dimensions:
        data["dimensions"] = [
            {"id": d, "name": d.title()} for d in dict.fromkeys(dimensions.values())
        ]
        for indicator in data["indicators"]:
            indicator["dimension"] = dimensions[indicator["id"]]
    return data


def tiny_session(
    model: dict[str, Any] | None = None,
    ratings: dict[str, list[int] | dict[str, Any]] | None = None,
    *,
    readings: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A session file's data with anonymous voting.

    `ratings` maps indicator id -> its votes, or -> the rating's other keys as a dict.
    """
    rows = []
    for indicator, given in (ratings or {}).items():
        keys = {"votes": given} if isinstance(given, list) else given
        rows.append({"indicator": indicator, **keys})
    return {
        "format": "maturity-session",
        "format_version": 1,
        "id": "tiny-2026-q4",
        "team": "Tiny",
        "period": "2026-Q4",
        "started_at": STARTED,
        "updated_at": STARTED,
        "voting": "anonymous",
        "model": model if model is not None else tiny_model(),
        "ratings": rows,
        "readings": readings or [],
        **fields,
    }


@pytest.fixture
def make_model() -> ModelBuilder:
    return tiny_model


@pytest.fixture
def make_session() -> SessionBuilder:
    """A validated Session from tiny_session's arguments."""

    def build(*args: Any, **kwargs: Any) -> Session:
        return Session.model_validate(tiny_session(*args, **kwargs))

    return build


@pytest.fixture
def session_data() -> Callable[..., dict[str, Any]]:
    """tiny_session itself, for tests that break the data before validating it."""
    return tiny_session


@pytest.fixture(scope="session")
def model() -> MaturityModel:
    """The built-in model, for tests of a team's sessions over time (teamkit)."""
    return builtin_models()[0].model
