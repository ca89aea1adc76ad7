"""The Textual app: owns the open session, its workshop and the autosave worker."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from maturity_tui.tui.room_control import RoomControl

if TYPE_CHECKING:
    from maturity_tui.launch import Opening, RoomOptions, SetupDraft

    # The domain, storage and workshop load after the first paint (app start budget).
    from maturity_tui.places import Resolved
    from maturity_tui.settings import Settings
    from maturity_tui.storage import SessionLock
    from maturity_tui.tui.autosave import Saver
    from maturity_tui.workshop import Workshop

STYLES = Path(__file__).parent
SAVE_RETRY_SECONDS = 3.0
WORKER_FAILURE_SECONDS = 30.0
"""Long enough to read and report: the failure may leave a screen half filled."""


class SaveFinished(Message):
    """From the save worker: the latest state is on disk, or why it is not."""

    def __init__(self, error: str | None) -> None:
        super().__init__()
        self.error = error


class MaturityApp(App[int]):
    CSS_PATH = [STYLES / "app.tcss"]
    """The home's styles, and what every screen shares: loaded at start."""
    LATER_CSS = [STYLES / name for name in ("screens.tcss", "room.tcss", "history.tcss")]
    """Every other screen's styles, none of them the home's: loaded as the first of those
    screens is pushed (parsing them was a tenth of the home's start)."""
    TITLE = "maturity-tui"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="app.save", tooltip="Write the session file now"),
        Binding("ctrl+q", "save_quit", "Quit", id="app.quit", tooltip="Save and quit"),
        Binding(
            "f1,question_mark", "keys", "Keys", id="app.keys", tooltip="Every key on this screen"
        ),
        Binding(
            "ctrl+w",
            "close_workshop",
            "Close workshop",
            show=False,
            id="app.close-workshop",
            tooltip="Save, close the room, and go back to the list of workshops",
        ),
    ]

    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]
    """Tall screens (a projector) get more air around the statement and the histogram."""

    changes: var[int] = var(0)
    """Bumped by every workshop change (votes, moves, reveals): screens watch it to redraw."""
    room_changes: var[int] = var(0)
    """Bumped when the room opens or closes, a device joins or is released, auto-reveal flips."""
    save_state: var[str] = var("")
    save_failed: var[bool] = var(False)

    def __init__(
        self,
        *,
        sessions_dir: Path,
        opening: Opening | SetupDraft | None = None,
        room: RoomOptions | None = None,
        now: Callable[[], datetime] | None = None,
        settings: Resolved | None = None,
    ) -> None:
        from maturity_tui.places import Resolved

        super().__init__()
        self.sessions_dir = sessions_dir
        self.resolved = settings or Resolved({}, {})
        self._theme_setting = self.resolved.theme
        self.opening = opening
        self.room = room
        self.now = now or (lambda: datetime.now(UTC))
        self.workshop: Workshop | None = None
        self.saver: Saver | None = None
        self.lock: SessionLock | None = None
        self._offered_revision = -1
        self._leave_unsaved = False
        self._save_asked = False
        """ctrl+s was pressed: the next save's outcome is told either way."""
        self.room_control = RoomControl(self)
        self._later_css_loaded = False

    def push_screen(self, screen: Any, *args: Any, **options: Any) -> Any:
        """As App.push_screen, the other screens' styles loaded first (once)."""
        if not self._later_css_loaded:
            self._later_css_loaded = True
            # Parsed alone (the stylesheet keeps what it parsed): no rule in them is the
            # home's, so nothing already on screen needs styling again.
            self.stylesheet.read_all(self.LATER_CSS)
            self.stylesheet.parse()  # now, so that the rules the next styling looks up have them
            if self.css_monitor is not None:
                self.css_monitor.add_paths(self.LATER_CSS)
        return super().push_screen(screen, *args, **options)

    @property
    def settings(self) -> Settings:
        """The settings' model, built when a screen first needs more than the start did."""
        return self.resolved.settings

    def get_default_screen(self) -> Screen[Any]:
        """Home is the bottom of the stack: a session's screens open over it."""
        from maturity_tui.tui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        if self.resolved.keymap:
            self.set_keymap(self.resolved.keymap)
        if self._theme_setting in self.available_themes:
            self.theme = self._theme_setting
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.opening is None:
            return
        from maturity_tui.launch import SetupDraft

        if isinstance(self.opening, SetupDraft):
            from maturity_tui.tui.screens.setup import SetupScreen

            self.push_screen(SetupScreen(self.opening))
        else:
            self.open_workshop(self.opening)

    def _theme_changed(self, theme: Theme) -> None:
        """A theme picked in the palette is the next start's theme too."""
        if theme.name != self._theme_setting:
            self._theme_setting = theme.name
            self._remember_theme(theme.name)

    @work(thread=True, group="config", exit_on_error=False)
    def _remember_theme(self, theme: str) -> None:
        from maturity_tui.places import ConfigError, remember_theme
        from maturity_tui.storage import LoadError

        try:
            remember_theme(theme)
        except (ConfigError, LoadError, OSError) as error:
            self.call_from_thread(
                self.notify, f"Theme not remembered: {error}", severity="warning", markup=False
            )

    # --- The open session -------------------------------------------------------------

    def open_workshop(self, opening: Opening) -> bool:
        """Run the session here; False (and a message) when another process is writing it."""
        from maturity_tui.storage import SessionLock, SessionLocked
        from maturity_tui.tui.autosave import Saver
        from maturity_tui.tui.screens.voting import VotingScreen
        from maturity_tui.workshop import Workshop

        lock = opening.lock or SessionLock(opening.path)
        try:
            lock.acquire()
        except SessionLocked as error:
            self.notify(str(error), title="Not opened", severity="error", markup=False)
            return False
        self.lock = lock
        workshop = Workshop(opening.session, now=self.now)
        # go() picks who votes first there; setting `index` beforehand would skip that.
        workshop.go(workshop.first_unrated_index() if opening.index is None else opening.index)
        self.workshop = workshop
        self.saver = Saver(opening.path, opening.read_as)
        self._offered_revision = -1
        workshop.on_change.append(self._workshop_changed)
        self._autosave()
        self.push_screen(VotingScreen())
        # The session and the screens live as long as the workshop: out of the collector's
        # way once drawn, so its full collections (up to ~90 ms at 50 x 60, each one a key
        # that missed its frame) walk only what keys allocate since.
        self.call_after_refresh(gc.freeze)
        if opening.new:
            from maturity_tui.tui.screens.carryover import carry_over_and_review

            folder = opening.path.parent
            carry_over_and_review(self, workshop, folder)
        if self.room is not None:  # --join
            self.call_later(self.room_control.show)
        return True

    async def on_unmount(self) -> None:
        await self.room_control.close()  # nothing keeps listening once the app is gone
        if self.lock is not None:
            self.lock.release()

    def _workshop_changed(self) -> None:
        assert self.workshop is not None
        if self.workshop.revision != self._offered_revision:
            self._autosave()
        self.changes += 1

    def _autosave(self) -> None:
        """Hand the newest state to the save worker; never waits for the disk."""
        assert self.workshop is not None and self.saver is not None
        self._offered_revision = self.workshop.revision
        data = self.saver.snapshots.take(self.workshop.session)
        # The worker writes it once the change is on the screen: the frame goes first.
        self.call_after_refresh(self.saver.hold_until_drawn())
        if self.saver.offer(data, self.workshop.revision):
            self._save_worker()

    @work(thread=True, group="save", exit_on_error=False, name="Saving the session")
    def _save_worker(self) -> None:
        assert self.saver is not None
        try:
            self.saver.run()
        except Exception as error:
            # Never lose the worker to a surprise: the data stays queued and is retried.
            self.post_message(SaveFinished(str(error) or type(error).__name__))
        else:
            self.post_message(SaveFinished(None))

    def on_save_finished(self, message: SaveFinished) -> None:
        failing_already = self.save_failed
        asked, self._save_asked = self._save_asked, False
        self.save_failed = message.error is not None
        if message.error is None:
            self.save_state = f"saved {self.now().astimezone():%H:%M:%S}"
            if asked:
                self.notify("Saved.", timeout=2)
            return
        self.save_state = f"NOT SAVED, retrying: {message.error}"
        if asked or not failing_already:
            # The bar has room for little more than "NOT SAVED": say why in full.
            self.notify(message.error, title="Not saved", severity="error", markup=False)
        self.set_timer(SAVE_RETRY_SECONDS, self._retry_save)

    def _retry_save(self) -> None:
        if self.saver is not None and self.saver.resume():
            self._save_worker()

    # --- Background work --------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a failed worker is told, so none fails silently (as harlequin does).

        A worker's messages go only to the node that started it: screens start theirs on
        the app (`workers.run_in_thread`) for their failures to arrive here.
        """
        if event.state is not WorkerState.ERROR:
            return
        from maturity_tui.textsafe import one_line

        worker = event.worker
        self.notify(
            one_line(f"{worker.name or 'A background task'} failed: {worker.error}"),
            title="Something went wrong",
            severity="error",
            markup=False,
            timeout=WORKER_FAILURE_SECONDS,
        )

    # --- Actions ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"save", "close_workshop"}:
            return self.workshop is not None
        return True

    def action_save(self) -> None:
        if self.workshop is not None and self.saver is not None:
            self.saver.overwrite()  # the user's say-so, even over a file changed elsewhere
            self._save_asked = True  # "Saved." once the worker has written it, not before
            self._autosave()

    async def action_save_quit(self) -> None:
        if await self._finish_workshop("ctrl+q", "quit"):
            self.exit(0)

    async def action_close_workshop(self) -> None:
        """Back to the library, with the session saved and free for another instance."""
        from maturity_tui.tui.screens.home import HomeScreen

        if self.workshop is None or not await self._finish_workshop("ctrl+w", "close it"):
            return
        self.room_control.stop_auto_reveal()
        self.workshop.on_change.remove(self._workshop_changed)
        self.workshop = self.saver = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        self._leave_unsaved = self.save_failed = False
        self.save_state = ""
        while not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        self.screen.reload()

    async def _finish_workshop(self, key: str, then: str) -> bool:
        """Close the room and save the last state; False while a failed save is unconfirmed."""
        await self.room_control.close()  # no vote arrives after the last save
        if self.workshop is None:
            return True
        self._autosave()
        # The saves only: not the library's scan behind the workshop (thousands of files).
        await self.workers.wait_for_complete([w for w in self.workers if w.group == "save"])
        if self.save_failed and not self._leave_unsaved:
            self._leave_unsaved = True
            self.notify(
                f"The session is NOT saved ({self.save_state}). "
                f"Press {key} again to {then} anyway.",
                severity="error",
                markup=False,
            )
            return False
        return True

    def action_keys(self) -> None:
        from maturity_tui.tui.screens.dialogs import KeysDialog

        if not isinstance(self.screen, KeysDialog):
            self.push_screen(KeysDialog(self.screen.active_bindings.values()))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()


def run(
    sessions_dir: Path,
    opening: Opening | SetupDraft | None,
    room: RoomOptions | None,
    settings: Resolved | None = None,
) -> int:
    """The `maturity-tui` app on what the command line prepared (and locked)."""
    from maturity_tui.launch import Opening

    app = MaturityApp(sessions_dir=sessions_dir, opening=opening, room=room, settings=settings)
    try:
        app.run()
    finally:
        if isinstance(opening, Opening) and opening.lock is not None:
            opening.lock.release()
    return app.return_code or 0
