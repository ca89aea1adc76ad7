"""Counts that sessions, scores and every output share: a session's actions by status, a
board's cards by colour.

Light on purpose (no domain models): a comparison read from the library's index counts with
these alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

ActionStatus = Literal["open", "done", "dropped"]
ACTION_STATUSES: tuple[ActionStatus, ...] = get_args(ActionStatus)
"""In the order lists and counts show them."""


@dataclass(frozen=True, slots=True)
class BoardCounts:
    red: int
    amber: int
    green: int
    unrated: int
