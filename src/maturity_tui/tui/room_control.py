"""The app's side of the room: opening it on the workshop, closing it, and auto-reveal.

The server runs in the app's own event loop (`open_room`); its handlers call the workshop
directly, so a device's vote reaches the screens through the same `on_change` as a key.
"""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # aiohttp loads only when a room opens (app start budget).
    from maturity_tui.room.server import Room
    from maturity_tui.tui.app import MaturityApp
    from maturity_tui.workshop import Workshop


def why_not_open(error: Exception) -> str:
    if isinstance(error, OSError) and error.errno == errno.EADDRINUSE:
        return "the port is taken (another room or program?): choose another with --port"
    if isinstance(error, OSError) and error.errno == errno.EADDRNOTAVAIL:
        return "this machine has no such address: choose another with --host"
    return str(error)


class RoomControl:
    """The open room (or none) and whether votes reveal themselves once everyone has voted."""

    def __init__(self, app: MaturityApp) -> None:
        self.app = app
        self.room: Room | None = None
        self.auto_reveal = False
        self.timebox: tuple[int, bool] | None = None
        """The voting screen's countdown (seconds left, running), for devices to show."""
        self._complete = (-1, False)
        """(indicator index, everyone had voted) at the last change: auto-reveal fires when
        a vote completes an indicator, not when the facilitator moves to a complete one."""

    @property
    def workshop(self) -> Workshop:
        assert self.app.workshop is not None
        return self.app.workshop

    async def open(self) -> bool:
        """Open the room with the app's room options (`--host`, `--port`, `--public-url`…)."""
        if self.room is not None:
            return True
        from maturity_tui.launch import RoomOptions
        from maturity_tui.room.gate import tls_context
        from maturity_tui.room.server import DEFAULT_PORT
        from maturity_tui.room.workshop_host import open_room

        assert self.app.saver is not None
        options = self.app.room or RoomOptions()
        host = options.host
        port = DEFAULT_PORT if options.port is None else options.port
        cert, key = options.tls_cert, options.tls_key
        try:
            room = await open_room(
                self.workshop,
                self.app.saver.on_saved,
                bind=host,
                port=port,
                code=options.join_code,
                public_url=options.public_url,
                behind_proxy=options.behind_proxy,
                tls=tls_context(cert, key) if cert and key else None,
            )
        except (OSError, ValueError) as error:
            where = f"{host or 'this machine'}, port {port}"
            why = why_not_open(error)
            self.app.notify(
                f"The room did not open on {where}: {why}",
                title="Room",
                severity="error",
                markup=False,
            )
            return False
        room.on_change.append(self._room_changed)
        room.on_join.append(self._joined)
        if self.timebox is not None:
            room.set_timebox(*self.timebox)
        self.room = room
        self._room_changed()
        return True

    async def close(self) -> None:
        """Stop listening: devices' event streams end and the port is free again."""
        room, self.room = self.room, None
        if room is None:
            return
        await room.stop()
        if self.app.is_running:
            self._room_changed()

    async def show(self) -> None:
        """Open the room if it is closed, then show its screen (URL, code, QR, who joined)."""
        from maturity_tui.tui.screens.room import RoomScreen

        if await self.open() and not isinstance(self.app.screen, RoomScreen):
            await self.app.push_screen(RoomScreen())

    def show_timebox(self, remaining: int, running: bool) -> None:
        self.timebox = (remaining, running)
        if self.room is not None:
            self.room.set_timebox(remaining, running)

    def _joined(self, name: str | None) -> None:
        """Each join as it happens, on whatever screen the facilitator is."""
        who = f"{name} joined" if name is not None else "A device joined"
        self.app.notify(f"{who} the room.", title="Room", timeout=4, markup=False)

    def _room_changed(self) -> None:
        self.workshop.set_own_devices(self.room.taken_names if self.room else ())
        self.app.room_changes += 1

    # --- Auto-reveal --------------------------------------------------------------------

    def toggle_auto_reveal(self) -> None:
        if self.auto_reveal:
            self.stop_auto_reveal()
        else:
            self.auto_reveal = True
            self._complete = (self.workshop.index, False)  # already complete: reveal now
            self.workshop.on_change.append(self._votes_changed)
            self._votes_changed()
        self.app.notify(
            f"Auto-reveal on: votes show once {self.waits_for()}."
            if self.auto_reveal
            else "Auto-reveal off: r reveals the votes.",
            timeout=3,
        )
        self._room_changed()

    def stop_auto_reveal(self) -> None:
        """Off, and no longer listening to the workshop: also when the workshop closes, so
        that the next one does not start with a switch wired to the old one."""
        if self.auto_reveal:
            self.auto_reveal = False
            self.workshop.on_change.remove(self._votes_changed)

    def everyone_voted(self) -> bool:
        """Named: every participant, their rating and (when asked) their trend. Anonymous: the
        head count, else as many votes (and trend votes when asked) as devices in the room."""
        workshop = self.workshop
        if workshop.expected_votes is not None:
            return workshop.everyone_voted()
        devices = self.room.device_count if self.room is not None else 0
        return not workshop.named and devices > 0 and workshop.complete_votes() >= devices

    def waits_for(self) -> str:
        """Whom auto-reveal waits for, as the screen says it."""
        expected = self.workshop.expected_votes
        if self.workshop.named:
            return "everyone has voted"
        if expected is not None:
            return "the vote is in" if expected == 1 else f"all {expected} votes are in"
        return "every device in the room has voted"

    def _votes_changed(self) -> None:
        index = self.workshop.index
        complete = self.everyone_voted()
        completed_now = complete and self._complete == (index, False)
        self._complete = (index, complete)
        if completed_now and not self.workshop.revealed:
            # Not from inside the workshop's notification: its other listeners come first.
            self.app.call_later(self._reveal)

    def _reveal(self) -> None:
        if self.auto_reveal and not self.workshop.revealed and self.everyone_voted():
            self.workshop.reveal()
            self.app.notify(f"Auto-reveal: {self.waits_for()}, so the votes show.", timeout=3)
