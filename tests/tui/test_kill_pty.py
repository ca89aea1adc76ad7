"""`kill -9` in the middle of a workshop loses at most the keystroke in flight."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from maturity_tui.storage import LoadError, load_session

pytestmark = pytest.mark.slow

# Votes by position for A, B, C on three indicators; "n" moves on.
KEYS = ["4", "5", "3", "n", "2", "2", "1", "n", "5", "4", "3"]
EXPECTED = [
    {"A": 4, "B": 5, "C": 3},
    {"A": 2, "B": 2, "C": 1},
    {"A": 5, "B": 4, "C": 3},
]


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def drain(fd: int, output: bytearray) -> None:
    """Read the app's output so that it never blocks writing to the terminal."""
    try:
        while data := os.read(fd, 65536):
            output.extend(data)
    except OSError:
        pass


def saved_votes(path: Path) -> list[dict[str, int]]:
    try:
        session = load_session(path)
    except LoadError:
        return []
    return [dict(r.votes) for r in session.ratings if isinstance(r.votes, dict)]


def test_sigkill_keeps_every_vote_but_the_last(tmp_path: Path) -> None:
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none"}
    command = [sys.executable, "-m", "maturity_tui", "new", "--model", "customer-engagement"]
    command += ["--team", "T", "--participants", "A,B,C", "--sessions-dir", str(tmp_path)]
    process = subprocess.Popen(
        command, stdin=child, stdout=child, stderr=child, env=env, start_new_session=True
    )
    os.close(child)
    output = bytearray()
    threading.Thread(target=drain, args=(main, output), daemon=True).start()
    try:
        wait_for(lambda: any(tmp_path.glob("t-*.toml")))
        path = next(tmp_path.glob("t-*.toml"))
        wait_for(lambda: b"Indicator 1 of" in output)  # the voting screen is up and listening
        for key in KEYS[:-1]:
            os.write(main, key.encode())
            time.sleep(0.15)
        wait_for(lambda: saved_votes(path)[-1:] == [{"A": 5, "B": 4}])
        os.write(main, KEYS[-1].encode())
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(main)
    votes = saved_votes(path)
    assert votes[:2] == EXPECTED[:2]
    assert votes[2] in ({"A": 5, "B": 4}, EXPECTED[2])
