"""The results screen at 80x24: a headline that does not wrap, a contested list that scrolls."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from tuikit import attributes_on, build_session, make_app, settle

from maturity_tui.tui.screens.results import ResultsScreen


async def test_results_headline_and_contested_list_fit_80x24(folder: Path) -> None:
    app = make_app(folder, build_session(participants=["Ana", "Ben"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(9):  # nine indicators split 1 against 5: more than the list's height
            await pilot.press("1", "5", "r", "n")
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        placed = app.screen.query_one("#placed", Static)
        lines = str(placed.render()).splitlines()
        assert lines[-1] == "in progress"
        assert placed.size.height == len(lines)  # no line wrapped
        box = app.screen.query_one("#contested-box", VerticalScroll)
        assert box.max_scroll_y > 0
        box.focus()
        await pilot.press("down", "down")
        assert box.scroll_y > 0


async def test_highlighted_rows_stay_visible_without_colour(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(folder, build_session(participants=["Ana", "Ben"]), save=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        objectives = app.screen.query_one("#objectives", OptionList)
        first, second = (str(option.prompt)[2:20] for option in objectives.options[:2])
        assert attributes_on(app, first) and not attributes_on(app, second)
    async with make_app(folder).run_test(size=(80, 24)) as pilot:  # home: the saved session
        await settle(pilot)
        assert "reverse" in attributes_on(pilot.app, "Apollo")
