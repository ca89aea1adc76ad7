"""The voting screen's reminder that the room is open (and how many devices are in it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

if TYPE_CHECKING:
    from maturity_tui.tui.app import MaturityApp


class RoomBadge(Static):
    """ "room open · 3 devices", and "auto-reveal" while that is on ("auto-reveal at 8 votes"
    with an anonymous head count); nothing otherwise."""

    app: MaturityApp

    _shown: str | None = None

    def on_mount(self) -> None:
        self.watch(self.app, "room_changes", self._show, init=True)
        self.watch(self.app, "changes", self._show, init=False)  # a new head count

    def _show(self, _changes: int = 0) -> None:
        control = self.app.room_control
        parts = []
        if control.room is not None:
            devices = control.room.device_count
            parts.append(f"room open · {devices} device{'' if devices == 1 else 's'}")
        if control.auto_reveal:
            head_count = self.app.workshop.session.head_count if self.app.workshop else None
            parts.append(
                "auto-reveal" if head_count is None else f"auto-reveal at {head_count} votes"
            )
        text = " · ".join(parts)
        if text != self._shown:
            self._shown = text
            self.display = bool(parts)
            self.update(text)
