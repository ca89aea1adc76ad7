"""f1 at 80x24: the screen's own keys come before Textual's scrolling and focus keys."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static
from tuikit import build_session, make_app, settle

from maturity_tui.tui.screens.dialogs import KeysDialog


async def test_keys_list_the_screens_own_keys_first(folder: Path) -> None:
    app = make_app(folder, build_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, KeysDialog)
        lines = [
            line.strip()
            for line in str(app.screen.query_one("#keys", Static).render()).splitlines()
        ]
        first = lambda ending: next(n for n, line in enumerate(lines) if line.endswith(ending))  # noqa: E731
        assert first("Reveal") < min(first("Focus Next"), first("Scroll Up"))
