"""The home screen: the workshops in the sessions folder, newest first, loaded in the background."""

from __future__ import annotations

import time
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
from textual.worker import get_current_worker

from maturity_tui.tui.text import literal

COLUMNS = ("Team", "Period", "Model", "Level", "Status", "Last change")

if TYPE_CHECKING:
    from maturity_tui.tui.app import MaturityApp
    from maturity_tui.tui.session_rows import Row

BATCH_SECONDS = 0.1
"""Rows reach the table in small batches: the list fills in while keys keep working."""


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
        # Paint the screen first; the files then stream in behind it.
        self.call_after_refresh(self._load, self.app.sessions_dir)

    @work(thread=True, exclusive=True, group="scan", exit_on_error=False)
    def _load(self, folder: Path) -> None:
        """Newest files first (by modification time), in batches, until done or cancelled."""
        # Imported here, in the worker: the domain's models are not needed for the first paint.
        from maturity_tui.tui.session_rows import load_entry, modified, row_of

        worker = get_current_worker()
        paths = sorted(folder.glob("*.toml"), key=modified, reverse=True)
        batch: list[Row] = []
        started = time.monotonic()
        for path in paths:
            if worker.is_cancelled:
                return
            batch.append(row_of(load_entry(path)))
            if time.monotonic() - started > BATCH_SECONDS:
                self.post_message(RowsLoaded(batch, done=False))
                batch, started = [], time.monotonic()
        self.post_message(RowsLoaded(batch, done=True))

    def on_rows_loaded(self, message: RowsLoaded) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        first = not self._rows
        for row in message.rows:
            if row.session is None:
                self._broken.append(row)
                continue
            key = str(row.path)
            self._rows[key] = row
            table.add_row(*row.cells, key=key)
        self._show_broken()
        if message.done:
            # Files arrived newest-modified first; one sort settles the exact order.
            table.sort("Last change", key=lambda changed: changed.plain, reverse=True)
        if first or message.done:
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
        from maturity_tui.storage import LoadError, load_session
        from maturity_tui.tui.app import Opening

        table: DataTable[Text] = self.query_one(DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        row = self._rows[key]
        if row.session is None:
            self.notify(f"{row.path.name} cannot be opened: it failed to load.", markup=False)
            return
        try:
            # Read again: the row may be older than the file (another instance ran a workshop
            # on it since), and the first autosave would write the old copy back over it.
            session = load_session(row.path)
        except LoadError as error:
            self.notify(str(error), title="Not opened", severity="error", markup=False)
            return
        self.app.open_workshop(Opening(session, row.path))

    def action_quit(self) -> None:
        self.app.exit(0)
