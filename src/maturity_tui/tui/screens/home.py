"""The home screen: the session library, by team and period, loaded in the background."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import get_current_worker

from maturity_tui.tui.text import literal

COLUMNS = ("Team", "Period", "Model", "Level", "Status", "Last change")

if TYPE_CHECKING:
    from maturity_tui.domain import Session
    from maturity_tui.tui.app import MaturityApp
    from maturity_tui.tui.session_rows import Row

BATCH_SECONDS = 0.1
"""Rows reach the table in small batches: the list fills in while keys keep working."""
FILTER_DELAY = 0.15


class RowsLoaded(Message):
    def __init__(self, rows: list[Row], done: bool) -> None:
        super().__init__()
        self.rows = rows
        self.done = done


class HomeScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New workshop", id="new"),
        Binding("o", "open", "Open", id="open"),
        Binding("slash", "filter", "Filter", id="filter", show=False),
        Binding("c", "compare", "Compare", id="compare", tooltip="All of this team's sessions"),
        Binding("d", "duplicate", "Next period", id="duplicate", tooltip="Same team, no votes"),
        Binding("delete", "trash", "Delete", id="trash", tooltip="Move to .trash/"),
        Binding("q", "quit", "Quit", id="quit-home"),
    ]

    app: MaturityApp

    def compose(self) -> ComposeResult:
        yield Static("maturity-tui · workshops", id="home-title")
        yield Input(
            placeholder="/ to filter: team, period, title", id="library-filter", compact=True
        )
        table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True, id="sessions")
        for column in COLUMNS:
            table.add_column(column, key=column)
        yield table
        yield Static(id="load-errors")
        yield Static(literal(f"Loading sessions from {self.app.sessions_dir} …"), id="home-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._rows: dict[str, Row] = {}
        self._broken: list[Row] = []
        self._filter_timer: Timer | None = None
        self.query_one(DataTable).focus()
        # Paint the screen first; the files then stream in behind it.
        self.call_after_refresh(self._load)

    def reload(self) -> None:
        """Back from a workshop: its file, or a new one, has changed since the list was read."""
        self._rows, self._broken = {}, []
        self.query_one(DataTable).clear()
        self._load()

    def _load(self) -> None:
        folder = self.app.sessions_dir
        self.app.run_worker(
            lambda: self._scan(folder),
            name="Reading the sessions folder",
            group="scan",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def _scan(self, folder: Path) -> None:
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
            if self._shown(row):
                table.add_row(*row.cells, key=key)
        self._show_broken()
        if message.done:
            self._refill()
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

    # --- The library -----------------------------------------------------------------

    def _shown(self, row: Row) -> bool:
        from maturity_tui.quarters import matches

        query = self.query_one("#library-filter", Input).value
        return row.session is not None and matches(row.session, query)

    def _refill(self) -> None:
        """The library's order (by team, each team oldest period first), filtered."""
        from maturity_tui.quarters import library_key

        table: DataTable[Text] = self.query_one(DataTable)
        current = self._selected()
        table.clear()
        shown = [row for row in self._rows.values() if self._shown(row)]
        for row in sorted(shown, key=lambda row: library_key(row.session)):  # type: ignore[arg-type]
            table.add_row(*row.cells, key=str(row.path))
        if current is not None and str(current.path) in table.rows:
            table.move_cursor(row=table.get_row_index(str(current.path)))

    @on(Input.Changed, "#library-filter")
    def _filter_changed(self) -> None:
        # Refilling 1,000 rows costs ~150 ms: once when typing pauses, not at every key.
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, self._refill)

    @on(Input.Submitted, "#library-filter")
    def _filter_done(self) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._refill()
        self.query_one(DataTable).focus()

    def action_filter(self) -> None:
        self.query_one("#library-filter", Input).focus()

    def _selected(self) -> Row | None:
        table: DataTable[Text] = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        return self._rows.get(key)

    def _reload(self, row: Row) -> Session | None:
        """The row's file read again: the row may be older than the file (another instance ran
        a workshop on it since), and the first autosave would write the old copy back."""
        from maturity_tui.storage import LoadError, load_session

        try:
            return load_session(row.path)
        except LoadError as error:
            self.notify(str(error), title="Not opened", severity="error", markup=False)
            return None

    def action_compare(self) -> None:
        from maturity_tui.quarters import team_history
        from maturity_tui.tui.screens.compare import CompareScreen

        row = self._selected()
        if row is None or row.session is None:
            return
        loaded = [r.session for r in self._rows.values() if r.session is not None]
        sessions = team_history(loaded, row.session.team)
        self.app.push_screen(CompareScreen(sessions, self.app.sessions_dir))

    def action_duplicate(self) -> None:
        from maturity_tui.quarters import duplicate_for_next_period
        from maturity_tui.storage import session_path
        from maturity_tui.tui.app import Opening

        row = self._selected()
        source = self._reload(row) if row is not None else None
        if source is None:
            return
        folder = self.app.sessions_dir
        fresh = duplicate_for_next_period(source, folder, self.app.now())
        path = session_path(folder, fresh.id)
        self.app.open_workshop(Opening(fresh, path, index=0, new=True))

    def action_trash(self) -> None:
        from maturity_tui.tui.screens.dialogs import ConfirmDialog

        row = self._selected()
        if row is None or row.session is None:
            return
        chosen = row

        def answered(yes: bool | None) -> None:
            if yes:
                self._trash(chosen)

        question = Content.assemble(
            "Delete ",
            literal(f"{row.session.team} {row.session.period}", one_line=True),
            f" ({row.path.name})? It moves to .trash/ in the sessions folder.",
        )
        self.app.push_screen(ConfirmDialog(question), answered)

    def _trash(self, row: Row) -> None:
        from maturity_tui.quarters import trash_session
        from maturity_tui.storage import SessionLocked

        try:
            moved = trash_session(row.path, self.app.sessions_dir)
        except (SessionLocked, OSError) as error:
            self.notify(str(error), title="Not deleted", severity="error", markup=False)
            return
        del self._rows[str(row.path)]
        self.query_one(DataTable).remove_row(str(row.path))
        self.notify(f"Moved to {moved}", title="Deleted", markup=False)

    def action_new(self) -> None:
        from maturity_tui.tui.screens.setup import SetupScreen

        self.app.push_screen(SetupScreen())

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        from maturity_tui.tui.app import Opening

        row = self._selected()
        session = self._reload(row) if row is not None else None
        if row is not None and session is not None:
            self.app.open_workshop(Opening(session, row.path))

    def action_quit(self) -> None:
        self.app.exit(0)
