"""The voting screen's reminder that the room is open (and how many devices are in it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

if TYPE_CHECKING:
    from maturity_tui.tui.app import MaturityApp


class RoomBadge(Static):
    """ "room open · 3 devices", and "auto-reveal" while that is on; nothing otherwise."""

    app: MaturityApp

    def on_mount(self) -> None:
        self.watch(self.app, "room_changes", self._show, init=True)

    def _show(self, _changes: int = 0) -> None:
        control = self.app.room_control
        parts = []
        if control.room is not None:
            devices = control.room.device_count
            parts.append(f"room open · {devices} device{'' if devices == 1 else 's'}")
        if control.auto_reveal:
            parts.append("auto-reveal")
        self.display = bool(parts)
        self.update(" · ".join(parts))
