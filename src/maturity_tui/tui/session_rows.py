"""The home screen's rows, built in its loader thread: a session file's line, or its error."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text

from maturity_tui.domain import Session
from maturity_tui.scoring import score_session
from maturity_tui.storage import LoadError, SessionEntry, load_session
from maturity_tui.tui.text import literal_text

LEVEL_WIDTH = 14


@dataclass(frozen=True, slots=True)
class Row:
    """A session's line in the table, or (session None) a file that failed to load."""

    path: Path
    session: Session | None
    cells: tuple[Text, ...]


def row_of(entry: SessionEntry) -> Row:
    session = entry.session
    if session is None:
        problems = entry.error.problems if entry.error else ["unreadable"]
        return Row(entry.path, None, (literal_text(f"{entry.path.name}: {problems[0]}"),))
    score = score_session(session)
    changed = session.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
    unrated = len(score.unrated)
    status = (
        "complete"
        if session.status == "complete"
        else f"{unrated} unrated"
        if unrated
        else "all rated"
    )
    level = literal_text(f"{score.level} {session.model.level(score.level).name}")
    level.truncate(LEVEL_WIDTH, overflow="ellipsis")
    cells = (
        literal_text(session.team),
        literal_text(session.period),
        Text(session.model.id),
        level,
        Text(status),
        Text(changed),
    )
    return Row(entry.path, session, cells)


def modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def load_entry(path: Path) -> SessionEntry:
    try:
        return SessionEntry(path, load_session(path), None)
    except LoadError as error:
        return SessionEntry(path, None, error)
