"""The home screen: the workshops in the sessions folder, newest first, loaded in the background."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from maturity_tui.domain import Session
from maturity_tui.scoring import score_session
from maturity_tui.storage import SessionEntry, scan_sessions
from maturity_tui.tui.text import literal, literal_text

if TYPE_CHECKING:
    from maturity_tui.tui.app import MaturityApp

LEVEL_WIDTH = 14
COLUMNS = ("Team", "Period", "Model", "Level", "Status", "Last change")
BATCH_SECONDS = 0.05
"""Rows reach the table in small batches: the list fills in while keys keep working."""


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


class RowsLoaded(Message):
    def __init__(self, rows: list[Row], done: bool) -> None:
        super().__init__()
        self.rows = rows
        self.done = done


class HomeScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New workshop", id="new"),
        Binding("o", "open", "Open", id="open"),
        Binding("q", "quit", "Quit", id="quit-home"),
    ]

    app: MaturityApp

    def compose(self) -> ComposeResult:
        yield Static("maturity-tui · workshops", id="home-title")
        table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True, id="sessions")
        for column in COLUMNS:
            table.add_column(column, key=column)
        yield table
        yield Static(id="load-errors")
        yield Static(f"Loading sessions from {self.app.sessions_dir} …", id="home-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._rows: dict[str, Row] = {}
        self._broken: list[Row] = []
        self.query_one(DataTable).focus()
        self._load(self.app.sessions_dir)

    @work(thread=True, exclusive=True, group="scan", exit_on_error=False)
    def _load(self, folder: Path) -> None:
        batch: list[Row] = []
        started = time.monotonic()
        entries = scan_sessions(folder) if folder.is_dir() else iter(())
        for entry in entries:
            batch.append(row_of(entry))
            if time.monotonic() - started > BATCH_SECONDS:
                self.post_message(RowsLoaded(batch, done=False))
                batch, started = [], time.monotonic()
        self.post_message(RowsLoaded(batch, done=True))

    def on_rows_loaded(self, message: RowsLoaded) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        for row in message.rows:
            if row.session is None:
                self._broken.append(row)
                continue
            key = str(row.path)
            self._rows[key] = row
            table.add_row(*row.cells, key=key)
        self._show_broken()
        if message.rows:
            table.sort("Last change", key=lambda changed: changed.plain, reverse=True)
            # DataTable widens auto-width columns when idle but keeps rows it drew before at
            # the old widths (Textual 8.2.8); restyling drops those stale lines.
            table.call_after_refresh(table.notify_style_update)
        if message.done:
            status = self.query_one("#home-status", Static)
            count = len(self._rows)
            status.update(
                literal(f"{count} session{'s' if count != 1 else ''} in {self.app.sessions_dir}")
                if count
                else "No workshops yet: press n to start one."
            )

    def _show_broken(self) -> None:
        """Files that failed to load: named with their first problem, never hidden."""
        shown = self.query_one("#load-errors", Static)
        shown.display = bool(self._broken)
        heading = Content.styled(f"Cannot load {len(self._broken)} file(s):", "bold")
        shown.update(
            Content("\n").join([heading, *(literal(str(row.cells[0])) for row in self._broken)])
        )

    def action_new(self) -> None:
        from maturity_tui.tui.screens.setup import SetupScreen

        self.app.push_screen(SetupScreen())

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        from maturity_tui.tui.app import Opening

        table: DataTable[Text] = self.query_one(DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        row = self._rows[key]
        if row.session is None:
            self.notify(f"{row.path.name} cannot be opened: it failed to load.", markup=False)
            return
        self.app.open_workshop(Opening(row.session, row.path))

    def action_quit(self) -> None:
        self.app.exit(0)
