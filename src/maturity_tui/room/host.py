"""What the room server needs from whoever runs the workshop: a state to show, votes to take."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from maturity_tui.domain import Color, Trend
from maturity_tui.domain.base import Number

if TYPE_CHECKING:
    from maturity_tui.domain import Voting


TRENDS: tuple[Trend, ...] = ("up", "same", "down")
"""The trend votes, in the order pages and tallies show them."""


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
    level_heading: str | None
    """ "Level 2 Managed", or "Level 1" where the name only repeats the number (imports)."""
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
    trends: tuple[tuple[Trend, int], ...] = ()
    """Models with `trend = true`: (trend, votes) for up, same and down, in that order."""
    agreed_trend: Trend | None = None
    """The room's trend when set, else the most common trend vote ("same" on a tie)."""


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
    asks_trend: bool = False
    """The model has `trend = true`: devices also vote which way the indicator is going."""
    trend_voted: tuple[str, ...] = ()
    """Named voting: who has voted a trend (names, never trends)."""
    trend_count: int = 0


class RoomHost(Protocol):
    """The workshop as the room sees it. Every method is called on the event loop's thread."""

    def state(self) -> RoomState: ...

    def vote_of(self, voter: Voter, indicator_id: str) -> Number | None: ...

    def trend_of(self, voter: Voter, indicator_id: str) -> Trend | None: ...

    async def cast_vote(self, voter: Voter, indicator_id: str, value: Number) -> None:
        """Cast or change the voter's vote; returns once it is saved to disk.

        Raises StaleIndicator, OffScale or VoteRefused.
        """

    async def cast_trend(self, voter: Voter, indicator_id: str, trend: Trend) -> None:
        """Cast or change the voter's trend vote; returns once it is saved to disk.

        Raises StaleIndicator or VoteRefused (after the reveal, or a model without trends).
        """

    async def withdraw_vote(self, voter: Voter, indicator_id: str) -> None:
        """Take the voter's vote and trend vote back (nothing happens if there are none);
        saved on return."""

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` after every change of the state; returns a function that stops it."""
