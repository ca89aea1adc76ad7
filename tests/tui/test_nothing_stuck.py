"""Issue 18 on screen: no worker fails silently, no file hides the others or freezes a screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from tuikit import build_session, make_app, settle

from maturity_tui.storage import save_session
from maturity_tui.tui import session_rows
from maturity_tui.tui.screens.export_dialog import ExportDialog


def notified(app: object) -> str:
    return "\n".join(n.message for n in app._notifications)  # type: ignore[attr-defined]


async def test_a_failed_worker_is_shown_not_swallowed(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(path: Path) -> float:
        raise RuntimeError("the disk caught fire")

    monkeypatch.setattr(session_rows, "modified", broken)
    save_session(build_session(), folder / "apollo-2026-q4.toml")
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "Reading the sessions folder failed: the disk caught fire" in notified(app)


async def test_an_export_that_fails_unexpectedly_says_so(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(path: Path, text: str) -> None:
        raise RuntimeError("no room on the stick")

    from maturity_tui.tui.screens import export_dialog

    monkeypatch.setattr(export_dialog, "atomic_write", broken)
    session = build_session()
    app = make_app(folder, session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(ExportDialog.for_session(session, folder))
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Export failed: no room on the stick" in notified(app)
