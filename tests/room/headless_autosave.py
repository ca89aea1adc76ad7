"""The autosave of a workshop with no app around it: the room's tests and benchmarks use it.

It is not the app's `Saver` (no file-identity check, no retry, no size limit), so it lives
with the tests, not in the package: nothing a coach runs saves this way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from maturity_tui.storage import atomic_write, dumps_session
from maturity_tui.workshop import Workshop

HERE = Path(__file__).resolve().parent
"""This folder: a room in a process of its own puts it on sys.path to import this module."""


class HeadlessAutosave:
    """Saves the workshop after each change.

    Like the app's autosave, it tells `on_saved` each revision it wrote. Dumping happens on
    the loop (the session is only touched there); the write runs in a thread, and changes
    made during a write coalesce into the next one.
    """

    def __init__(self, workshop: Workshop, path: Path) -> None:
        self.workshop = workshop
        self.path = path
        self.on_saved: list[Callable[[int], None]] = []
        self._written = workshop.revision  # what it was handed is not a change
        self._task: asyncio.Task[None] | None = None
        workshop.on_change.append(self._changed)

    def _changed(self) -> None:
        if self.workshop.revision > self._written and (self._task is None or self._task.done()):
            self._task = asyncio.get_running_loop().create_task(self._write())

    async def _write(self) -> None:
        while (revision := self.workshop.revision) > self._written:
            text = dumps_session(self.workshop.session)
            await asyncio.to_thread(atomic_write, self.path, text)
            self._written = revision
            for listener in list(self.on_saved):
                listener(revision)
