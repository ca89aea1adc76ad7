"""A save that fails (full disk, failing write) is shown, retried, and never harms the file."""

from __future__ import annotations

import errno
import os
import resource
import signal
from pathlib import Path

import pytest
from textual.widgets import Static
from trustkit import a_session

from maturity_tui import storage
from maturity_tui.launch import Opening
from maturity_tui.storage import load_session, save_session, session_path
from maturity_tui.tui import app as app_module
from maturity_tui.tui.app import MaturityApp
from waitkit import settle, until


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = session_path(tmp_path, "apollo-2026-q4")
    save_session(a_session(), path)
    return path


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "SAVE_RETRY_SECONDS", 0.05)


def open_app(path: Path) -> MaturityApp:
    return MaturityApp(sessions_dir=path.parent, opening=Opening(load_session(path), path, 0))


def save_state_shown(app: MaturityApp) -> str:
    return str(app.screen.query_one("#save-state", Static).render())


def votes(path: Path) -> dict[str, int]:
    rating = load_session(path).ratings
    return dict(rating[0].votes) if rating and isinstance(rating[0].votes, dict) else {}


def temp_files(folder: Path) -> list[Path]:
    return list(folder.glob(".*.tmp"))


async def check_failing_then_recovering(path: Path, failing: list[bool]) -> None:
    """Votes while saves fail: shown on screen, file unchanged; then the retry writes them."""
    before = path.read_bytes()

    app = open_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        failing[0] = True
        await pilot.press("4", "2", "5")
        for _ in range(5):  # several retries, each failing
            await pilot.pause(0.06)
            await app.workers.wait_for_complete()
        assert app.save_failed
        assert save_state_shown(app).startswith("NOT SAVED, retrying")
        assert "-failed" in app.screen.query_one("#save-state").classes
        assert path.read_bytes() == before  # never truncated, never half-written
        assert temp_files(path.parent) == []
        session = app.workshop.session if app.workshop else None
        assert session is not None and dict(session.ratings[0].votes or {}) == {
            "Ana": 4,
            "Ben": 2,
            "Caro": 5,
        }  # kept in memory
        failing[0] = False
        await pilot.press("backspace")  # one more change while the retry is pending
        assert app.workshop is not None
        wanted = storage.dumps_session(app.workshop.session)
        await until(lambda: not app.save_failed, "a retry saves")
        await app.workers.wait_for_complete()
        assert save_state_shown(app).startswith("saved")
        assert path.read_text(encoding="utf-8") == wanted  # the full latest state

    assert votes(path) == {"Ana": 4, "Ben": 2}


async def test_a_full_disk_is_shown_retried_and_leaves_the_file_whole(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real failing write, as root too: RLIMIT_FSIZE makes the temp file's write fail with
    EFBIG past 4 KB (root ignores folder permissions, not this limit). SIGXFSZ is ignored so
    the write fails instead of killing the process."""
    failing = [False]
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    real_write = storage.atomic_write

    def atomic_write(path: Path, text: str) -> None:
        # Only around the save's own write: the limit is process-wide.
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096 if failing[0] else soft, hard))
        try:
            real_write(path, text)
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))

    monkeypatch.setattr(storage, "atomic_write", atomic_write)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        await check_failing_then_recovering(saved, failing)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)


async def test_a_failing_write_is_shown_retried_and_leaves_the_file_whole(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = [False]
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if failing[0]:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(storage.os, "fsync", fsync)
    await check_failing_then_recovering(saved, failing)


async def test_a_failing_rename_is_shown_retried_and_leaves_the_file_whole(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = [False]
    real_replace = os.replace

    def replace(source: str | Path, target: str | Path) -> None:
        if failing[0]:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(target))
        real_replace(source, target)

    monkeypatch.setattr(storage.os, "replace", replace)
    await check_failing_then_recovering(saved, failing)


async def test_a_file_replaced_behind_the_apps_back_is_not_overwritten_unasked(saved: Path) -> None:
    other = a_session(team="Changed elsewhere")
    replacement = saved.with_name("elsewhere.tmp")

    app = open_app(saved)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert votes(saved) == {"Ana": 4}
        save_session(other, replacement)  # an editor's save: a new file renamed over it
        os.replace(replacement, saved)
        theirs = saved.read_bytes()
        await pilot.press("2")
        for _ in range(3):  # the retries refuse too
            await pilot.pause(0.06)
            await app.workers.wait_for_complete()
        assert save_state_shown(app).startswith("NOT SAVED")
        assert "changed by another program" in save_state_shown(app)
        assert saved.read_bytes() == theirs
        await pilot.press("ctrl+s")  # the user chooses this session over the other
        await settle(pilot)
        assert save_state_shown(app).startswith("saved")

    assert votes(saved) == {"Ana": 4, "Ben": 2}
    assert load_session(saved).team == "Apollo"


async def test_opening_from_a_home_list_shown_earlier_never_writes_back_an_older_session(
    saved: Path,
) -> None:
    """The home screen read the file when it listed it; another instance then ran a workshop
    on it and closed. Opening the row must resume the file as it is now, not the old copy."""

    app = MaturityApp(sessions_dir=saved.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        newer = load_session(saved)
        newer.rating_or_new(newer.model.indicators[0].id).votes = {"Ana": 5, "Ben": 4}
        save_session(newer, saved)  # the other instance's workshop
        await pilot.press("enter")
        await settle(pilot)
        assert app.workshop is not None
        assert app.workshop.session.ratings[0].votes == {"Ana": 5, "Ben": 4}

    assert votes(saved) == {"Ana": 5, "Ben": 4}
