"""A team's sessions over time: their order, the next period, and the open actions carried
from one period into the next."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from maturity_tui.domain import Action, Session, new_session, quarter_of
from maturity_tui.domain.session import ActionStatus
from maturity_tui.listing import HALF, QUARTER, same_team

# Re-exported: the rest of the code knows them as history's (they live apart to stay light).
from maturity_tui.listing import Listed as Listed
from maturity_tui.listing import chronological_key as chronological_key
from maturity_tui.listing import library_key as library_key
from maturity_tui.listing import matches as matches
from maturity_tui.listing import period_start as period_start
from maturity_tui.listing import team_key as team_key
from maturity_tui.storage import free_session_id

# --- A team's history ---------------------------------------------------------------------


def team_history(sessions: Iterable[Session], team: str) -> list[Session]:
    """The team's sessions, oldest period first (then by start time)."""
    return sorted((s for s in sessions if same_team(s.team, team)), key=chronological_key)


def previous_session(sessions: Iterable[Session], session: Session) -> Session | None:
    """The team's latest session that comes before this one."""
    key = chronological_key(session)
    earlier = [
        s
        for s in team_history(sessions, session.team)
        if s.id != session.id and chronological_key(s) < key
    ]
    return earlier[-1] if earlier else None


# --- Carried-over actions -----------------------------------------------------------------


def carry_over(session: Session, previous: Session) -> list[Action]:
    """Copy the previous session's open actions into this one; returns the ones added.

    Each copy keeps where it came from (`carried_from`, `carried_id`), so calling this again
    (a resumed workshop, a second click) adds nothing that is already there.
    """
    if previous.id == session.id:
        return []
    already = {a.carried_id for a in session.actions if a.carried_from == previous.id}
    known = {i.id for i in session.model.indicators}
    added = []
    for action in previous.actions:
        if action.status != "open" or action.id in already:
            continue
        copy = Action(
            id=session.next_action_id(),
            title=action.title,
            # A newer model may have dropped the indicator; the action still stands.
            indicator=action.indicator if action.indicator in known else None,
            owner=action.owner,
            due=action.due,
            carried_from=previous.id,
            carried_id=action.id,
        )
        session.actions.append(copy)
        added.append(copy)
    return added


def carried_actions(session: Session) -> list[Action]:
    return [a for a in session.actions if a.carried_from is not None]


def review_carried(session: Session, action_id: int, status: ActionStatus) -> Action:
    """The facilitator's verdict on a carried-over action: done, dropped, or still open."""
    action = next((a for a in session.actions if a.id == action_id), None)
    if action is None or action.carried_from is None:
        raise LookupError(f"session {session.id} has no carried-over action {action_id}")
    action.status = status
    return action


# --- The next period ----------------------------------------------------------------------


def next_period(period: str, now: datetime) -> str:
    """2026-Q4 -> 2027-Q1, 2026-H1 -> 2026-H2; anything else -> the quarter of now."""
    quarter = QUARTER.match(period)
    if quarter:
        year, number = int(quarter[1]), int(quarter[2])
        return f"{year + 1}-Q1" if number == 4 else f"{year}-Q{number + 1}"
    half = HALF.match(period)
    if half:
        year = int(half[1])
        return f"{year + 1}-H1" if half[2] == "2" else f"{year}-H2"
    return quarter_of(now)


def duplicate_for_next_period(session: Session, folder: Path, now: datetime) -> Session:
    """A fresh session for the team's next period: same model, team, participants and voting
    (with its head count),
    no votes or readings, with the open actions carried over. Not saved yet."""
    period = next_period(session.period, now)
    fresh = new_session(
        free_session_id(folder, session.team, period),
        session.model,
        session.team,
        participants=list(session.participants),
        voting=session.voting,
        head_count=session.head_count,
        period=period,
        facilitator=session.facilitator,
        now=now,
    )
    carry_over(fresh, session)
    return fresh
