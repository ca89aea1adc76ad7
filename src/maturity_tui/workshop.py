"""The live workshop as a state machine: votes, reveal, consensus and actions on one session.

Both the Textual app and the room server drive a `Workshop`; neither edits the session
directly, so the rules live in one place. Listeners in `on_change` hear about every
mutation, which is how the app autosaves and the room pushes state.

The rules (DESIGN, "Non-negotiables"):
- **Hidden until the reveal.** While the current indicator's votes are hidden
  (`voting_on`), nothing shows any value of them or anything derived from them. Screens,
  dialogs, exports and the room ask `shown_session()` (the session without those votes)
  and `voting_on` (to mark that indicator "voting"); only the voting screen's count and
  who-has-voted read the live votes.
- **Locked after the reveal.** `reveal()` locks the current indicator's votes: casting,
  undoing or withdrawing raises `VotesLocked` until `revote()` clears the round (votes and
  consensus) and hides again. Moving on from an indicator that has votes reveals it (the
  room has moved on); of the votes read from a file, a round that looks finished counts
  as revealed and an unfinished one (a crash mid-vote) resumes hidden.
- **No vote replaces another's.** A vote from the keyboard goes to the highlighted
  participant; the highlight moves only to those who have not voted, and is None once
  everyone at the keyboard has: then a digit raises `NobodyChosen`, until the facilitator
  picks someone (`highlight`, `move_highlight`), whose vote the next digit then changes.
- **Trend votes** (models with `trend = true`) are a second vote on the same indicator,
  shaped like the rating's votes and under the same rules: hidden until the reveal,
  locked after it, cleared by a re-vote, undone by `undo_last`. A participant has
  finished voting once they gave a rating and, when the model asks, a trend: the
  highlight stays on them until then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal, TypeVar

from maturity_tui import history, readings
from maturity_tui.domain import Action, Indicator, Rating, Reading, Scale, Session
from maturity_tui.domain.base import Number
from maturity_tui.domain.session import HEAD_COUNT_MAX, Trend, TrendVotes, Votes, session_datetime
from maturity_tui.domain.session import ActionStatus as ActionStatus  # re-exported for screens
from maturity_tui.scoring import agreed_rating

T = TypeVar("T")


class WorkshopError(ValueError):
    """A request the workshop refuses (a vote off the scale, an unknown participant…)."""


class VotesLocked(WorkshopError):
    """The current indicator's votes are revealed: they stay as cast until `revote()`."""

    def __init__(self) -> None:
        super().__init__("the votes are revealed: they are locked until a re-vote")


class NobodyChosen(WorkshopError):
    """Named voting from the keyboard once everyone there has voted: a vote goes nowhere
    until the facilitator picks whose vote to change."""

    def __init__(self) -> None:
        super().__init__("everyone has voted: pick a participant to change a vote")


@dataclass(frozen=True, slots=True)
class Cast:
    """One vote as cast, enough to undo it: who (named mode) and what they had before."""

    participant: str | None
    value: Number
    previous: Number | None = None


@dataclass(frozen=True, slots=True)
class TrendCast:
    """One trend vote as cast, enough to undo it: who (named mode) and what they had before."""

    participant: str | None
    value: Trend
    previous: Trend | None = None


AnyCast = TypeVar("AnyCast", Cast, TrendCast)


def utc_now() -> datetime:
    return datetime.now(UTC)


def _without_last(values: list[T], value: T) -> list[T]:
    """The values with the last occurrence of `value` taken out (it must be there)."""
    last = len(values) - 1 - values[::-1].index(value)
    return values[:last] + values[last + 1 :]


def _vote_of(votes: dict[str, T] | list[T] | None, participant: str | None) -> T | None:
    """`participant`'s vote before this one (None in anonymous voting)."""
    return votes.get(participant) if isinstance(votes, dict) and participant else None


def _with_vote(
    votes: dict[str, T] | list[T] | None, participant: str | None, value: T
) -> dict[str, T] | list[T]:
    """The votes with `participant`'s set to `value`, or `value` added (anonymous)."""
    if participant is None:
        return [*(votes if isinstance(votes, list) else []), value]
    return {**(votes if isinstance(votes, dict) else {}), participant: value}


def _without_one(
    votes: dict[str, T] | list[T] | None, participant: str | None, value: T | None
) -> tuple[bool, dict[str, T] | list[T] | None]:
    """`participant`'s vote (named) or one `value` (anonymous) taken out, and whether it
    was there (None for no votes left)."""
    if isinstance(votes, dict) and participant in votes:
        return True, {n: v for n, v in votes.items() if n != participant} or None
    if isinstance(votes, list) and participant is None and value in votes:
        return True, _without_last(votes, value) or None
    return False, votes


def _taken_back(
    votes: dict[str, T] | list[T] | None, participant: str | None, value: T, previous: T | None
) -> dict[str, T] | list[T] | None:
    """The votes before one cast: `participant`'s back to `previous`, or the last `value`
    taken out (None for no votes left)."""
    if isinstance(votes, dict) and participant is not None:
        before = {n: v for n, v in votes.items() if n != participant}
        if previous is not None:
            before[participant] = previous
        return before or None
    if isinstance(votes, list):
        return _without_last(votes, value) or None
    return votes


class Workshop:
    """One session being run: the current indicator, whether its votes are revealed, who votes."""

    def __init__(self, session: Session, *, now: Callable[[], datetime] = utc_now) -> None:
        self.session = session
        self.now = now
        self.on_change: list[Callable[[], None]] = []
        self.index = 0
        self._revealed = {r.indicator for r in session.ratings if self._finished(r)}
        """Indicators whose votes are revealed, so locked until a re-vote."""
        self.highlighted: str | None = None
        """Who a vote from the keyboard is for: someone who has not voted, unless the
        facilitator picked them; None once everyone at the keyboard has voted."""
        self.on_own_device: frozenset[str] = frozenset()
        """Participants voting from their own device in the room: the keyboard's highlight
        skips them, so a device's vote never moves the highlight under the facilitator's key."""
        self.revision = 0
        """Bumped by every change to the session itself (what must be saved), not the view."""
        self._undo: dict[str, list[Cast | TrendCast]] = {}
        self._highlight_next_voter()

    # --- Where we are -----------------------------------------------------------------

    @property
    def indicators(self) -> list[Indicator]:
        return self.session.model.indicators

    @property
    def indicator(self) -> Indicator:
        return self.indicators[self.index]

    @property
    def rating(self) -> Rating | None:
        return self.session.rating(self.indicator.id)

    @property
    def scale(self) -> Scale:
        """The current indicator's answers: its answer set, else the model's [scale]."""
        return self.session.model.scale_for(self.indicator.id)

    @property
    def named(self) -> bool:
        return self.session.voting == "named"

    def votes(self) -> list[Number]:
        """The current indicator's votes, hidden or not: for the voting screen's own count,
        never to be shown as values before the reveal (ask `shown_session`)."""
        rating = self.rating
        return rating.vote_values if rating else []

    @property
    def asks_trend(self) -> bool:
        """The model asks the room for a trend vote (up / same / down) per indicator."""
        return self.session.model.asks_trend

    def trend_votes(self) -> list[Trend]:
        """The current indicator's trend votes, hidden or not: like `votes`, for counts only."""
        rating = self.rating
        return rating.trend_values if rating else []

    @property
    def revealed(self) -> bool:
        """The current indicator's votes are revealed (and locked until a re-vote)."""
        return self.indicator.id in self._revealed

    @property
    def voting_on(self) -> str | None:
        """The indicator being voted on while its votes are hidden, or None.

        The one rule of hiding: no screen, dialog, export or device shows any value of its
        votes or anything derived from them; they show it as "voting".
        """
        return None if self.revealed else self.indicator.id

    def shown_session(self) -> Session:
        """The session as every screen, dialog, export and device may see it now: the
        indicator being voted on has no votes in it (its consensus, applicability and notes,
        which the room decides aloud, stay; so does its agreed `trend`, its trend votes do
        not). Not a copy to edit or save."""
        hidden = self.voting_on
        rating = self.session.rating(hidden) if hidden else None
        if rating is None or not (rating.votes or rating.trend_votes):
            return self.session
        unvoted = rating.model_copy(update={"votes": None, "trend_votes": None})
        return self.session.with_rating(unvoted)

    def voted_participants(self) -> list[str]:
        """Who has voted on the current indicator: names only, never values."""
        rating = self.rating
        return self._in_order(rating.votes if rating else None)

    def trend_voted_participants(self) -> list[str]:
        """Who has voted a trend on the current indicator: names only, never trends."""
        rating = self.rating
        return self._in_order(rating.trend_votes if rating else None)

    def finished_participants(self) -> list[str]:
        """Who has voted everything asked of them here: a rating, and a trend when the model
        asks for one. The highlight moves past them; auto-reveal waits for them all."""
        voted = self.voted_participants()
        if not self.asks_trend:
            return voted
        trended = set(self.trend_voted_participants())
        return [name for name in voted if name in trended]

    def _in_order(self, votes: Votes | TrendVotes | None) -> list[str]:
        if not isinstance(votes, dict):
            return []
        return [name for name in self.session.participants if name in votes]

    def first_unrated_index(self) -> int:
        """The first indicator with no agreed rating yet, or with a round still hidden (not
        applicable ones skipped): where a resumed workshop goes on."""
        for position, indicator in enumerate(self.indicators):
            rating = self.session.rating(indicator.id)
            if rating is not None and not rating.applicable:
                continue
            hidden = indicator.id not in self._revealed
            if agreed_rating(rating) is None or (hidden and rating and rating.consensus is None):
                return position
        return 0

    @property
    def expected_votes(self) -> int | None:
        """How many votes complete a round: one per participant (named), the head count the
        facilitator gave (anonymous); None when nothing says."""
        if self.named:
            return len(self.session.participants) or None
        return self.session.head_count

    def complete_votes(self) -> int:
        """How many have voted everything asked on the current indicator: participants who
        finished (named); votes, and trend votes when asked, whichever are fewer (anonymous)."""
        if self.named:
            return len(self.finished_participants())
        counts = [len(self.votes())]
        if self.asks_trend:
            counts.append(len(self.trend_votes()))
        return min(counts)

    def everyone_voted(self) -> bool:
        """The current indicator has as many complete votes as expected (False when nothing
        says how many: an anonymous round without a head count)."""
        expected = self.expected_votes
        return expected is not None and self.complete_votes() >= expected

    def _finished(self, rating: Rating) -> bool:
        """Whether a round read from a file looks finished: a consensus, or as many votes as
        expected; an anonymous round without a head count, as soon as it has votes (nothing
        tells how many it expected)."""
        if not rating.votes:
            return False
        if rating.consensus is not None:
            return True
        if isinstance(rating.votes, dict):
            return all(name in rating.votes for name in self.session.participants)
        head_count = self.session.head_count
        return head_count is None or len(rating.votes) >= head_count

    # --- Moving -----------------------------------------------------------------------

    def go(self, index: int) -> None:
        if not 0 <= index < len(self.indicators):
            raise WorkshopError(f"no indicator {index + 1} (1..{len(self.indicators)})")
        if index != self.index:
            if self.votes() or self.trend_votes():  # the room moved on: nothing left hidden
                self._revealed.add(self.indicator.id)
            self.index = index
            self._highlight_next_voter()
        self._changed(touch=False)

    def next(self) -> bool:
        if self.index + 1 >= len(self.indicators):
            return False
        self.go(self.index + 1)
        return True

    def previous(self) -> bool:
        if self.index == 0:
            return False
        self.go(self.index - 1)
        return True

    def highlight(self, participant: str) -> None:
        """The facilitator picks whose vote the next digit is: the only way a vote from the
        keyboard replaces one already cast."""
        self._check_participant(participant)
        self.highlighted = participant
        self._changed(touch=False)

    def move_highlight(self, step: int) -> None:
        names = self.session.participants
        if not self.named or not names:
            return
        if self.highlighted in names:
            target = (names.index(self.highlighted) + step) % len(names)
        else:
            target = 0 if step > 0 else len(names) - 1
        self.highlight(names[target])

    def reveal(self) -> None:
        """Show the current indicator's votes; they are locked until `revote()`."""
        self._revealed.add(self.indicator.id)
        self._changed(touch=False)

    def revote(self) -> None:
        """A new round on the current indicator: its votes and consensus, trend votes and
        agreed trend are cleared (the file keeps the final round only) and hidden again;
        notes and not-applicable stay."""
        rating = self.rating
        if rating is not None:
            rating.votes = rating.trend_votes = None
            rating.consensus = rating.trend = None
        self._revealed.discard(self.indicator.id)
        self._undo.pop(self.indicator.id, None)
        self._highlight_next_voter()
        self._changed()

    # --- Voting -----------------------------------------------------------------------

    def cast_at(self, position: int, participant: str | None = None) -> Cast:
        """A vote by scale position (1 = the first point): what a digit key means."""
        value = self.scale.value_at(position)
        if value is None:
            points = len(self.scale.points)
            raise WorkshopError(f"the scale has {points} points: press 1 to {points}")
        return self.cast(value, participant)

    def cast(self, value: Number, participant: str | None = None) -> Cast:
        """A vote of `value`; in named mode for `participant` (a device's own vote, which it
        may change), else the highlighted one (a key). Raises `VotesLocked` after the reveal
        and `NobodyChosen` when everyone has voted and the facilitator picked no one."""
        value = self._on_scale(value)
        self._check_unlocked()
        who = self._voter(participant)
        rating = self.session.rating_or_new(self.indicator.id)
        cast = Cast(who, value, _vote_of(rating.votes, who))
        rating.votes = _with_vote(rating.votes, who, value)
        return self._recorded(cast)

    def cast_trend(self, trend: Trend, participant: str | None = None) -> TrendCast:
        """A trend vote ("up" | "same" | "down"), under the same rules as `cast`: in named
        mode for `participant` (a device's own) else the highlighted one (a key); anonymous
        votes are a list. Raises `WorkshopError` when the model asks no trend, `VotesLocked`
        after the reveal, `NobodyChosen` when everyone has voted and no one is picked."""
        if not self.asks_trend:
            raise WorkshopError("this model asks for no trend")
        self._check_unlocked()
        who = self._voter(participant)
        rating = self.session.rating_or_new(self.indicator.id)
        cast = TrendCast(who, trend, _vote_of(rating.trend_votes, who))
        rating.trend_votes = _with_vote(rating.trend_votes, who, trend)
        return self._recorded(cast)

    def _voter(self, participant: str | None) -> str | None:
        """Whose vote this is: named, `participant` else the highlighted one (`NobodyChosen`
        when there is none); anonymous, nobody's."""
        if not self.named:
            if participant is not None:
                raise WorkshopError("anonymous voting does not record who voted")
            return None
        participant = participant or self.highlighted
        if participant is None:
            if not self.session.participants:
                raise WorkshopError("no participant to vote for: add participants to the session")
            raise NobodyChosen
        self._check_participant(participant)
        return participant

    def _recorded(self, cast: AnyCast) -> AnyCast:
        """A cast kept for undo; the highlight moves on once its voter has finished."""
        self._undo.setdefault(self.indicator.id, []).append(cast)
        if cast.participant is not None:
            self._after_keyboard_vote(cast.participant)
        self._changed()
        return cast

    def _after_keyboard_vote(self, participant: str) -> None:
        """The highlight moves on from someone who has finished voting (rating and trend)."""
        if participant == self.highlighted and participant in self.finished_participants():
            self._highlight_next_voter(after=participant)

    def undo_last(self) -> Cast | TrendCast | None:
        """Take back the last vote (rating or trend) cast on this indicator; None when there
        is nothing to undo.

        Votes from an earlier run (a resumed file) have no undo history: the last one in
        the file's order is taken back (ratings before trends), the last one cast.
        """
        rating = self.rating
        if rating is None or not (rating.votes or rating.trend_votes):
            return None
        self._check_unlocked()
        stack = self._undo.get(self.indicator.id, [])
        cast = stack.pop() if stack else self._last_stored_vote(rating)
        if isinstance(cast, TrendCast):
            rating.trend_votes = _taken_back(
                rating.trend_votes, cast.participant, cast.value, cast.previous
            )
        else:
            rating.votes = _taken_back(rating.votes, cast.participant, cast.value, cast.previous)
        if cast.participant is not None:
            self.highlighted = cast.participant
        self._changed()
        return cast

    @staticmethod
    def _last_stored_vote(rating: Rating) -> Cast | TrendCast:
        if isinstance(rating.votes, dict):
            return Cast(*list(rating.votes.items())[-1])
        if rating.votes:
            return Cast(None, rating.votes[-1])
        if isinstance(rating.trend_votes, dict):
            return TrendCast(*list(rating.trend_votes.items())[-1])
        return TrendCast(None, rating.trend_values[-1])

    def withdraw(self, participant: str | None = None, value: Number | None = None) -> bool:
        """Take back one vote on this indicator: `participant`'s (named) or one `value`
        (anonymous). The room uses it when a device withdraws or changes its vote; False
        when there was no such vote. Its casts leave the undo stack, so undo cannot revive it.
        Raises `VotesLocked` after the reveal.
        """
        rating = self.rating
        if rating is None:
            return False
        self._check_unlocked()
        found, rating.votes = _without_one(rating.votes, participant, value)
        return found and self._forget(Cast, participant, value)

    def withdraw_trend(self, participant: str | None = None, trend: Trend | None = None) -> bool:
        """Take back one trend vote: `participant`'s (named) or one `trend` (anonymous), as
        `withdraw` does for ratings; False when there was no such vote. Raises `VotesLocked`
        after the reveal."""
        rating = self.rating
        if rating is None:
            return False
        self._check_unlocked()
        found, rating.trend_votes = _without_one(rating.trend_votes, participant, trend)
        return found and self._forget(TrendCast, participant, trend)

    def _forget(self, kind: type[Cast | TrendCast], participant: str | None, value: object) -> bool:
        """After a withdrawal: its casts leave the undo stack (all of a participant's, or the
        last of that value), and the highlight may go back to someone now unfinished."""
        stack = self._undo.get(self.indicator.id, [])
        if participant is not None:
            stack[:] = [
                c for c in stack if not (isinstance(c, kind) and c.participant == participant)
            ]
        else:
            same = [n for n, c in enumerate(stack) if isinstance(c, kind) and c.value == value]
            if same:
                del stack[same[-1]]
        if self.highlighted is None:
            self._highlight_next_voter()
        self._changed()
        return True

    def _on_scale(self, value: Number) -> Number:
        """The scale's own value for `value`: 4.0 from a device is the point 4, stored as 4
        (a format-1 file stays format 1)."""
        point = self.scale.point(value)
        if point is None:
            raise WorkshopError(f"{value} is not on the {self.scale.what} {self.scale.values}")
        return point.value

    def set_consensus(self, value: Number | None) -> None:
        if value is not None:
            value = self._on_scale(value)
        self.session.rating_or_new(self.indicator.id).consensus = value
        self._changed()

    def choose_consensus(self, value: Number | None) -> None:
        """The room's pick in the consensus dialog for the current indicator. The room's own
        median (as everyone may see it: none while the votes are hidden), picked while no
        consensus is set, records none: it stays the agreed rating by following the votes.
        Picking the consensus already set changes nothing."""
        rating = self.shown_session().rating(self.indicator.id)
        current = rating.consensus if rating is not None else None
        if value != current and not (current is None and value == agreed_rating(rating)):
            self.set_consensus(value)

    def set_trend(self, trend: Trend | None) -> None:
        """The room's agreed trend for the current indicator (None: the trend votes decide,
        `scoring.agreed_trend`). Like the consensus it is said aloud, so never hidden."""
        if trend is not None and not self.asks_trend:
            raise WorkshopError("this model asks for no trend")
        self.session.rating_or_new(self.indicator.id).trend = trend
        self._changed()

    def set_head_count(self, count: int | None) -> None:
        """Anonymous voting: how many people vote (None: not said). The tally then reads
        "5 of 8 votes" and auto-reveal waits for the eighth."""
        if self.named:
            raise WorkshopError("named voting counts its participants: no head count")
        if count is not None and not 1 <= count <= HEAD_COUNT_MAX:
            raise WorkshopError(f"a head count is a number from 1 to {HEAD_COUNT_MAX}")
        self.session.head_count = count
        self._changed()

    def set_not_applicable(self, not_applicable: bool) -> None:
        self.session.rating_or_new(self.indicator.id).not_applicable = not_applicable or None
        self._changed()

    def set_notes(self, text: str) -> None:
        self.session.rating_or_new(self.indicator.id).notes = text if text.strip() else None
        self._changed()

    # --- Actions ----------------------------------------------------------------------

    def add_action(
        self,
        title: str,
        *,
        indicator: str | None = None,
        owner: str | None = None,
        due: date | None = None,
        status: ActionStatus = "open",
    ) -> Action:
        action = self._valid_action(
            self.session.next_action_id(), title, indicator, owner, due, status
        )
        self.session.actions.append(action)
        self._changed()
        return action

    def edit_action(
        self,
        action_id: int,
        title: str,
        *,
        indicator: str | None = None,
        owner: str | None = None,
        due: date | None = None,
        status: ActionStatus = "open",
    ) -> Action:
        position = self._action_position(action_id)
        old = self.session.actions[position]
        action = self._valid_action(action_id, title, indicator, owner, due, status)
        action.carried_from, action.carried_id = old.carried_from, old.carried_id
        self.session.actions[position] = action
        self._changed()
        return action

    def delete_action(self, action_id: int) -> None:
        del self.session.actions[self._action_position(action_id)]
        self._changed()

    def _action_position(self, action_id: int) -> int:
        for position, action in enumerate(self.session.actions):
            if action.id == action_id:
                return position
        raise WorkshopError(f"no action {action_id}")

    def _valid_action(
        self,
        action_id: int,
        title: str,
        indicator: str | None,
        owner: str | None,
        due: date | None,
        status: ActionStatus,
    ) -> Action:
        if not title.strip():
            raise WorkshopError("an action needs a title")
        if indicator is not None and self.session.model.indicator(indicator) is None:
            raise WorkshopError(f"unknown indicator {indicator}")
        return Action(
            id=action_id,
            title=title,
            indicator=indicator,
            owner=owner if owner and owner.strip() else None,
            due=due,
            status=status,
        )

    # --- Status -----------------------------------------------------------------------

    def set_status(self, status: Literal["in-progress", "complete"]) -> None:
        self.session.status = status
        self._changed()

    # --- Readings and last period's actions -----------------------------------------

    def set_reading(self, metric_id: str, text: str, note: str = "") -> Reading | None:
        """This period's value of a metric from what was typed; an empty entry clears it.
        The rules are `readings.set_reading`'s (ReadingError for a value they refuse)."""
        reading = readings.set_reading(self.session, metric_id, text, note)
        self._changed()
        return reading

    def carry_over(self, previous: Session) -> list[Action]:
        """The previous session's open actions, copied in once (`history.carry_over`)."""
        added = history.carry_over(self.session, previous)
        if added:
            self._changed()
        return added

    def review_carried(self, action_id: int, status: ActionStatus) -> Action:
        """The facilitator's verdict on a carried-over action: done, dropped or still open."""
        action = history.review_carried(self.session, action_id, status)
        self._changed()
        return action

    # --- Internals --------------------------------------------------------------------

    def _check_unlocked(self) -> None:
        if self.revealed:
            raise VotesLocked

    def _check_participant(self, participant: str) -> None:
        if participant not in self.session.participants:
            raise WorkshopError(f"{participant!r} is not a participant of this session")

    def set_own_devices(self, names: Iterable[str]) -> None:
        """Who votes from a device now; the highlight leaves them for those at the keyboard."""
        self.on_own_device = frozenset(names)
        if self.highlighted is None or self.highlighted in self.on_own_device:
            self._highlight_next_voter(after=self.highlighted)
        self._changed(touch=False)

    def _highlight_next_voter(self, after: str | None = None) -> None:
        """Highlight the next participant at the keyboard (after `after`, wrapping) who has
        not voted yet; nobody when they all have (never back to someone who voted)."""
        self.highlighted = None
        names = self.session.participants
        if not self.named or not names:
            return
        voted = set(self.finished_participants())
        start = names.index(after) + 1 if after in names else 0
        for name in names[start:] + names[:start]:
            if name not in voted and name not in self.on_own_device:
                self.highlighted = name
                return

    def _changed(self, *, touch: bool = True) -> None:
        """Tell listeners; `touch` marks a change to the saved session (not just the view)."""
        if touch:
            self.revision += 1
            self.session.updated_at = session_datetime(self.now())
        for listener in list(self.on_change):
            listener()
