"""Issue 18 on screen: no worker fails silently, no file hides the others or freezes a screen."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.widgets import Static
from tuikit import build_session, fixed_now, make_app, model_with, settle

from maturity_tui import library_index
from maturity_tui.domain import Session
from maturity_tui.launch import Opening, prepare
from maturity_tui.storage import save_session
from maturity_tui.tui.app import MaturityApp
from maturity_tui.tui.screens.export_dialog import ExportDialog
from maturity_tui.tui.session_rows import local_time
from maturity_tui.tui.widgets.library_table import LibraryTable


def notified(app: object) -> str:
    return "\n".join(n.message for n in app._notifications)  # type: ignore[attr-defined]


async def test_a_failed_worker_is_shown_not_swallowed(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(scan: object, batch_seconds: float) -> object:
        raise RuntimeError("the disk caught fire")

    monkeypatch.setattr(library_index.LibraryScan, "batches", broken)
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


async def test_an_edit_made_while_the_app_starts_is_not_overwritten(folder: Path) -> None:
    """Another program replaces the file after `prepare` read it and before the app mounts:
    the first autosave must notice, not take the new file for the one it read."""
    path = folder / "apollo-2026-q4.toml"
    save_session(build_session(), path)
    opening = prepare(folder, None, path)
    assert isinstance(opening, Opening)
    edited = build_session(team="Edited elsewhere")
    save_session(edited, folder / "other.toml")
    os.replace(folder / "other.toml", path)  # what an editor or a sync tool does
    elsewhere = path.read_bytes()
    app = MaturityApp(sessions_dir=folder, opening=opening, now=fixed_now)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("1")
            await settle(pilot)
            assert path.read_bytes() == elsewhere
            assert "was changed by another program" in notified(app)
    finally:
        assert opening.lock is not None
        opening.lock.release()


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
        datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-1))),
        datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
        datetime(1, 1, 1, tzinfo=UTC),
    ],
    ids=str,
)
async def test_a_date_at_the_edge_of_time_lists_with_the_others(
    folder: Path, moment: datetime
) -> None:
    """astimezone() overflows for these in some zones: the row shows the time as written."""
    edge = build_session(team="Edge")
    edge.updated_at = edge.started_at = moment
    save_session(edge, folder / "edge.toml")
    save_session(build_session(team="Plain"), folder / "plain.toml")
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(LibraryTable)
        assert sorted(str(table.get_row_at(n)[0]) for n in range(table.row_count)) == [
            "Edge",
            "Plain",
        ]
        shown = local_time(moment)
        assert f"{shown.year:04d}-{shown:%m-%d %H:%M}" in [
            str(table.get_row_at(n)[-1]) for n in range(table.row_count)
        ]
        assert not notified(app)


async def test_compare_across_a_change_of_scale_says_so(folder: Path) -> None:
    from textual.widgets import Label

    from maturity_tui.tui.screens.compare import CompareScreen

    old = build_session(
        model=model_with(
            scale={
                "achieved_at": 2,
                "contested_spread": 2,
                "points": [{"value": v, "label": f"point {v}"} for v in range(4)],
            }
        )
    )
    new = build_session()
    new.id, new.period, new.started_at = (
        "apollo-2027-q1",
        "2027-Q1",
        new.started_at.replace(year=2027),
    )
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(CompareScreen([old, new], folder))
        await settle(pilot)
        note = str(app.screen.query_one("#scale-changed", Label).render())
        assert note.startswith("The vote scale changed (0..3 in 2026-Q4, 1..5 in 2027-Q1)")


async def test_a_file_that_fails_unexpectedly_does_not_hide_the_others(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = library_index.summarize

    def summarize(session: Session) -> library_index.SessionSummary:
        if session.team == "Cursed":
            raise OverflowError("date value out of range")
        return real(session)

    monkeypatch.setattr(library_index, "summarize", summarize)
    cursed = build_session(team="Cursed")
    cursed.id = "cursed"
    save_session(cursed, folder / "cursed.toml")
    save_session(build_session(team="Plain"), folder / "plain.toml")
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(LibraryTable)
        assert [str(table.get_row_at(n)[0]) for n in range(table.row_count)] == ["Plain"]
        broken = str(app.screen.query_one("#load-errors", Static).render())
        assert "cursed.toml: cannot be listed (OverflowError: date value out of range)" in broken
