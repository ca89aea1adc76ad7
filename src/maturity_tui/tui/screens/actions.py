"""The action items of the session: add, edit and delete them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Footer, Static

from maturity_tui.domain import Action
from maturity_tui.tui.screens.dialogs import ActionDialog, ActionDraft, ConfirmDialog
from maturity_tui.tui.screens.workshop_screen import WorkshopScreen
from maturity_tui.tui.text import literal_content, literal_text
from maturity_tui.tui.widgets.session_bar import SessionBar

COLUMNS = ("#", "Title", "Indicator", "Owner", "Due", "Status")
FIXED_COLUMNS = 42
"""Cells of the id, owner, due and status columns, the padding and the scrollbar."""


class ActionsScreen(WorkshopScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="actions.back"),
        Binding("a,A", "add", "Add", id="actions.add"),
        Binding("e", "edit", "Edit", id="actions.edit"),
        Binding("d,delete", "delete", "Delete", id="actions.delete"),
    ]

    def compose(self) -> ComposeResult:
        yield SessionBar(self.workshop.session)
        yield Static("Action items (a add · enter or e edit · d delete)", id="actions-title")
        table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True, id="actions")
        table.add_columns(*COLUMNS)
        yield table
        yield Static(id="no-actions")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.watch(self.app, "changes", self._show, init=True)
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        self._show()

    def _show(self, _changes: int = 0) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for action in self.workshop.session.actions:
            table.add_row(*self._cells(action), key=str(action.id))
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        self.query_one("#no-actions", Static).update(
            "" if table.row_count else "No actions yet: press a to add one."
        )
        self.refresh_bindings()

    def _cells(self, action: Action) -> list[Text]:
        """Title and indicator share what the fixed columns leave, so 80 columns show all six."""
        room = max(self.size.width - FIXED_COLUMNS, 24)
        title, indicator = literal_text(action.title), Text(action.indicator or "")
        title.truncate(room * 2 // 3, overflow="ellipsis")
        indicator.truncate(room // 3, overflow="ellipsis")
        return [
            Text(str(action.id)),
            title,
            indicator,
            literal_text(action.owner or ""),
            Text(action.due.isoformat() if action.due else ""),
            Text(action.status),
        ]

    def _selected(self) -> Action | None:
        table: DataTable[Text] = self.query_one(DataTable)
        actions = self.workshop.session.actions
        return actions[table.cursor_row] if 0 <= table.cursor_row < len(actions) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "delete"):
            return True if self.workshop.session.actions else None
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_add(self) -> None:
        def added(draft: ActionDraft | None) -> None:
            if draft is not None:
                self.workshop.add_action(**asdict(draft))

        self.app.push_screen(ActionDialog(self.workshop.session), added)

    @on(DataTable.RowSelected)
    def action_edit(self) -> None:
        action = self._selected()
        if action is None:
            return

        def edited(draft: ActionDraft | None) -> None:
            if draft is not None:
                self.workshop.edit_action(action.id, **asdict(draft))

        self.app.push_screen(ActionDialog(self.workshop.session, action), edited)

    def action_delete(self) -> None:
        action = self._selected()
        if action is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.workshop.delete_action(action.id)

        question = Content(f"Delete action {action.id}, ") + literal_content(
            action.title, one_line=True
        )
        self.app.push_screen(ConfirmDialog(question + Content("?")), answered)

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Add an action item", "a", self.action_add)
        yield SystemCommand("Edit the selected action", "e", self.action_edit)
