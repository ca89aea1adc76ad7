"""What the room server needs from whoever runs the workshop: a state to show, votes to take."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from maturity_tui.domain import Color
from maturity_tui.domain.base import Number

if TYPE_CHECKING:
    from maturity_tui.domain import Voting


class VoteRefused(Exception):
    """The host will not take this vote now (the indicator moved on, or its rules say no)."""


class StaleIndicator(VoteRefused):
    """The vote names an indicator that is no longer the current one."""


class OffScale(ValueError):
    """The value is not a point of the scale."""


@dataclass(frozen=True, slots=True)
class Voter:
    """A joined device: its own key, and in named voting the participant it votes as."""

    device: str
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Point:
    value: Number
    label: str
    color: Color | None = None


@dataclass(frozen=True, slots=True)
class CurrentIndicator:
    id: str
    level: int | None
    """None in a board model, which has no levels."""
    level_name: str | None
    dimension: str | None
    statement: str
    guidance: str | None
    position: int
    """1-based place in the model, shown as "3 of 20"."""
    total: int


@dataclass(frozen=True, slots=True)
class Tally:
    """The revealed votes: how many, per scale point, and the spread the room discusses."""

    count: int
    histogram: tuple[tuple[Number, int], ...]
    """(scale value, votes) for every scale value, in scale order."""
    median: float | None
    spread: Number | None
    contested: bool
    agreed: Number | None
    """What the room agreed: the facilitator's consensus, else the lower median."""


@dataclass(frozen=True, slots=True)
class RoomState:
    """One picture of the open session, the same for every device (`my_vote` aside)."""

    team: str
    voting: Voting
    participants: tuple[str, ...]
    indicator: CurrentIndicator | None
    scale: tuple[Point, ...]
    revealed: bool
    voted: tuple[str, ...]
    """Named voting: who has voted on the current indicator (names, never values)."""
    vote_count: int
    tally: Tally | None
    """Present only once revealed."""


class RoomHost(Protocol):
    """The workshop as the room sees it. Every method is called on the event loop's thread."""

    def state(self) -> RoomState: ...

    def vote_of(self, voter: Voter, indicator_id: str) -> Number | None: ...

    async def cast_vote(self, voter: Voter, indicator_id: str, value: Number) -> None:
        """Cast or change the voter's vote; returns once it is saved to disk.

        Raises StaleIndicator, OffScale or VoteRefused.
        """

    async def withdraw_vote(self, voter: Voter, indicator_id: str) -> None:
        """Take the voter's vote back (nothing happens if there is none); saved on return."""

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` after every change of the state; returns a function that stops it."""
