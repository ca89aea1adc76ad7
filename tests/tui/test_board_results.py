"""A health check (board model) from the keyboard: the results show the board's counts and
every card, red first, each with its colour letter and trend arrow, readable without colour."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Static
from tuikit import build_session, make_app, settle

from maturity_tui.storage import find_model
from maturity_tui.tui.screens.results import ResultsScreen


@pytest.mark.usefixtures("with_and_without_colour")
async def test_board_results_put_red_first_with_letters_and_arrows(folder: Path) -> None:
    session = build_session(model=find_model("squad-health-check"), participants=["Ana", "Ben"])
    app = make_app(folder, session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # Each person: a colour, then a trend. Easy to release: amber ↑, amber ↑;
        # suitable process: red ↓, amber ↓ (lower median: red); tech quality: green, no trend.
        await pilot.press("2", "u", "2", "u", "r", "n", "1", "d", "2", "d", "r")
        await pilot.press("n", "3", "down", "3", "r", "v")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        placed = str(app.screen.query_one("#placed", Static).render())
        assert placed.splitlines() == ["Board: 1 red, 1 amber, 1 green", "7 unrated", "in progress"]
        objectives = app.screen.query_one("#objectives", OptionList)
        prompts = [str(objectives.get_option_at_index(n).prompt) for n in range(2)]
        assert prompts == ["R↓ Suitable process", "A↑ Easy to release"]
        board = str(app.screen.query_one("#mode-panel", Static).render()).splitlines()
        assert board[1:5] == [
            "R↓ Suitable process",
            "A↑ Easy to release",
            "G  Tech quality",
            "·  Value",
        ]
        assert len(board) == 11, "every card on the board"
        assert not app.screen.query_one("#progress-label", Static).display  # no 'Top level'
        assert not app.screen.query_one("#ladder", Static).display
