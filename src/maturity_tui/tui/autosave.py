"""Latest-snapshot-wins autosave: the UI hands over snapshots, one worker at a time writes them.

The UI thread only takes a cheap snapshot (`model_dump`) and offers it; validating,
dumping and the atomic write happen in a worker thread. Bursts coalesce because a worker
always takes the newest pending snapshot, and since at most one worker runs at a time an
older state can never be written after a newer one.

The worker starts at once but lets the frame that shows the change be drawn first
(`hold_until_drawn`): the TOML dump is Python that holds the GIL (10 ms at 50 x 60, 30 ms
at 50 x 200), and run beside the UI thread it made a vote's frame wait for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomli_w

from maturity_tui.domain import Rating, Session
from maturity_tui.storage import FileIdentity, SaveError, file_identity, save_session_data

Snapshot = dict[str, Any]
DRAW_WAIT = 0.1
"""Seconds at most that a save waits for the UI to draw the change first: a bound, so that a
UI busy with something long never holds back a save by more."""


def snapshot(session: Session) -> Snapshot:
    """Independent containers, so the UI can keep editing while a worker writes this."""
    return session.model_dump(mode="python", exclude_none=True)


class Snapshots:
    """Snapshots equal to `snapshot(session)` that share the parts not changed since the last.

    A vote changes one rating, but dumping the whole session (every vote, the model copy)
    took 3 ms at 50 x 60 and 10 ms at 50 x 200, on the UI thread at every key. Here the
    model copy is dumped once (it never changes during a workshop) and a rating only when
    it differs from its last dump. Sharing is safe: a snapshot is only ever read once taken.
    """

    def __init__(self) -> None:
        self._model: object = None
        self._model_dump: Snapshot = {}
        self._ratings: dict[str, Snapshot] = {}

    def take(self, session: Session) -> Snapshot:
        rest = session.model_dump(mode="python", exclude_none=True, exclude=_SHARED)
        if session.model is not self._model:
            self._model = session.model
            self._model_dump = session.model.model_dump(mode="python", exclude_none=True)
        ratings = [self._rating(rating) for rating in session.ratings]
        self._ratings = {dumped["indicator"]: dumped for dumped in ratings}
        rest["model"], rest["ratings"] = self._model_dump, ratings
        # In the fields' order, as model_dump has them: the saved file's order of keys.
        return {name: rest[name] for name in Session.model_fields if name in rest}

    def _rating(self, rating: Rating) -> Snapshot:
        last = self._ratings.get(rating.indicator)
        # A rating's fields are plain values (text, numbers, a dict or list of votes), so its
        # dump is its non-None fields: equal to the last dump means unchanged.
        if last is not None and last == {k: v for k, v in rating.__dict__.items() if v is not None}:
            return last
        return rating.model_dump(mode="python", exclude_none=True)


_SHARED = {"model", "ratings"}

_FORCER = {"forcer": "x" * 200}
"""A table too long to be written inline: alone or beside others, an array holding it is
written as an array of tables."""


class TomlText:
    """`tomli_w.dumps` of successive snapshots, reusing the text of the tables that are the
    same objects as last time (`Snapshots` shares the model copy and every rating a change
    left alone).

    The worker's dump is Python holding the GIL: the whole of a 50 x 60 session took 10 ms,
    50 x 200 30 ms, at every vote. Here a vote dumps its one rating. The pieces are tomli_w's
    own text, joined as tomli_w joins them: a document is its top-level keys' literals, then
    its tables, one blank line between two tables; the text of a table (`dumps({key: table})`)
    or of one table of an array of tables depends on nothing else (tests compare the two
    after any sequence of edits).
    """

    def __init__(self) -> None:
        self._texts: dict[tuple[str, str, int], tuple[object, str]] = {}
        """By (how it is written, its key, the table's id): the table and its text."""
        self._kept: dict[tuple[str, str, int], tuple[object, str]] = {}

    def dumps(self, data: dict[str, Any]) -> str:
        literals: list[str] = []
        tables: list[str] = []
        for key, value in data.items():
            if isinstance(value, dict):
                tables.append(self._text("table", key, value))
            elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                alone = [self._text("alone", key, table) for table in value]
                if not any(text.startswith("[[") for text in alone):
                    literals.append(tomli_w.dumps({key: value}))  # an inline array
                    continue
                # One table too long to be inline makes the whole array an array of tables.
                tables.extend(
                    text if text.startswith("[[") else self._text("among", key, table)
                    for text, table in zip(alone, value, strict=True)
                )
            else:
                literals.append(tomli_w.dumps({key: value}))
        self._texts, self._kept = self._kept, {}
        between = "\n" if literals and tables else ""
        return "".join(literals) + between + "\n".join(tables)

    def _text(self, how: str, key: str, table: dict[str, Any]) -> str:
        """`table`'s text under `key`: as a table ("table"), as an array of it alone
        ("alone"), or as one of an array of tables although short enough to be inline
        ("among")."""
        cache_key = (how, key, id(table))
        cached = self._texts.get(cache_key) or self._kept.get(cache_key)
        if cached is None or cached[0] is not table:
            if how == "table":
                text = tomli_w.dumps({key: table})
            elif how == "alone":
                text = tomli_w.dumps({key: [table]})
            else:
                forced = "\n" + tomli_w.dumps({key: [_FORCER]})
                text = tomli_w.dumps({key: [table, _FORCER]}).removesuffix(forced)
            cached = (table, text)
        self._kept[cache_key] = cached
        return cached[1]


class Saver:
    """The hand-over point between the UI thread and the save worker."""

    def __init__(self, path: Path, read_as: FileIdentity | None = None) -> None:
        self.path = path
        self.snapshots = Snapshots()
        """Where the UI thread takes the snapshots it offers (cheaply, sharing old parts)."""
        self.toml = TomlText()
        """The worker's dump, reusing the text of the parts its snapshots share."""
        self._lock = threading.Lock()
        self._pending: tuple[Snapshot, int] | None = None
        self._running = False
        self.on_saved: list[Callable[[int], None]] = []
        """Told the workshop revision just written, from the worker thread (the room waits
        for it before acknowledging a vote)."""
        self._written = read_as or file_identity(path)
        """The file as last read or written here: anything else was written by another
        program, and is not replaced until the user says so (`overwrite`). Given the
        identity of the bytes read, an edit made since the read is caught, however soon."""
        self._drawn = threading.Event()
        """Set once the frame showing the last change is drawn (`hold_until_drawn`)."""
        self._drawn.set()

    def overwrite(self) -> None:
        """Let the next save replace the file even if another program changed it."""
        with self._lock:
            self._written = None

    def hold_until_drawn(self) -> Callable[[], None]:
        """Hold the worker's next write until the returned function is called (from the UI,
        once the frame showing the change is drawn), or DRAW_WAIT has passed."""
        self._drawn.clear()
        return self._drawn.set

    def offer(self, data: Snapshot, revision: int) -> bool:
        """Queue the newest state; True when the caller must start a worker to write it."""
        with self._lock:
            self._pending = (data, revision)
            if self._running:
                return False
            self._running = True
            return True

    def resume(self) -> bool:
        """After a failure: True when a snapshot still waits and a worker must be started."""
        with self._lock:
            if self._pending is None or self._running:
                return False
            self._running = True
            return True

    def take(self) -> tuple[Snapshot, int] | None:
        """The newest pending snapshot, or None, which ends the worker's turn."""
        with self._lock:
            data, self._pending = self._pending, None
            if data is None:
                self._running = False
            return data

    def give_back(self, data: tuple[Snapshot, int]) -> None:
        """A write failed: keep the data for a retry unless something newer came meanwhile."""
        with self._lock:
            if self._pending is None:
                self._pending = data
            self._running = False

    @property
    def dirty(self) -> bool:
        with self._lock:
            return self._pending is not None or self._running

    def run(self) -> None:
        """Write until nothing is pending (in the worker); SaveError leaves the data queued."""
        while True:
            self._drawn.wait(DRAW_WAIT)  # the frame showing the change goes first
            if (pending := self.take()) is None:
                return
            data, revision = pending
            try:
                self._check_not_replaced()
                # Validated once, on the way to TOML (no Session built first to save).
                save_session_data(data, self.path, self.toml.dumps)
            except Exception:
                # Any failure, not only SaveError: the data stays queued for the retry.
                self.give_back(pending)
                raise
            with self._lock:
                self._written = file_identity(self.path)
            for listener in list(self.on_saved):
                listener(revision)

    def _check_not_replaced(self) -> None:
        with self._lock:
            written = self._written
        now = file_identity(self.path)
        if written is not None and now is not None and now != written:
            raise SaveError(
                f"{self.path.name} was changed by another program; not overwritten "
                "(ctrl+s overwrites it with this session)"
            )
