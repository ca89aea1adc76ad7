"""The home screen: the session library, by team and period, loaded in the background."""

from __future__ import annotations

import gc
import threading
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from maturity_tui.tui.text import literal_content
from maturity_tui.tui.widgets.footer import KeysFooter
from maturity_tui.tui.widgets.library_table import LibraryTable, TableRow
from maturity_tui.tui.workers import run_in_thread

COLUMNS = ("Team", "Period", "Model", "Level", "Status", "Last change")

if TYPE_CHECKING:
    from maturity_tui.domain import Session
    from maturity_tui.launch import Opening
    from maturity_tui.library_index import LibraryRow
    from maturity_tui.tui.app import MaturityApp

BATCH_SECONDS = 0.2
"""Rows of files read again reach the table in batches: the list fills in, in the library's
order, while keys keep working (rows the library's index holds up to date come at once).
Each batch costs the UI thread a frame of the whole table (the rows move): five a second
keep that share of a cold start small."""
FILTER_DELAY = 0.15

Listed = tuple["LibraryRow", TableRow | None]
"""A file of the folder, and its row in the table (None: it failed to load)."""


class RowsLoaded(Message):
    def __init__(self, rows: list[Listed], done: bool, notice: str | None = None) -> None:
        super().__init__()
        self.rows = rows
        self.done = done
        self.notice = notice
        """Why the library's index could not be used, once the scan is done."""


class RowsHandover:
    """The scan's batches, from its thread to the screen: posted while the screen is shown,
    held while another screen covers it, and posted as one when it is shown again.

    Textual treats the screen right under the top one as a background that may show through
    (`is_current` holds for it, opaque or not), and once anything of it was redrawn there, every
    message it handles repaints it and the whole top screen again (5-7 ms), and holds that
    screen's next frame back to the next frame time (~17 ms more): a vote typed in a workshop
    opened while the library fills took up to 30-45 ms to show. A covered screen handles none.
    """

    def __init__(self, screen: HomeScreen) -> None:
        self._screen = screen
        self._lock = threading.Lock()
        self._shown = True
        self._held: RowsLoaded | None = None
        self._closed = False

    def give(self, rows: list[Listed], done: bool, notice: str | None = None) -> None:
        """From the scan's thread: the screen gets the rows now, or when it is shown again."""
        with self._lock:
            if self._closed:
                return
            held = self._held
            if self._shown:
                self._screen.post_message(RowsLoaded(rows, done, notice))
            elif held is None:
                self._held = RowsLoaded(rows, done, notice)
            else:
                held.rows.extend(rows)
                held.done, held.notice = done, notice

    def hide(self) -> None:
        with self._lock:
            self._shown = False

    def covered(self) -> bool:
        """Whether another screen covers the list (a workshop: its keys come first)."""
        return not self._shown

    def show(self) -> None:
        with self._lock:
            self._shown = True
            held, self._held = self._held, None
            if held is not None and not self._closed:
                self._screen.post_message(held)

    def close(self) -> None:
        """Another scan takes over: what this one still gives goes nowhere."""
        with self._lock:
            self._closed = True
            self._held = None


def _keep_for_good() -> None:
    """The rows live as long as the screen: out of the collector's way as each batch comes
    in, so that its full collections never walk them. They would run every few seconds of a
    cold fill, each longer than the last as rows pile up (up to ~0.35 s at 5,000 rows, a key
    waiting all that time). The young generations are collected first, so that no garbage of
    the moment is kept with them."""
    gc.collect(1)
    gc.freeze()


class HomeScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New workshop", id="home.new"),
        Binding("o", "open", "Open", id="home.open"),
        # Priority: run as the key arrives, so that the keys typed right after it (one burst
        # from the terminal) already go to the filter, not to the table.
        Binding("slash", "filter", "Filter", id="home.filter", show=False, priority=True),
        Binding(
            "c", "compare", "Compare", id="home.compare", tooltip="All of this team's sessions"
        ),
        Binding(
            "d", "duplicate", "Next period", id="home.duplicate", tooltip="Same team, no votes"
        ),
        Binding(
            "P", "portfolio", "Portfolio", id="home.portfolio", tooltip="Every team side by side"
        ),
        Binding("delete", "trash", "Delete", id="home.trash", tooltip="Move to .trash/"),
        Binding("q", "quit", "Quit", id="home.quit"),
    ]

    AUTO_FOCUS = "LibraryTable"
    """The list takes the keys from its first frame (focusing it after would move the focus
    from the filter, the first focusable widget, and cost the first frame a restyle)."""

    app: MaturityApp

    def compose(self) -> ComposeResult:
        yield Static("maturity-tui · workshops", id="home-title")
        yield Input(
            placeholder="/ to filter: team, period, title", id="library-filter", compact=True
        )
        yield LibraryTable(COLUMNS, id="sessions")
        yield Static(id="load-errors")
        yield Static(
            literal_content(f"Loading sessions from {self.app.sessions_dir} …"), id="home-status"
        )
        yield KeysFooter()

    def on_mount(self) -> None:
        self._rows: dict[str, LibraryRow] = {}
        self._table_rows: dict[str, TableRow] = {}
        self._broken: list[LibraryRow] = []
        self._filter_timer: Timer | None = None
        self._notices_given: set[str] = set()
        self._complete = False
        """The scan is done: the status says how many sessions, not how many so far."""
        self._behind = False
        """Rows came while another screen hid this one (given just before it covered this
        one): the screen is brought up to date when shown again."""
        self._handover = RowsHandover(self)
        # Paint the screen first; the files then stream in behind it.
        self.call_after_refresh(self._load)

    def reload(self) -> None:
        """Back from a workshop: its file, or a new one, has changed since the list was read."""
        self._rows, self._table_rows, self._broken = {}, {}, []
        self._complete = False
        self._handover.close()
        self._handover = RowsHandover(self)
        self.query_one(LibraryTable).replace([])
        self._load()

    def _load(self) -> None:
        folder, handover = self.app.sessions_dir, self._handover
        run_in_thread(
            self.app,
            lambda: self._scan(folder, handover),
            name="Reading the sessions folder",
            group="scan",
        )

    def _scan(self, folder: Path, handover: RowsHandover) -> None:
        """The library's index brought up to date: its rows at once, then the files that
        changed, newest first, in batches, until done or cancelled."""
        # Imported here, in the worker: the domain's models are not needed for the first paint.
        from maturity_tui.collector import collector_off
        from maturity_tui.library_index import LibraryScan
        from maturity_tui.tui.session_rows import table_row

        worker = get_current_worker()
        with LibraryScan(folder, busy=handover.covered) as scan:
            for batch in scan.batches(BATCH_SECONDS):
                if worker.is_cancelled:
                    return
                # The table's cells are made here too, off the UI thread.
                with collector_off():  # they live as long as the screen
                    rows = [(row, table_row(row) if row.listed else None) for row in batch]
                handover.give(rows, done=False)
            # Told before the scan closes: its worker processes may take a while to end.
            handover.give([], done=True, notice=scan.notice)

    def on_rows_loaded(self, message: RowsLoaded) -> None:
        query = self._query()
        shown: list[TableRow] = []
        broken = len(self._broken)
        for row, table_row in message.rows:
            if table_row is None:
                self._broken.append(row)
                continue
            self._rows[table_row.key] = row
            self._table_rows[table_row.key] = table_row
            if self._shown(row, query):
                shown.append(table_row)
        _keep_for_good()
        self._complete = message.done
        if message.done:
            self._give_notice(message.notice)
        if self.app.screen is not self:
            # Given just before a workshop covered the list: its votes must not wait for a
            # table nobody sees (a few ms a batch), nor for a status line (`RowsHandover`).
            self._behind = True
            return
        self.query_one(LibraryTable).add(shown)
        if len(self._broken) > broken:
            self._show_broken()
        self._show_status()

    def on_screen_suspend(self) -> None:
        self._handover.hide()

    def on_screen_resume(self) -> None:
        self._handover.show()
        if self._behind:
            self._behind = False
            self._refill()
            if self._broken:
                self._show_broken()
            self._show_status()

    def _show_status(self) -> None:
        status = self.query_one("#home-status", Static)
        count = len(self._rows)
        if not self._complete:
            # Only the count changes: no layout pass over the screen for every batch.
            status.update(
                literal_content(f"Reading sessions from {self.app.sessions_dir}: {count} so far …"),
                layout=False,
            )
        elif count:
            status.update(
                literal_content(
                    f"{count} session{'s' if count != 1 else ''} in {self.app.sessions_dir}"
                )
            )
        else:
            status.update("No workshops yet: press n to start one.")

    def _give_notice(self, notice: str | None) -> None:
        """Why the library's index could not be used: said once, on whatever screen is up."""
        if notice is not None and notice not in self._notices_given:
            self._notices_given.add(notice)
            self.notify(notice, title="Library", severity="warning", markup=False)

    def _show_broken(self) -> None:
        """Files that failed to load: named with their first problem, never hidden."""
        from maturity_tui.tui.session_rows import problem_line

        shown = self.query_one("#load-errors", Static)
        shown.display = bool(self._broken)
        heading = Content.styled(f"Cannot load {len(self._broken)} file(s):", "bold")
        shown.update(
            Content("\n").join([heading, *(Content(problem_line(row)) for row in self._broken)])
        )

    # --- The library -----------------------------------------------------------------

    def _query(self) -> str:
        return self.query_one("#library-filter", Input).value

    @staticmethod
    def _shown(row: LibraryRow, query: str) -> bool:
        from maturity_tui.listing import matches

        return row.listed is not None and matches(row.listed, query)

    def _refill(self) -> None:
        """The library's rows that match the filter, in the library's order (by team, each
        team oldest period first)."""
        query = self._query()
        self.query_one(LibraryTable).replace(
            self._table_rows[key] for key, row in self._rows.items() if self._shown(row, query)
        )

    @on(Input.Changed, "#library-filter")
    def _filter_changed(self) -> None:
        # Filtering 5,000 rows costs a few milliseconds: once when typing pauses, not at
        # every key.
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, self._refill)

    @on(Input.Submitted, "#library-filter")
    def _filter_done(self) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._refill()
        self.set_focus(self.query_one(LibraryTable))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # In the filter, `/` is a character to type.
        return not (action == "filter" and isinstance(self.focused, Input))

    def action_filter(self) -> None:
        # At once, not as `focus()` does after the keys already routed to the table.
        self.set_focus(self.query_one("#library-filter", Input))

    def _selected(self) -> LibraryRow | None:
        highlighted = self.query_one(LibraryTable).highlighted
        return None if highlighted is None else self._rows.get(highlighted.key)

    def _reload(self, row: LibraryRow) -> Opening | None:
        """The row's file read again: the row may be older than the file (another instance ran
        a workshop on it since), and the first autosave would write the old copy back."""
        from maturity_tui.launch import Opening
        from maturity_tui.storage import LoadError, load_session_as_read

        try:
            session, read_as = load_session_as_read(row.path)
            return Opening(session, row.path, read_as=read_as)
        except LoadError as error:
            self.notify(str(error), title="Not opened", severity="error", markup=False)
            return None

    def action_compare(self) -> None:
        """The selected row's team, all its sessions: their files read off the UI thread (the
        index says which files; the comparison needs the votes)."""
        from maturity_tui.listing import same_team

        row = self._selected()
        if row is None or row.listed is None:
            return
        team = row.listed.team
        paths = [r.path for r in self._rows.values() if r.listed and same_team(r.listed.team, team)]
        run_in_thread(
            self.app, lambda: self._read_team(paths, team), name="Reading the team's sessions"
        )

    def _read_team(self, paths: list[Path], team: str) -> None:
        from maturity_tui.history import team_history
        from maturity_tui.storage import SessionEntry, load_entry

        entries: list[SessionEntry] = [load_entry(path) for path in paths]
        sessions = team_history((e.session for e in entries if e.session is not None), team)
        self.app.call_from_thread(self._show_comparison, sessions)

    def _show_comparison(self, sessions: list[Session]) -> None:
        from maturity_tui.tui.screens.compare import CompareScreen

        if sessions:
            self.app.push_screen(CompareScreen(sessions, self.app.sessions_dir))

    def action_portfolio(self) -> None:
        from maturity_tui.tui.screens.portfolio import PortfolioScreen

        self.app.push_screen(PortfolioScreen())

    def action_duplicate(self) -> None:
        from maturity_tui.history import duplicate_for_next_period
        from maturity_tui.launch import new_opening

        row = self._selected()
        source = self._reload(row) if row is not None else None
        if source is None:
            return
        folder = self.app.sessions_dir
        fresh = duplicate_for_next_period(source.session, folder, self.app.now())
        self.app.open_workshop(new_opening(fresh, folder))

    def action_trash(self) -> None:
        from maturity_tui.tui.screens.dialogs import ConfirmDialog

        row = self._selected()
        if row is None or row.listed is None:
            return
        chosen, listed = row, row.listed

        def answered(yes: bool | None) -> None:
            if yes:
                self._trash(chosen)

        question = Content.assemble(
            "Delete ",
            literal_content(f"{listed.team} {listed.period}", one_line=True),
            f" ({row.path.name})? It moves to .trash/ in the sessions folder.",
        )
        self.app.push_screen(ConfirmDialog(question), answered)

    def _trash(self, row: LibraryRow) -> None:
        from maturity_tui.storage import SessionLocked, trash_session

        try:
            moved = trash_session(row.path, self.app.sessions_dir)
        except (SessionLocked, OSError) as error:
            self.notify(str(error), title="Not deleted", severity="error", markup=False)
            return
        key = str(row.path)
        del self._rows[key], self._table_rows[key]
        self.query_one(LibraryTable).remove_row(key)
        self.notify(f"Moved to {moved}", title="Deleted", markup=False)

    def action_new(self) -> None:
        from maturity_tui.tui.screens.setup import SetupScreen

        self.app.push_screen(SetupScreen())

    @on(LibraryTable.Selected)
    def action_open(self) -> None:
        row = self._selected()
        opening = self._reload(row) if row is not None else None
        if opening is not None:
            self.app.open_workshop(opening)

    def action_quit(self) -> None:
        self.app.exit(0)
