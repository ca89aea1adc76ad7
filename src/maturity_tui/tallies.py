"""Counts that sessions, scores and every output share: a session's actions by status, a
board's cards by colour, a dimension's level or score.

Light on purpose (no domain models): a comparison read from the library's index counts with
these alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple, get_args

ActionStatus = Literal["open", "done", "dropped"]
ACTION_STATUSES: tuple[ActionStatus, ...] = get_args(ActionStatus)
"""In the order lists and counts show them."""


@dataclass(frozen=True, slots=True)
class BoardCounts:
    red: int
    amber: int
    green: int
    unrated: int


class DimensionLevel(NamedTuple):
    """Where a session places one dimension, as the library and comparisons keep it."""

    id: str
    name: str
    level: int | None
    """Staged models: the dimension's own level; None in score and board models."""
    score: float | None = None
    """Score models: the dimension's score."""
