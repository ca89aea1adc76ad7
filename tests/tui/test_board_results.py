"""A health check (board model) from the keyboard: the results show the board's counts and
the red cards first, each with its colour letter, readable without colour."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Static
from tuikit import build_session, make_app, settle

from maturity_tui.storage import find_model
from maturity_tui.tui.screens.results import ResultsScreen


async def test_board_results_put_red_first_with_letters(folder: Path) -> None:
    session = build_session(model=find_model("squad-health-check"), participants=["Ana", "Ben"])
    app = make_app(folder, session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # Easy to release: amber, amber; suitable process: red, amber (lower median: red).
        await pilot.press("2", "2", "r", "n", "1", "2", "r", "v")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        placed = str(app.screen.query_one("#placed", Static).render())
        assert placed.startswith("Board: 1 red, 1 amber, 0 green, 8 unrated")
        objectives = app.screen.query_one("#objectives", OptionList)
        prompts = [str(objectives.get_option_at_index(n).prompt) for n in range(2)]
        assert prompts == ["R  Suitable process", "A  Easy to release"]
        assert "Top level" not in str(app.screen.query_one("#progress-label", Static).render())
