"""Kill loop: SIGKILL the app at random moments in a pseudo-terminal; nothing saved is ever lost.

Each round starts the real app (`new` the first time, then `open` on the same file) in a
pseudo-terminal, sends random workshop keys (votes, undo, reveal, moves, not applicable,
consensus, notes, action items) and kills it with SIGKILL. The same keys are replayed on an
in-process `Workshop` to know what the session must hold after each one. After every kill
the file must load and validate and hold every change but the keystroke in flight:

- a *settled* round waits until the file shows every key sent but the last, then sends one
  more key and kills within a few milliseconds (often in the middle of that key's save);
- a *burst* round kills in the middle of a run of keys sent without waiting; the file must
  then be at least as new as the newest state seen on disk before the kill.

It also checks that the next start takes over the lock of the killed process and that temp
files of interrupted saves do not pile up.

    python benchmarks/kill_loop.py --kills 200 [--seed N] [--folder DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import itertools
import json
import os
import pty
import random
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from maturity_tui.domain import Session
from maturity_tui.storage import LoadError, load_session
from maturity_tui.workshop import Workshop, WorkshopError

ROWS, COLUMNS = 30, 100
PARTICIPANTS = "A,B,C,D"
UP_TEXT = b"Indicator "
"""The voting screen's position line: once drawn, the screen takes keys."""

VOTING = b"Who has voted"
"""Drawn whenever the voting screen is painted again: a dialog or screen over it has gone."""

FOCUS_WAIT = 0.05
"""After a dialog is drawn, the moment Textual takes to focus its first field."""

SETTLE_TIMEOUT = 10.0
START_TIMEOUT = 30.0


# --- What the file must hold --------------------------------------------------------------


def state_of(session: Session) -> str:
    """What the keys change, in a comparable form: ratings (empty ones dropped) and actions."""
    ratings = [
        rating.model_dump(mode="json", exclude_none=True)
        for rating in session.ratings
        if rating.votes or rating.consensus is not None or rating.not_applicable or rating.notes
    ]
    actions = [action.model_dump(mode="json", exclude_none=True) for action in session.actions]
    return json.dumps(
        {"ratings": sorted(ratings, key=lambda r: r["indicator"]), "actions": actions}
    )


def state_on_disk(path: Path) -> str | None:
    try:
        return state_of(load_session(path))
    except LoadError:
        return None


# --- Keys, and what each does to the workshop ---------------------------------------------


@dataclass(frozen=True, slots=True)
class Key:
    """Bytes to type, each with the text to wait for on screen before typing on (a dialog that
    has come up or gone), and the same change made in-process."""

    name: str
    typed: tuple[tuple[bytes, bytes | None], ...]
    apply: Callable[[Workshop], None]


def _quietly(change: Callable[[], object]) -> None:
    with contextlib.suppress(WorkshopError):  # the screen only warns, as the app does
        change()


def _vote(digit: int) -> Key:
    return Key(
        str(digit), ((str(digit).encode(), None),), lambda w: _quietly(lambda: w.cast_at(digit))
    )


def _toggle_not_applicable(workshop: Workshop) -> None:
    rating = workshop.rating
    workshop.set_not_applicable(not (rating is not None and rating.not_applicable))


def _consensus(digit: int) -> Key:
    def apply(workshop: Workshop) -> None:
        workshop.choose_consensus(workshop.session.model.scale.value_at(digit))

    return Key(f"c{digit}", ((b"c", b"Consensus rating"), (str(digit).encode(), VOTING)), apply)


def echo(text: str) -> bytes:
    """What shows that typed text has reached its box: its last word, drawn after it.

    A priority key (ctrl+s keeps a dialog) is handled as soon as it arrives, ahead of the
    characters still queued for the box, so it must wait for them to land first.
    """
    return text.split()[-1].encode()


def _notes(text: str) -> Key:
    typed = ((b"e", b"Notes (ctrl+s"), (text.encode(), echo(text)), (b"\x13", VOTING))
    return Key("notes", typed, lambda w: w.set_notes(text))


def _action(title: str) -> Key:
    typed = (
        (b"a", b"Action items"),
        (b"a", b"New action"),
        (title.encode(), echo(title)),
        (b"\x13", b"Action items"),
        (b"\x1b", VOTING),
    )
    return Key("action", typed, lambda w: w.add_action(title))


SIMPLE_KEYS: list[Key] = [
    Key("undo", ((b"\x7f", None),), lambda w: _quietly(w.undo_last)),
    Key("reveal", ((b"r", None),), lambda w: w.reveal()),
    Key("next", ((b"n", None),), lambda w: w.next()),
    Key("previous", ((b"p", None),), lambda w: w.previous()),
    Key("n/a", ((b"x", None),), _toggle_not_applicable),
    Key("up", ((b"\x1b[A", None),), lambda w: w.move_highlight(-1)),
    Key("down", ((b"\x1b[B", None),), lambda w: w.move_highlight(1)),
]

REVOTE = Key("re-vote", ((b"\x12", b"y: yes"), (b"y", VOTING)), lambda w: w.revote())

WORDS = ["fix", "[bold]", "onboarding", "[/]", "call", "5", "customers", "[link=x]"]


def random_key(rng: random.Random, workshop: Workshop) -> Key:
    """A key that keeps the app on the voting screen (so its meaning stays the same)."""
    points = len(workshop.session.model.scale.points)
    roll = rng.random()
    if roll < 0.55:
        return _vote(rng.randint(1, points + 1))  # one past the scale: refused, no change
    if roll < 0.85:
        key = rng.choice(SIMPLE_KEYS)
        if key.name == "next" and workshop.index + 1 >= len(workshop.indicators):
            key = SIMPLE_KEYS[3]  # `n` on the last indicator opens the results: go back instead
        return key
    if roll < 0.92:
        return _consensus(rng.randint(1, points))
    if roll < 0.93 and workshop.revealed:
        return REVOTE
    text = " ".join(rng.sample(WORDS, 3))
    rating = workshop.rating
    if roll < 0.96 and not (rating is not None and rating.notes):
        return _notes(text)  # typed into an empty notes box only: no cursor position to guess
    return _action(text)


# --- The app in a pseudo-terminal ---------------------------------------------------------


class ScreenTimeout(Exception):
    """The app did not draw what a key should bring up: the keys that follow would go astray."""


class AppInPty:
    """The real `maturity-tui` process on a fixed-size pseudo-terminal, its output drained."""

    def __init__(self, arguments: list[str], prefix: tuple[str, ...] = ()) -> None:
        """`prefix`: a command to run the app under (`setpriv …`)."""
        main, child = pty.openpty()
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none"}
        self.process = subprocess.Popen(
            [*prefix, sys.executable, "-m", "maturity_tui", *arguments],
            stdin=child,
            stdout=child,
            stderr=child,
            env=env,
            start_new_session=True,
        )
        os.close(child)
        self.fd = main
        self.output = bytearray()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        """Read everything the app writes, so that it never blocks on a full terminal."""
        try:
            while data := os.read(self.fd, 65536):
                self.output.extend(data)
        except OSError:
            pass

    def wait_until_up(self) -> None:
        if not self.shows(UP_TEXT, since=0, timeout=START_TIMEOUT):
            self.kill()
            shown = bytes(self.output[-2000:]).decode("utf-8", "replace")
            raise RuntimeError(
                f"the app did not come up (exit {self.process.returncode}):\n{shown}"
            )

    def shows(self, text: bytes, since: int, timeout: float = SETTLE_TIMEOUT) -> bool:
        """Whether the app draws `text` (after output position `since`) within the timeout."""
        deadline = time.monotonic() + timeout
        while text not in self.output[since:]:
            if self.process.poll() is not None or time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True

    def type(self, data: bytes, then_shows: bytes | None = None) -> None:
        """Type, and when asked, wait until the screen shows what the keys bring up."""
        since = len(self.output)
        os.write(self.fd, data)
        if then_shows is None:
            return
        if not self.shows(then_shows, since):
            raise ScreenTimeout(f"typed {data!r}, the screen never showed {then_shows.decode()!r}")
        time.sleep(FOCUS_WAIT)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        os.close(self.fd)
        self._reader.join(timeout=5)


# --- The loop -----------------------------------------------------------------------------


@dataclass
class Tally:
    kills: int = 0
    keys: int = 0
    changes: int = 0
    """Keys that changed the session (what must be saved)."""
    lost: int = 0
    """Changes that had reached the disk, or were sent before the one in flight, and were gone."""
    in_flight_lost: int = 0
    """Kills that took the keystroke in flight with them (allowed)."""
    lock_takeovers: int = 0
    max_temp_files: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"kills: {self.kills}  keys: {self.keys}  changes: {self.changes}  "
            f"changes lost: {self.lost}  in-flight keystrokes lost: {self.in_flight_lost}  "
            f"locks taken over: {self.lock_takeovers}  most temp files: {self.max_temp_files}  "
            f"failures: {len(self.failures)}  ({self.seconds:.1f} s)"
        )


def wait_for_state(path: Path, wanted: str, timeout: float = SETTLE_TIMEOUT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if state_on_disk(path) == wanted:
            return True
        time.sleep(0.01)
    return False


def difference(expected: str, found: str) -> str:
    """The ratings and actions that differ between two states, for a failure's message."""
    wanted, got = json.loads(expected), json.loads(found)
    parts = []
    for part in ("ratings", "actions"):
        missing = [x for x in wanted[part] if x not in got[part]]
        extra = [x for x in got[part] if x not in wanted[part]]
        if missing or extra:
            parts.append(f"{part}: expected {missing}, found {extra}")
    return "; ".join(parts)


def changes(states: list[str]) -> int:
    """How many steps of a sequence of states changed something."""
    return sum(before != after for before, after in itertools.pairwise(states))


def lock_pid(path: Path) -> int | None:
    try:
        return int(json.loads(path.with_name(path.name + ".lock").read_text())["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def opened(session: Session, index: int | None) -> Workshop:
    """The workshop as `MaturityApp.open_workshop` sets it up (who is highlighted first too)."""
    workshop = Workshop(session)
    workshop.go(workshop.first_unrated_index() if index is None else index)
    return workshop


class KillLoop:
    def __init__(self, folder: Path, seed: int) -> None:
        self.folder = folder
        self.rng = random.Random(seed)
        self.tally = Tally()
        self.path: Path | None = None

    def start(self) -> tuple[AppInPty, Workshop]:
        """The app on the session, and a workshop in the state the app starts from."""
        if self.path is None:
            arguments = ["new", "--model", "customer-engagement", "--team", "T"]
            arguments += ["--participants", PARTICIPANTS, "--sessions-dir", str(self.folder)]
            app = AppInPty(arguments)
            app.wait_until_up()
            self.path = next(self.folder.glob("t-*.toml"))
            return app, opened(load_session(self.path), 0)
        dead = lock_pid(self.path)
        workshop = opened(load_session(self.path), None)
        app = AppInPty(["open", str(self.path), "--sessions-dir", str(self.folder)])
        app.wait_until_up()
        holder = lock_pid(self.path)
        if holder != app.process.pid:
            self.fail(f"the lock names pid {holder}, not the running app {app.process.pid}")
        elif dead is not None:
            self.tally.lock_takeovers += 1
        return app, workshop

    def fail(self, problem: str) -> None:
        keys = " ".join(getattr(self, "keys", []))
        self.tally.failures.append(f"kill {self.tally.kills + 1}: {problem} [keys: {keys}]")

    def round(self) -> None:
        app, workshop = self.start()
        assert self.path is not None
        states = [state_of(workshop.session)]
        settled = self.rng.random() < 0.6
        count = self.rng.randint(1, 10)
        self.keys: list[str] = []
        newest_seen = 0
        try:
            for number in range(count):
                if settled and number == count - 1 and not wait_for_state(self.path, states[-1]):
                    self.fail(f"the file never showed the state after {number} keys")
                # Drawn when typed: what a key does depends on where the workshop is by then.
                key = random_key(self.rng, workshop)
                self.keys.append(key.name)
                try:
                    self.send(app, key, gap=self.rng.uniform(0.0, 0.05 if settled else 0.01))
                except ScreenTimeout as timeout:
                    self.fail(str(timeout))  # this key is the one in flight: stop here
                    count = number + 1
                key.apply(workshop)
                states.append(state_of(workshop.session))
                newest_seen = max(newest_seen, self.seen_index(states))
                if number == count - 1:
                    break
            time.sleep(self.rng.uniform(0.0, 0.03 if settled else 0.1))
        finally:
            app.kill()
        self.tally.kills += 1
        self.tally.keys += count
        self.tally.changes += changes(states)
        self.check(states, len(states) - 2 if settled else newest_seen)

    @staticmethod
    def send(app: AppInPty, key: Key, gap: float) -> None:
        for data, shown in key.typed:
            app.type(data, shown)
        time.sleep(gap)

    def seen_index(self, states: list[str]) -> int:
        """The newest key whose state is on disk now (0: none since the start)."""
        assert self.path is not None
        on_disk = state_on_disk(self.path)
        return max((n for n, state in enumerate(states) if state == on_disk), default=0)

    def check(self, states: list[str], must_have: int) -> None:
        """After the kill: a valid file, at least as new as key `must_have`, no pile of temps."""
        assert self.path is not None
        temps = list(self.folder.glob(".*.tmp"))
        self.tally.max_temp_files = max(self.tally.max_temp_files, len(temps))
        if len(temps) > 1:
            self.fail(f"{len(temps)} temp files left: {sorted(t.name for t in temps)}")
        try:
            on_disk = state_of(load_session(self.path))
        except LoadError as error:
            self.fail(f"the file does not load: {error}")
            return
        matches = [n for n, state in enumerate(states) if state == on_disk]
        if not matches:
            self.fail(f"the file holds a state that no key made: {difference(states[-1], on_disk)}")
            self.tally.lost += 1
            return
        kept = max(matches)
        if kept < must_have:
            lost = changes(states[kept : must_have + 1])
            self.tally.lost += lost
            self.fail(
                f"the file went back to key {kept} of {len(states) - 1} ({lost} changes lost): "
                + difference(states[must_have], on_disk)
            )
        elif kept < len(states) - 1 and states[kept] != states[-1]:
            self.tally.in_flight_lost += 1

    def run(self, kills: int) -> Tally:
        started = time.monotonic()
        for _ in range(kills):
            self.round()
        self.tally.seconds = time.monotonic() - started
        return self.tally


def kill_loop(kills: int, folder: Path, seed: int = 0) -> Tally:
    return KillLoop(folder, seed).run(kills)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--folder", type=Path, help="where the session goes (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        tally = kill_loop(args.kills, args.folder or Path(temp), args.seed)
    print(f"seed {args.seed}")
    for failure in tally.failures:
        print(failure)
    print(tally.summary())
    return 1 if tally.failures or tally.lost else 0


if __name__ == "__main__":
    sys.exit(main())
