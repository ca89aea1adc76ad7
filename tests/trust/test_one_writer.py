"""One writer per session, across real processes: a second instance is refused and writes
nothing; the lock of a killed one is taken over."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from trustkit import ROOT, a_session, benchmark, wait_until

from maturity_tui.storage import LoadError, SessionLock, load_session, save_session
from maturity_tui.tui.app import MaturityApp
from maturity_tui.tui.screens.voting import VotingScreen
from maturity_tui.tui.widgets.library_table import LibraryTable
from waitkit import settle

pytestmark = pytest.mark.slow

kill_loop = benchmark("kill_loop")


def digest(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def votes_on(path: Path) -> dict[str, int]:
    try:
        session = load_session(path)
    except LoadError:
        return {}
    return {k: v for r in session.ratings if isinstance(r.votes, dict) for k, v in r.votes.items()}


def new_workshop(folder: Path) -> tuple[Any, Path]:
    app = kill_loop.AppInPty(
        ["new", "--team", "T", "--participants", "A,B", "--sessions-dir", str(folder)]
    )
    app.wait_until_up()
    return app, next(folder.glob("t-*.toml"))


def test_a_second_instance_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    first, path = new_workshop(tmp_path)
    try:
        first.type(b"4")
        assert wait_until(lambda: votes_on(path) == {"A": 4})
        before = digest(path)
        second = subprocess.run(
            [sys.executable, "-m", "maturity_tui", "open", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
            cwd=ROOT,
        )
        assert second.returncode == 2, second.stderr
        assert "open in another maturity-tui" in second.stderr
        assert f"pid {first.process.pid}" in second.stderr
        assert "Traceback" not in second.stderr
        assert digest(path) == before
        assert kill_loop.lock_pid(path) == first.process.pid
        first.type(b"2")  # the first instance still writes
        assert wait_until(lambda: votes_on(path) == {"A": 4, "B": 2})
    finally:
        first.kill()


def test_the_lock_of_a_killed_instance_is_taken_over(tmp_path: Path) -> None:
    first, path = new_workshop(tmp_path)
    first.kill()  # SIGKILL: the lock stays behind
    assert kill_loop.lock_pid(path) == first.process.pid
    second = kill_loop.AppInPty(["open", str(path)])
    try:
        second.wait_until_up()
        assert kill_loop.lock_pid(path) == second.process.pid
        second.type(b"5")
        assert wait_until(lambda: votes_on(path) == {"A": 5})
    finally:
        second.kill()


HOLD_THE_LOCK = """
import sys, time
from pathlib import Path
from maturity_tui.storage import SessionLock
lock = SessionLock(Path(sys.argv[1]))
lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


async def test_the_home_screen_will_not_open_a_session_another_process_writes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "apollo-2026-q4.toml"
    save_session(a_session(), path)
    other = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert other.stdout is not None and other.stdout.readline().strip() == "held"
    lock = path.with_name(path.name + ".lock")
    holder = json.loads(lock.read_text())
    before = digest(path)
    try:
        app = MaturityApp(sessions_dir=tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert app.screen.query_one(LibraryTable).row_count == 1
            await pilot.press("o")
            await pilot.pause()
            assert not isinstance(app.screen, VotingScreen)
            messages = [str(n.message) for n in app._notifications]
            assert any(f"pid {other.pid}" in m and "another maturity-tui" in m for m in messages)
    finally:
        other.kill()
        other.wait()
    assert digest(path) == before
    assert json.loads(lock.read_text()) == holder


def test_taking_the_lock_clears_temp_files_of_dead_saves_of_that_session(tmp_path: Path) -> None:
    path = tmp_path / "apollo-2026-q4.toml"
    save_session(a_session(), path)
    dead = [
        tmp_path / ".apollo-2026-q4.toml.0a1b2c3d.tmp",
        tmp_path / ".apollo-2026-q4.toml.ffffffff.tmp",
    ]
    others = [
        tmp_path / ".other.toml.0a1b2c3d.tmp",  # another session's: maybe a live save
        tmp_path / ".apollo-2026-q4.toml.notmine.tmp",
        tmp_path / "apollo-2026-q4.toml.0a1b2c3d.tmp",
    ]
    for temp in dead + others:
        temp.write_text("half a sess")
    with SessionLock(path):
        assert [t for t in dead if t.exists()] == []
        assert all(t.exists() for t in others)
    assert load_session(path) == a_session()
