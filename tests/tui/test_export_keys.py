"""The export dialog from the keyboard: space never wipes the path, enter on a format writes."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Checkbox, Input
from tuikit import build_session, make_app, settle

from maturity_tui.export import actions_csv
from maturity_tui.outputs import UTF8_BOM
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


async def test_a_csv_can_start_with_a_byte_order_mark_and_only_a_csv_offers_one(
    folder: Path,
) -> None:
    """The CLI's --bom in the dialog: offered for CSV formats, hidden for the others."""
    session = build_session()
    app = make_app(folder, session)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        dialog = ExportDialog.for_session(session, folder)
        app.push_screen(dialog)
        await settle(pilot)
        bom = dialog.query_one("#export-bom", Checkbox)
        formats = dialog.query_one(FormatList)
        formats.focus()
        shown = {dialog.choices[0].label: bom.display}
        for choice in dialog.choices[1:]:
            await pilot.press("down", "space")  # space picks the highlighted format
            shown[choice.label] = bom.display
        assert shown == {c.label: c.label.split(" · ")[1].startswith("CSV") for c in dialog.choices}
        assert any(shown.values()) and not all(shown.values())
        await pilot.press(*["up"] * (len(dialog.choices) - 1), "space")
        assert dialog.choice == dialog.choices[0] and bom.display
        bom.focus()
        await pilot.press("space")
        assert bom.value
        dialog.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
    written = (folder / "exports" / dialog.choices[0].filename).read_bytes()
    assert written == (UTF8_BOM + actions_csv(session)).encode("utf-8")
