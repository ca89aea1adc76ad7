"""The app follows the settings it is given, and remembers a theme picked in it."""

from __future__ import annotations

from pathlib import Path

import pytest
from tuikit import build_session, fixed_now, settle

from maturity_tui import places
from maturity_tui.launch import Opening
from maturity_tui.places import Resolved
from maturity_tui.settings import Settings
from maturity_tui.storage import read_toml, session_path
from maturity_tui.tui.app import MaturityApp
from maturity_tui.tui.screens.voting import VotingScreen
from maturity_tui.tui.widgets.voting import Timebox
from waitkit import until

SIZE = (100, 30)


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    monkeypatch.setenv(places.CONFIG_ENV, str(path))
    return path


def app_with(folder: Path, settings: Settings) -> MaturityApp:
    session = build_session()
    opening = Opening(session, session_path(folder, session.id), index=0)
    return MaturityApp(
        sessions_dir=folder, opening=opening, now=fixed_now, settings=Resolved.of(settings)
    )


async def test_timebox_theme_and_keymap_come_from_the_settings(folder: Path, config: Path) -> None:
    settings = Settings(timebox_seconds=90, theme="nord", keymap={"voting.timer": "T"})
    app = app_with(folder, settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, VotingScreen)
        assert app.theme == "nord"
        timebox = app.screen.query_one(Timebox)
        assert timebox.remaining == 90
        await pilot.press("t")  # no longer the timer's key
        await pilot.pause(1.2)
        assert timebox.remaining == 90
        await pilot.press("T")
        await until(lambda: timebox.remaining < 90, "the timer counts down")
    assert not config.exists()  # a theme that came from the settings is not written back


async def test_a_theme_chosen_in_the_app_is_remembered(folder: Path, config: Path) -> None:
    app = app_with(folder, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "gruvbox"  # what the palette's "Change theme" does
        await settle(pilot)
        await app.workers.wait_for_complete()
    assert read_toml(config) == {"theme": "gruvbox"}
    assert places.resolve().settings.theme == "gruvbox"
