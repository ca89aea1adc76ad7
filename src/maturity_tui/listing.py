"""What the library knows of a session, and its order: teams matched by one key, periods in
time order, the library's order and its filter.

Light on purpose (no domain models): the home screen lists a folder from the library's index
with this alone, and a warm start never imports the models, the storage or the scoring.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Protocol

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
HALF = re.compile(r"^(\d{4})-H([12])$")


def team_key(team: str) -> str:
    """What identifies a team: its name regardless of case and surrounding spaces."""
    return team.strip().casefold()


def same_team(a: str, b: str) -> bool:
    """Teams match regardless of case and surrounding spaces: "Apollo" and "apollo " are one."""
    return team_key(a) == team_key(b)


class Listed(Protocol):
    """What the library knows of a session: a Session, or its row in the library's index."""

    @property
    def id(self) -> str: ...
    @property
    def team(self) -> str: ...
    @property
    def period(self) -> str: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def title(self) -> str | None: ...
    @property
    def facilitator(self) -> str | None: ...


class Shown(Listed, Protocol):
    """What the library's list shows of a session, beyond what orders and filters it."""

    @property
    def updated_at(self) -> datetime: ...
    @property
    def model_id(self) -> str: ...
    @property
    def standing(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def unrated(self) -> int: ...


def period_start(session: Listed) -> tuple[int, int]:
    """(year, month) a period starts in: 2026-Q4 -> (2026, 10); free text -> when it started."""
    start = _named_period_start(session.period)
    return start or (session.started_at.year, session.started_at.month)


@lru_cache(maxsize=4096)
def _named_period_start(period: str) -> tuple[int, int] | None:
    """A quarter's or a half's (year, month), once per distinct period: a library of 5,000
    sessions holds a few dozen."""
    quarter = QUARTER.match(period)
    if quarter:
        return int(quarter[1]), (int(quarter[2]) - 1) * 3 + 1
    half = HALF.match(period)
    if half:
        return int(half[1]), (int(half[2]) - 1) * 6 + 1
    return None


def chronological_key(session: Listed) -> tuple[tuple[int, int], datetime, str]:
    return period_start(session), session.started_at, session.id


def library_key(session: Listed) -> tuple[str, tuple[int, int], datetime, str]:
    """The library's order: by team (A-Z, ignoring case), each team oldest period first."""
    return (team_key(session.team), *chronological_key(session))


def matches(session: Listed, query: str) -> bool:
    """Whether the team, period, id, title or facilitator contains the query, ignoring case."""
    needle = query.strip().casefold()
    if not needle:
        return True
    fields = (session.team, session.period, session.id, session.title, session.facilitator)
    return any(needle in (text or "").casefold() for text in fields)
