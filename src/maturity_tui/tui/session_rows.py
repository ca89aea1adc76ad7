"""The home screen's rows: a session file's line in the table, or its error, from its index row."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from rich.cells import cell_len
from rich.text import Text

from maturity_tui.library_index import LibraryRow
from maturity_tui.listing import library_key
from maturity_tui.tui.text import clean
from maturity_tui.tui.widgets.library_table import TableRow

LEVEL_WIDTH = 14


def local_time(moment: datetime) -> datetime:
    """The moment in this machine's time zone; as written where that zone would move it
    past year 1 or 9999 (0001-01-01T00:00+01:00 is valid TOML, and astimezone overflows)."""
    try:
        return moment.astimezone()
    except (OverflowError, ValueError, OSError):  # OSError: Windows' localtime, near year 1
        return moment


def problem_line(row: LibraryRow) -> str:
    """A file that failed to load: its name and its first problem, safe to draw."""
    problems = row.problems or ("unreadable",)
    return clean(f"{row.path.name}: {problems[0]}", one_line=True)


def row_cells(row: LibraryRow) -> tuple[str, ...]:
    """The table's cells for a session, as plain text safe to draw (made for every row of the
    library, so no Rich Text: the table draws plain strings)."""
    listed = row.listed
    assert listed is not None, "files that failed to load are listed apart"
    shown = local_time(listed.updated_at)
    # By hand: %Y gives "1", not "0001", on glibc; and strftime is 5x slower, for every row.
    changed = "%04d-%02d-%02d %02d:%02d" % (  # noqa: UP031
        shown.year,
        shown.month,
        shown.day,
        shown.hour,
        shown.minute,
    )
    status = (
        "complete"
        if listed.status == "complete"
        else f"{listed.unrated} unrated"
        if listed.unrated
        else "all rated"
    )
    return (
        _shown(listed.team),
        _shown(listed.period),
        _shown(listed.model_id),
        _fit(_shown(listed.standing), LEVEL_WIDTH),
        status,
        changed,
    )


@lru_cache(maxsize=4096)
def _shown(text: str) -> str:
    """`clean` on one line, once per distinct text: 5,000 sessions share a few hundred teams,
    periods, models and levels."""
    return clean(text, one_line=True)


def _fit(text: str, width: int) -> str:
    """At most `width` cells, an ellipsis marking the cut."""
    if cell_len(text) <= width:
        return text
    fitted = Text(text)
    fitted.truncate(width, overflow="ellipsis")
    return fitted.plain


def table_row(row: LibraryRow) -> TableRow:
    """A listed session as the home table shows it, in the library's order (by team, each
    team oldest period first; the file name settles ties)."""
    assert row.listed is not None, "files that failed to load are listed apart"
    return TableRow(str(row.path), row_cells(row), (*library_key(row.listed), row.path.name))
