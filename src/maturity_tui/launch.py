"""What the app starts on, prepared before Textual loads: a session to open (locked), a setup
draft, and the room's options.

The command line prepares these, so a file that does not load or a session another process
has open is told on stderr before the app (and Textual) starts; the app and its screens take
them as they are. The domain and storage load inside the functions that need them: the
command line imports this module to parse its options.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from maturity_tui.domain import MaturityModel, Session, Voting
    from maturity_tui.storage import FileIdentity, SessionLock


@dataclass(frozen=True, slots=True)
class RoomOptions:
    """`--join` and its options: where the room listens, its join code, the address people
    join at, and HTTPS (None: defaults)."""

    host: str | None = None
    port: int | None = None
    join_code: str | None = None
    public_url: str | None = None
    behind_proxy: bool = False
    tls_cert: Path | None = None
    tls_key: Path | None = None


@dataclass(frozen=True, slots=True)
class NewWorkshop:
    """What `maturity-tui new` was told."""

    model: str
    """A model id or a model file."""
    team: str | None = None
    participants: list[str] = field(default_factory=list)
    voting: Voting = "named"
    head_count: int | None = None
    """Anonymous voting: how many people vote (None: not said)."""
    period: str | None = None
    """None: the quarter it starts in."""
    facilitator: str | None = None


@dataclass(frozen=True, slots=True)
class Opening:
    """A session to start on, with its file and the indicator to show first."""

    session: Session
    path: Path
    index: int | None = None
    """None: the first unrated indicator."""
    lock: SessionLock | None = None
    """Taken already (before the app started), so a refusal reaches stderr plainly."""
    new: bool = False
    """Just created: the team's last open actions are carried over and reviewed first."""
    read_as: FileIdentity | None = None
    """The identity of the bytes the session was read from (None: not read from its file).
    The autosave compares the file with it: an edit another program made since the read,
    even while the app was starting, is never overwritten unasked."""


@dataclass(frozen=True, slots=True)
class SetupDraft:
    """What `maturity-tui new` was told, when that is not enough to start: the setup screen
    opens with it filled in."""

    model: MaturityModel
    team: str
    participants: list[str]
    voting: Voting
    head_count: int | None = None


def split_names(text: str) -> list[str]:
    """`Ana, Ben,,Caro ` → the names, trimmed, without empty ones."""
    return [name.strip() for name in text.split(",") if name.strip()]


def new_opening(session: Session, sessions_dir: Path) -> Opening:
    """A session just created, to be written in the sessions folder: it starts at the first
    indicator, after the review of the team's open actions."""
    from maturity_tui.storage import session_path

    return Opening(session, session_path(sessions_dir, session.id), index=0, new=True)


def prepare(
    sessions_dir: Path,
    new: NewWorkshop | None = None,
    open_path: Path | None = None,
    *,
    now: datetime | None = None,
) -> Opening | SetupDraft | None:
    """Load or create the session, and lock it, before the app starts. Raises LoadError,
    SessionLocked, LookupError (no such model), ValueError or OSError."""
    from maturity_tui.domain import new_session, quarter_of
    from maturity_tui.storage import find_model, free_session_id, load_session_as_read
    from maturity_tui.workshop import utc_now

    if open_path is not None:
        session, read_as = load_session_as_read(open_path)
        return locked(Opening(session, open_path, read_as=read_as))
    if new is None:
        return None
    model = find_model(new.model)
    if not new.team or (new.voting == "named" and not new.participants):
        return SetupDraft(model, new.team or "", list(new.participants), new.voting, new.head_count)
    now = now or utc_now()
    sessions_dir.mkdir(parents=True, exist_ok=True)
    session = new_session(
        free_session_id(sessions_dir, new.team, new.period or quarter_of(now)),
        model,
        new.team,
        participants=list(new.participants) if new.voting == "named" else None,
        voting=new.voting,
        head_count=new.head_count,
        period=new.period,
        facilitator=new.facilitator,
        now=now,
    )
    return locked(new_opening(session, sessions_dir))


def locked(opening: Opening) -> Opening:
    """The opening with its session file locked for this process (SessionLocked if taken)."""
    from maturity_tui.storage import SessionLock

    lock = SessionLock(opening.path)
    lock.acquire()
    return replace(opening, lock=lock)
