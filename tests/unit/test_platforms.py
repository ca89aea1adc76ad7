"""Saving and locking as Windows' CPython behaves, simulated here, and on this machine.

Each test runs twice: on the real platform, and with Windows' behaviour simulated where it
differs from POSIX in what storage.py touches: os.name is "nt" (as storage sees it),
opening a folder raises PermissionError, the first os.replace meets a sharing violation
(an antivirus scanner), os.fchmod does not exist (before Python 3.13), and os.kill(pid, 0)
would send CTRL_C_EVENT, so it must never be called.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from maturity_tui import storage
from maturity_tui.storage import SaveError, SessionLock, SessionLocked

GOOD = Path(__file__).parents[1] / "data" / "good"

SHARING_VIOLATION = 32
"""ERROR_SHARING_VIOLATION: another program has the file open without sharing it."""


class Windows:
    """Records what the simulated Windows refused, so tests can say it was exercised."""

    def __init__(self) -> None:
        self.refused_folder_opens = 0
        self.sharing_violations = 0


class OsAsOnWindows:
    """The os module with Windows' name; everything else is the (patched) real one."""

    name = "nt"

    def __getattr__(self, attribute: str) -> Any:
        return getattr(os, attribute)


def simulate_windows(monkeypatch: pytest.MonkeyPatch) -> Windows:
    windows = Windows()
    real_open, real_replace = os.open, os.replace

    def open_no_folders(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if os.path.isdir(path):
            windows.refused_folder_opens += 1
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    def replace_busy_once(source: Any, target: Any) -> None:
        if windows.sharing_violations == 0:
            windows.sharing_violations += 1
            error = PermissionError(13, "The process cannot access the file", str(target))
            error.winerror = SHARING_VIOLATION  # type: ignore[attr-defined]
            raise error
        real_replace(source, target)

    def kill(pid: int, signal: int) -> None:
        raise AssertionError(f"os.kill({pid}, {signal}) would send CTRL_C_EVENT on Windows")

    # os.name is "nt" as storage sees it: set on the real os module, pathlib (and pytest
    # with it) would build WindowsPath objects, which cannot exist on this machine.
    monkeypatch.setattr(storage, "os", OsAsOnWindows())
    monkeypatch.setattr(os, "open", open_no_folders)
    monkeypatch.setattr(os, "replace", replace_busy_once)
    monkeypatch.delattr(os, "fchmod", raising=False)
    monkeypatch.setattr(os, "kill", kill)
    return windows


@pytest.fixture(params=["this machine", "windows (simulated)"])
def platform(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Windows | None:
    if request.param == "this machine":
        return None
    return simulate_windows(monkeypatch)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A sessions folder with spaces and non-ASCII letters in its path."""
    folder = tmp_path / "Zoë's workshops" / "Équipe Ärger 2026"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def session_file(folder: Path) -> Path:
    path = folder / "apollo-2026-q4.toml"
    path.write_bytes((GOOD / "named-session.toml").read_bytes())
    return path


def only_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_save_is_whole_and_reported_as_done(platform: Windows | None, session_file: Path) -> None:
    session = storage.load_session(session_file)
    session.title = "Zoë's second look"
    storage.save_session(session, session_file)
    assert storage.load_session(session_file).title == "Zoë's second look"
    assert only_files(session_file.parent) == [session_file.name]
    if platform is not None:
        assert platform.sharing_violations == 1  # met once, then the retry succeeded
        assert platform.refused_folder_opens == 0  # no folder fsync tried where there is none


def test_a_file_is_written_with_lf_and_read_with_either_line_ending(
    platform: Windows | None, session_file: Path
) -> None:
    session = storage.load_session(session_file)
    storage.save_session(session, session_file)
    written = session_file.read_bytes()
    assert b"\r\n" not in written
    session_file.write_bytes(written.replace(b"\n", b"\r\n"))  # as a Windows editor saves it
    assert storage.load_session(session_file) == session


def test_a_sharing_violation_that_lasts_is_a_save_error_and_the_file_stays(
    platform: Windows | None, session_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def always_busy(source: Any, target: Any) -> None:
        raise PermissionError(13, "The process cannot access the file", str(target))

    monkeypatch.setattr(storage, "REPLACE_RETRY_DELAYS", (0.0, 0.0))
    monkeypatch.setattr(os, "replace", always_busy)
    before = session_file.read_bytes()
    with pytest.raises(SaveError, match="cannot access"):
        storage.save_session(storage.load_session(session_file), session_file)
    assert session_file.read_bytes() == before
    assert only_files(session_file.parent) == [session_file.name]


def test_lock_refuses_a_second_writer_and_leaves_nothing_behind(
    platform: Windows | None, session_file: Path
) -> None:
    with SessionLock(session_file) as lock:
        with pytest.raises(SessionLocked, match=f"pid {os.getpid()}"):
            SessionLock(session_file).acquire()
        assert lock.held
    assert only_files(session_file.parent) == [session_file.name]


def test_a_stale_lock_file_is_taken_over_without_asking_the_os_about_its_pid(
    platform: Windows | None, session_file: Path
) -> None:
    dead = SessionLock(session_file)
    dead.path.write_text(
        f'{{"pid": 999999, "host": "{dead.holder.host}", "since": "2026-01-01T00:00:00Z"}}'
    )
    with SessionLock(session_file) as lock:
        assert lock.held


# --- Two real processes ---------------------------------------------------------------------

HOLD = """
import sys
from pathlib import Path
from maturity_tui.storage import SessionLock
lock = SessionLock(Path(sys.argv[1]))
lock.acquire()
print("held", flush=True)
sys.stdin.read()  # until the test closes stdin or kills this process
"""


@pytest.fixture
def holder_process(session_file: Path) -> Iterator[Callable[[], subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []

    def start() -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(session_file)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        assert process.stdout is not None and process.stdout.readline().strip() == "held"
        return process

    yield start
    for process in started:
        process.kill()
        process.wait()


def dead_but_not_reaped(process: subprocess.Popen[str]) -> None:
    """Wait until the process has exited but leave it a zombie where the OS can (not macOS)."""
    if hasattr(os, "waitid"):
        os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
    else:
        process.wait()


def test_two_processes_one_writer_then_the_next_after_a_kill(
    session_file: Path, holder_process: Callable[[], subprocess.Popen[str]]
) -> None:
    first = holder_process()
    with pytest.raises(SessionLocked, match=f"pid {first.pid}"):
        SessionLock(session_file).acquire()
    first.kill()  # kill -9: it never gets to release its lock
    dead_but_not_reaped(first)
    assert storage.read_lock_holder(SessionLock(session_file).path) is not None  # left behind
    second = holder_process()
    with pytest.raises(SessionLocked, match=f"pid {second.pid}"):
        SessionLock(session_file).acquire()


def test_a_holder_gone_without_releasing_leaves_nothing_once_the_next_closes(
    session_file: Path, holder_process: Callable[[], subprocess.Popen[str]]
) -> None:
    holder = holder_process()
    assert holder.stdin is not None
    holder.stdin.close()
    holder.wait(timeout=30)
    with SessionLock(session_file):
        pass
    assert only_files(session_file.parent) == [session_file.name]
