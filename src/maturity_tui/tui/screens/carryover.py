"""Review last time's open actions before voting: done, dropped, or still open."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Label, Static

from maturity_tui.domain import Action, Session
from maturity_tui.domain.session import ActionStatus
from maturity_tui.history import carried_actions
from maturity_tui.library_index import previous_in_folder
from maturity_tui.tui.screens.workshop_screen import WorkshopScreen
from maturity_tui.tui.text import literal_content, literal_text
from maturity_tui.tui.widgets.session_bar import SessionBar
from maturity_tui.tui.workers import run_in_thread
from maturity_tui.workshop import Workshop

if TYPE_CHECKING:
    from maturity_tui.tui.app import MaturityApp

STATUS_LABELS: dict[ActionStatus, str] = {"open": "open", "done": "✓ done", "dropped": "✗ dropped"}
COLUMNS = ("Status", "Action", "Owner", "Due", "From")
WIDTHS = {"Status": max(map(len, STATUS_LABELS.values())), "Action": 36}
"""Fixed widths: a status fits whatever it becomes, and a title is clipped (not wrapped) so
that owner and due stay in sight at 80 columns; the highlighted one shows in full below."""


class CarryOverScreen(WorkshopScreen):
    """The carried-over actions of a new session; each verdict goes to the workshop."""

    BINDINGS = [
        Binding("d", "review('done')", "Done", id="carry-over.done"),
        Binding("x", "review('dropped')", "Dropped", id="carry-over.dropped"),
        Binding("o", "review('open')", "Keep open", id="carry-over.open"),
        Binding("enter,escape", "close", "Continue", id="carry-over.continue"),
    ]

    @property
    def session(self) -> Session:
        return self.workshop.session

    def compose(self) -> ComposeResult:
        yield SessionBar(self.session)
        actions = carried_actions(self.session)
        title = f"Last time's open actions · {self.session.team} · {self.session.period}"
        yield Label(literal_content(title, one_line=True), classes="screen-title")
        yield Label(
            f"{len(actions)} carried over. Is each one done, dropped, or still open?"
            if actions
            else "No actions were carried over.",
            id="carryover-hint",
        )
        table: DataTable[Text] = DataTable(id="carried", cursor_type="row", zebra_stripes=True)
        # An empty table would take enter for itself and never select a row.
        table.can_focus = bool(actions)
        for column in COLUMNS:
            table.add_column(column, key=column, width=WIDTHS.get(column))
        for action in actions:
            table.add_row(*self._cells(action), key=str(action.id))
        yield table
        yield Static(id="carried-detail")
        yield Footer(compact=True)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        action_id = event.row_key.value
        action = next((a for a in self.session.actions if str(a.id) == action_id), None)
        if action is None:
            return
        linked = f"\nIndicator: {action.indicator}" if action.indicator else ""
        self.query_one("#carried-detail", Static).update(literal_content(action.title + linked))

    @staticmethod
    def _cells(action: Action) -> tuple[Text, ...]:
        return (
            Text(STATUS_LABELS[action.status]),
            literal_text(action.title),
            literal_text(action.owner or "—"),
            Text(action.due.isoformat() if action.due else "—"),
            Text(action.carried_from or ""),
        )

    def action_review(self, status: ActionStatus) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        assert row_key.value is not None  # every row was added with its action id
        action = self.workshop.review_carried(int(row_key.value), status)
        table.update_cell(row_key, "Status", Text(STATUS_LABELS[action.status]))
        table.move_cursor(row=table.cursor_row + 1)

    def on_data_table_row_selected(self) -> None:
        self.action_close()  # enter on the table

    def action_close(self) -> None:
        self.dismiss()

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Mark the action done", "d", partial(self.action_review, "done"))
        yield SystemCommand("Drop the action", "x", partial(self.action_review, "dropped"))
        yield SystemCommand("Keep the action open", "o", partial(self.action_review, "open"))
        yield SystemCommand("Continue to the workshop", "enter", self.action_close)


def carry_over_and_review(app: MaturityApp, workshop: Workshop, folder: Path) -> None:
    """For a new session: find the team's latest earlier session off the UI thread, carry its
    open actions over, and put the review screen up when there is anything to review."""

    def review(previous: Session | None) -> None:
        if app.workshop is not workshop:
            return  # closed (ctrl+w) before the folder was read
        if previous is not None:
            workshop.carry_over(previous)
        if carried_actions(workshop.session):
            app.push_screen(CarryOverScreen())

    def find() -> None:
        app.call_from_thread(review, previous_in_folder(folder, workshop.session))

    run_in_thread(app, find, name="Finding last period's actions", exclusive=False)
