"""The room screen: where to join (URL, join code, QR code) and who has, for the projector."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from maturity_tui.room.qr import qr_lines
from maturity_tui.tui.big_code import big_code_lines, big_code_width
from maturity_tui.tui.text import literal_content
from maturity_tui.tui.widgets.session_bar import SessionBar
from maturity_tui.tui.widgets.voting import vote_count

if TYPE_CHECKING:
    from maturity_tui.room.server import Room
    from maturity_tui.tui.app import MaturityApp

INFO_WIDTH = 40
"""The columns the URL, the code and the names need beside the QR code."""
SIDES = 4
"""Columns around the info: the screen's padding and the code box's border."""


class RoomScreen(Screen[None]):
    """Shown while the room is open; escape goes back to voting, `j` closes the room."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back to voting", id="room.back"),
        Binding("j", "close_room", "Close the room", id="room.close"),
        Binding("x", "release", "Release a name", id="room.release"),
        Binding("f1,question_mark", "app.keys", "Keys", id="room.keys"),
    ]

    app: MaturityApp

    @property
    def room(self) -> Room | None:
        return self.app.room_control.room

    def compose(self) -> ComposeResult:
        assert self.app.workshop is not None and self.room is not None
        yield SessionBar(self.app.workshop.session)
        with Horizontal(id="room-body"):
            with Vertical(id="room-info"):
                yield Static("The room is open. Join at", classes="room-label")
                yield Static(Content(self.room.join_url or ""), id="room-url")
                yield Static(f"with the code {self.room.code}", classes="room-label")
                yield Static(id="room-code")
                yield Static(id="room-joined")
                yield Static(id="room-now")
                yield Static(id="room-qr-note")
            yield Static(id="room-qr")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        room = self.room
        assert room is not None and room.invite_url is not None
        self._qr = qr_lines(room.invite_url)
        self.query_one("#room-qr", Static).update(Content("\n".join(self._qr)))
        self._fit()
        self.watch(self.app, "room_changes", self._show_room, init=True)
        self.watch(self.app, "changes", self._show_votes, init=True)

    @on(Resize)
    def _fit(self) -> None:
        """The QR code only where it fits beside the rest (otherwise say why it is missing),
        and the code in big letters where they fit beside it."""
        wide, tall = len(self._qr[0]) + INFO_WIDTH, len(self._qr) + 2
        fits = self.size.width >= wide and self.size.height >= tall
        self.query_one("#room-qr").display = fits
        note = self.query_one("#room-qr-note", Static)
        note.display = not fits
        note.update(f"(QR code hidden: the terminal needs {wide} x {tall} to show it)")
        room = self.room
        if room is None:  # closing: the screen is on its way out
            return
        left = self.size.width - (len(self._qr[0]) if fits else 0) - SIDES
        big = big_code_lines(room.code) if left >= big_code_width(room.code) + SIDES else None
        code = "\n".join(big) if big else " ".join(room.code)
        self.query_one("#room-code", Static).update(Content(code))

    def _show_room(self, _changes: int = 0) -> None:
        room = self.room
        if room is None:  # closed from elsewhere (the palette)
            if self.is_current:
                self.dismiss()
            return
        workshop = self.app.workshop
        assert workshop is not None
        joined = Content(f"Devices connected now: {room.device_count}")
        if workshop.named:
            taken, connected = set(room.taken_names), set(room.connected_names)
            away = [name for name in room.taken_names if name not in connected]
            waiting = [name for name in workshop.session.participants if name not in taken]
            joined += Content("\n") + names_line("In the room", room.connected_names)
            if away:
                joined += Content("\n") + names_line("Joined, not connected", away)
            joined += Content("\n") + names_line("Not yet", waiting)
        self.query_one("#room-joined", Static).update(joined)
        self.refresh_bindings()

    def _show_votes(self, _changes: int = 0) -> None:
        workshop = self.app.workshop
        assert workshop is not None
        where = f"Indicator {workshop.index + 1} of {len(workshop.indicators)}"
        state = "revealed" if workshop.revealed else "hidden until the reveal"
        self.query_one("#room-now", Static).update(f"{where}: {vote_count(workshop)}, {state}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "release":
            return bool(self.room and self.room.taken_names) or None
        return True

    def action_back(self) -> None:
        self.dismiss()

    async def action_close_room(self) -> None:
        await self.app.room_control.close()
        self.app.notify("The room is closed: devices can no longer vote.", timeout=3)

    def action_release(self) -> None:
        room = self.room
        if room is None or not room.taken_names:
            return

        def chosen(name: str | None) -> None:
            if name is not None and self.room is not None and self.room.release(name):
                self.notify(
                    f"{name}'s device is released: {name} can join again.",
                    timeout=3,
                    markup=False,
                )

        self.app.push_screen(ReleaseDialog(room.taken_names), chosen)

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand(
            "Close the room", "j: devices can no longer vote", self.action_close_room
        )
        if self.room is not None and self.room.taken_names:
            yield SystemCommand("Release a name", "x: let them join again", self.action_release)
        yield SystemCommand("Back to voting", "escape", self.action_back)


def names_line(title: str, names: list[str]) -> Content:
    listed = Content(", ").join(literal_content(name, one_line=True) for name in names)
    return Content.assemble((f"{title}: ", "bold"), listed if names else "nobody")


class ReleaseDialog(ModalScreen[str | None]):
    """Whose device to let go, so that the participant can join again from another one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="release.cancel")
    ]

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.names = names

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Release whose device? They can then join again.", classes="dialog-title")
            yield OptionList(
                *(
                    Option(literal_content(name, one_line=True), id=str(n))
                    for n, name in enumerate(self.names)
                )
            )

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.names[int(event.option.id or "0")])

    def action_cancel(self) -> None:
        self.dismiss(None)
