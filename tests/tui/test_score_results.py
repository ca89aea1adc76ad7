"""Results on a score model (SAMM's arithmetic): group and dimension scores to two decimals,
a bar against each target, objectives in score terms; no level ladder."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Static
from tuikit import make_app, settle

from maturity_tui.storage import load_session
from maturity_tui.tui.screens.results import ResultsScreen

ORION = Path(__file__).parents[1] / "data" / "golden" / "input" / "orion-2026-q4.toml"


@pytest.mark.usefixtures("with_and_without_colour")
async def test_score_results_show_scores_bars_targets_and_score_objectives(folder: Path) -> None:
    app = make_app(folder, load_session(ORION), index=0)  # nothing hidden: as the report
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        # The same figures as `report` (tests/data/golden/orion-report-text.txt).
        assert str(screen.query_one("#placed", Static).render()).startswith("Score 1.15")
        panel = str(screen.query_one("#mode-panel", Static).render()).splitlines()
        assert panel[1:] == [
            "Governance   1.30",
            "  SG         1.30 ████░│░░░░ ✗ ≥1.50",  # 1.30 of 3: below its target 1.5
            "Design       1.00",
            "  TT         1.00 ███░░░░░░░",  # no target: no mark
        ]
        assert not screen.query_one("#ladder", Static).display
        assert not screen.query_one("#progress-label", Static).display
        objectives = screen.query_one("#objectives", OptionList)
        first = str(objectives.get_option_at_index(0).prompt)
        assert first == "SG 0.75 of 1 Leaders agree on what risk the organisation accepts."
        prompts = [str(objectives.get_option_at_index(n).prompt) for n in range(9)]
        assert "SG unrated Risk appetite is revisited when the business changes." in prompts
        assert not any(prompt.startswith("L") for prompt in prompts), "no level terms"
