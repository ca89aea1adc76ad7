"""The strip at the top of a session's screens: whose session it is, and whether it is saved."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from maturity_tui.domain import Session
from maturity_tui.tui.text import literal_content


class SessionBar(Horizontal):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        session = self.session
        yield Static(
            literal_content(
                f"{session.team} · {session.period} · {session.model.name}", one_line=True
            ),
            id="session-name",
        )
        yield Static(id="save-state")

    def on_mount(self) -> None:
        self.watch(self.app, "save_state", self._show_save_state)

    def _show_save_state(self, state: str) -> None:
        shown = self.query_one("#save-state", Static)
        text = literal_content(state, one_line=True)
        # A new layout of the screen only when the text's width changes: "saved 10:41:07"
        # comes every second while people vote, and each layout cost a frame.
        before = shown.content
        width_changed = not isinstance(before, Content) or before.cell_length != text.cell_length
        shown.update(text, layout=width_changed)
        shown.set_class(state.startswith("NOT SAVED"), "-failed")
