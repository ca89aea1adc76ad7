"""The workshop as a room host: devices vote through the same `Workshop` rules as keystrokes.

A vote is acknowledged only once the autosave has written it: `SaveTracker` is where the
app's save worker reports the workshop revision it wrote, and where the room waits for it.
"""

from __future__ import annotations

import asyncio
import ssl
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import TypeVar

from maturity_tui.domain import Trend
from maturity_tui.domain.base import Number
from maturity_tui.domain.session import TrendVotes, Votes
from maturity_tui.room.host import (
    TRENDS,
    CurrentIndicator,
    OffScale,
    Point,
    RoomState,
    StaleIndicator,
    Tally,
    Voter,
    VoteRefused,
)
from maturity_tui.room.server import DEFAULT_PORT, Room
from maturity_tui.scoring import agreed_rating, agreed_trend, vote_stats
from maturity_tui.workshop import VotesLocked, Workshop, WorkshopError

V = TypeVar("V", Number, Trend)


class SaveTracker:
    """The newest workshop revision on disk; votes wait here before their 204."""

    def __init__(self) -> None:
        self.saved = -1
        self._loop = asyncio.get_running_loop()
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []

    def mark_saved(self, revision: int) -> None:
        """Called by whoever wrote the file, from any thread."""
        self._loop.call_soon_threadsafe(self._advance, revision)

    async def wait(self, revision: int) -> None:
        if revision <= self.saved:
            return
        future: asyncio.Future[None] = self._loop.create_future()
        self._waiters.append((revision, future))
        await future

    def _advance(self, revision: int) -> None:
        self.saved = max(self.saved, revision)
        waiting = []
        for wanted, future in self._waiters:
            if wanted <= self.saved:
                if not future.done():
                    future.set_result(None)
            else:
                waiting.append((wanted, future))
        self._waiters = waiting


class WorkshopHost:
    """`RoomHost` over a `Workshop`; `wait_saved(revision)` returns once that revision is saved.

    The host remembers what each device cast per indicator (vote and trend), and a device is
    shown only that: a vote the facilitator typed for a participant is theirs, not the
    device's, and stays hidden from it (even from a device that joins under that name
    later). In anonymous voting the session keeps bare values, so changing a vote takes that
    value back first.
    """

    def __init__(self, workshop: Workshop, wait_saved: Callable[[int], Awaitable[None]]) -> None:
        self.workshop = workshop
        self.wait_saved = wait_saved
        self._device_votes: dict[tuple[str, str], Number] = {}
        self._device_trends: dict[tuple[str, str], Trend] = {}

    def state(self) -> RoomState:
        w = self.workshop
        model = w.session.model
        indicator = w.indicator
        votes = w.votes()
        tally = None
        if w.revealed:
            stats = vote_stats(votes, w.scale)
            trends = Counter(w.trend_votes())
            tally = Tally(
                stats.count,
                tuple(stats.histogram.items()),
                stats.median,
                stats.spread,
                stats.contested,
                agreed_rating(w.rating),
                tuple((trend, trends[trend]) for trend in TRENDS),
                agreed_trend(w.rating),
            )
        level = None if indicator.level is None else model.level(indicator.level)
        return RoomState(
            team=w.session.team,
            voting=w.session.voting,
            participants=tuple(w.session.participants),
            indicator=CurrentIndicator(
                id=indicator.id,
                level=indicator.level,
                level_name=None if level is None else level.title,
                level_heading=None if level is None else level.heading,
                dimension=model.dimension_name(indicator.dimension),
                statement=indicator.statement,
                guidance=indicator.guidance,
                position=w.index + 1,
                total=len(w.indicators),
            ),
            scale=tuple(Point(p.value, p.label, p.color) for p in w.scale.points),
            revealed=w.revealed,
            voted=tuple(w.voted_participants()),
            vote_count=len(votes),
            tally=tally,
            asks_trend=w.asks_trend,
            trend_voted=tuple(w.trend_voted_participants()),
            trend_count=len(w.trend_votes()),
        )

    def vote_of(self, voter: Voter, indicator_id: str) -> Number | None:
        rating = self.workshop.session.rating(indicator_id)
        cast = self._device_votes.get((voter.device, indicator_id))
        return _still_cast(rating.votes if rating else None, voter, cast)

    def trend_of(self, voter: Voter, indicator_id: str) -> Trend | None:
        rating = self.workshop.session.rating(indicator_id)
        cast = self._device_trends.get((voter.device, indicator_id))
        return _still_cast(rating.trend_votes if rating else None, voter, cast)

    async def cast_vote(self, voter: Voter, indicator_id: str, value: Number) -> None:
        self._check_current(indicator_id)
        before = self.workshop.revision
        try:
            if voter.name is not None:
                self.workshop.cast(value, participant=voter.name)
            else:
                self._take_back(voter, indicator_id)
                self.workshop.cast(value)
        except VotesLocked as error:
            raise VoteRefused(str(error)) from None
        except WorkshopError as error:
            raise OffScale(str(error)) from None
        self._device_votes[voter.device, indicator_id] = value
        await self._saved_since(before)

    async def cast_trend(self, voter: Voter, indicator_id: str, trend: Trend) -> None:
        self._check_current(indicator_id)
        before = self.workshop.revision
        try:
            if voter.name is not None:
                self.workshop.cast_trend(trend, participant=voter.name)
            else:
                self._take_back_trend(voter, indicator_id)
                self.workshop.cast_trend(trend)
        except WorkshopError as error:  # locked after the reveal, or a model without trends
            raise VoteRefused(str(error)) from None
        self._device_trends[voter.device, indicator_id] = trend
        await self._saved_since(before)

    async def withdraw_vote(self, voter: Voter, indicator_id: str) -> None:
        """The device's vote and trend vote, both taken back."""
        self._check_current(indicator_id)
        before = self.workshop.revision
        try:
            if voter.name is not None:
                self.workshop.withdraw(participant=voter.name)
                self._device_votes.pop((voter.device, indicator_id), None)
                if self.workshop.asks_trend:
                    self.workshop.withdraw_trend(participant=voter.name)
                    self._device_trends.pop((voter.device, indicator_id), None)
            else:
                self._take_back(voter, indicator_id)
                self._take_back_trend(voter, indicator_id)
        except VotesLocked as error:
            raise VoteRefused(str(error)) from None
        await self._saved_since(before)

    async def _saved_since(self, before: int) -> None:
        """Wait for the save of what this call changed; nothing changed, nothing to wait for."""
        if self.workshop.revision != before:
            await self.wait_saved(self.workshop.revision)

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        self.workshop.on_change.append(listener)
        return lambda: self.workshop.on_change.remove(listener)

    def _check_current(self, indicator_id: str) -> None:
        if indicator_id != self.workshop.indicator.id:
            raise StaleIndicator(indicator_id)

    def _take_back(self, voter: Voter, indicator_id: str) -> None:
        previous = self._device_votes.get((voter.device, indicator_id))
        if previous is not None:
            self.workshop.withdraw(value=previous)  # may refuse: then the device keeps it
            del self._device_votes[voter.device, indicator_id]

    def _take_back_trend(self, voter: Voter, indicator_id: str) -> None:
        previous = self._device_trends.get((voter.device, indicator_id))
        if previous is not None:
            self.workshop.withdraw_trend(trend=previous)  # may refuse: the device keeps it
            del self._device_trends[voter.device, indicator_id]


def _still_cast(votes: Votes | TrendVotes | None, voter: Voter, cast: V | None) -> V | None:
    """What the device cast, if it is still among the votes: the facilitator may have undone
    it, typed another value over it, or started a re-vote."""
    if votes is None or cast is None:
        return None
    if isinstance(votes, dict):
        return cast if votes.get(voter.name or "") == cast else None
    return cast if cast in votes else None


async def open_room(
    workshop: Workshop,
    on_saved: list[Callable[[int], None]],
    *,
    bind: str | None = None,
    port: int = DEFAULT_PORT,
    code: str | None = None,
    public_url: str | None = None,
    behind_proxy: bool = False,
    tls: ssl.SSLContext | None = None,
) -> Room:
    """Open the room on the workshop, listening in the running loop; `room.stop()` closes it.

    `on_saved` is the autosave's list of listeners told each revision it wrote (from any
    thread): a device's vote is acknowledged only once a save holding it is on disk.
    """
    tracker = SaveTracker()
    room = Room(
        WorkshopHost(workshop, tracker.wait),
        code=code,
        public_url=public_url,
        behind_proxy=behind_proxy,
    )

    # Listening to the autosave only while the room is open, however often it reopens.
    async def listen(_app: object) -> None:
        on_saved.append(tracker.mark_saved)

    async def stop_listening(_app: object) -> None:
        on_saved.remove(tracker.mark_saved)

    room.app.on_startup.append(listen)
    room.app.on_cleanup.append(stop_listening)
    await room.start(bind, port, tls)
    return room
