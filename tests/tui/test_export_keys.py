"""The export dialog from the keyboard: space never wipes the path, enter on a format writes."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input
from tuikit import build_session, make_app, settle

from maturity_tui.tui.screens.export_dialog import ExportDialog, FormatList


async def test_space_keeps_the_path_and_enter_on_a_format_writes(folder: Path) -> None:
    session = build_session()
    app = make_app(folder, session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dialog = ExportDialog.for_session(session, folder)
        app.push_screen(dialog)
        await settle(pilot)
        path = dialog.query_one("#export-path", Input)
        default = path.value
        await pilot.press("space")
        assert path.value.strip() == default
        formats = dialog.query_one(FormatList)
        formats.focus()
        await pilot.press("down", "enter")
        await settle(pilot)
        second = dialog.choices[1].filename
        assert (folder / "exports" / second).is_file()
