"""Every screen over an open workshop shows whether it is saved (issue 17: the readings and
carry-over screens had no session bar, so "NOT SAVED" was never shown there)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import Static
from tuikit import build_session, make_app, settle

from maturity_tui.tui.app import MaturityApp
from maturity_tui.tui.screens.actions import ActionsScreen
from maturity_tui.tui.screens.carryover import CarryOverScreen
from maturity_tui.tui.screens.compare import CompareScreen
from maturity_tui.tui.screens.readings import ReadingsScreen
from maturity_tui.tui.screens.results import ResultsScreen
from maturity_tui.tui.screens.voting import VotingScreen
from maturity_tui.tui.widgets.session_bar import SessionBar

SCREENS: dict[str, tuple[tuple[str, ...], type[Screen[Any]]]] = {
    "voting": ((), VotingScreen),
    "results": (("v",), ResultsScreen),
    "actions": (("v", "A"), ActionsScreen),
    "compare": (("v", "c"), CompareScreen),
    "readings": (("k",), ReadingsScreen),
}


def save_state_shown(app: MaturityApp) -> str:
    (bar,) = app.screen.query(SessionBar)
    return str(bar.query_one("#save-state", Static).render())


@pytest.mark.parametrize("name", SCREENS)
async def test_a_screen_over_the_workshop_shows_its_save_state(name: str, folder: Path) -> None:
    keys, expected = SCREENS[name]
    app = make_app(folder, build_session(), save=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        assert isinstance(app.screen, expected)
        assert save_state_shown(app).startswith("saved ")
        app.save_state = "NOT SAVED, retrying: disk full"
        await pilot.pause()
        assert save_state_shown(app) == "NOT SAVED, retrying: disk full"


async def test_the_carry_over_review_shows_its_save_state(folder: Path) -> None:
    app = make_app(folder, build_session(), save=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(CarryOverScreen())
        await settle(pilot)
        assert save_state_shown(app).startswith("saved ")


async def test_compare_from_the_home_screen_has_no_session_bar(folder: Path) -> None:
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(CompareScreen([build_session()], folder))
        await settle(pilot)
        assert not app.screen.query(SessionBar)
