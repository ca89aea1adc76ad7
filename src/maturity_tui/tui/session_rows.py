"""The home screen's rows: a session file's line in the table, or its error, from its index row."""

from __future__ import annotations

from rich.text import Text

from maturity_tui.library_index import LibraryRow
from maturity_tui.tui.text import literal_text

LEVEL_WIDTH = 14


def row_cells(row: LibraryRow) -> tuple[Text, ...]:
    """The table's cells for a session; one cell naming the file and its first problem for a
    file that failed to load."""
    summary = row.summary
    if summary is None:
        problems = row.problems or ("unreadable",)
        return (literal_text(f"{row.path.name}: {problems[0]}"),)
    changed = summary.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
    status = (
        "complete"
        if summary.status == "complete"
        else f"{summary.unrated} unrated"
        if summary.unrated
        else "all rated"
    )
    level = literal_text(f"{summary.level} {summary.level_name}")
    level.truncate(LEVEL_WIDTH, overflow="ellipsis")
    return (
        literal_text(summary.team),
        literal_text(summary.period),
        Text(summary.model_id),
        level,
        Text(status),
        Text(changed),
    )
