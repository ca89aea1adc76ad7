"""The home screen's rows: a session file's line in the table, or its error, from its index row."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from maturity_tui.library_index import LibraryRow
from maturity_tui.tui.text import literal_text

LEVEL_WIDTH = 14


def local_time(moment: datetime) -> datetime:
    """The moment in this machine's time zone; as written where that zone would move it
    past year 1 or 9999 (0001-01-01T00:00+01:00 is valid TOML, and astimezone overflows)."""
    try:
        return moment.astimezone()
    except (OverflowError, ValueError, OSError):  # OSError: Windows' localtime, near year 1
        return moment


def row_cells(row: LibraryRow) -> tuple[Text, ...]:
    """The table's cells for a session; one cell naming the file and its first problem for a
    file that failed to load."""
    summary = row.summary
    if summary is None:
        problems = row.problems or ("unreadable",)
        return (literal_text(f"{row.path.name}: {problems[0]}"),)
    shown = local_time(summary.updated_at)
    changed = f"{shown.year:04d}-{shown:%m-%d %H:%M}"  # %Y gives "1", not "0001", on glibc
    status = (
        "complete"
        if summary.status == "complete"
        else f"{summary.unrated} unrated"
        if summary.unrated
        else "all rated"
    )
    level = literal_text(summary.standing)
    level.truncate(LEVEL_WIDTH, overflow="ellipsis")
    return (
        literal_text(summary.team),
        literal_text(summary.period),
        Text(summary.model_id),
        level,
        Text(status),
        Text(changed),
    )
