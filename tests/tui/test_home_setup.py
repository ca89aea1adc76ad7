"""Home screen and setup: the library by team, open a session, create one with inline validation."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static
from tuikit import NOW, build_session, make_app, settle

from maturity_tui.cli import main
from maturity_tui.launch import NewWorkshop, SetupDraft, prepare
from maturity_tui.storage import SessionLock, load_session, save_session
from maturity_tui.tui.app import MaturityApp
from maturity_tui.tui.screens.setup import SetupScreen
from maturity_tui.tui.screens.voting import VotingScreen
from maturity_tui.tui.widgets.library_table import LibraryTable
from maturity_tui.tui.widgets.voting import Timebox


def saved_team(folder: Path, team: str, hours: int) -> None:
    session = build_session(team=team)
    session.id = team.lower()
    session.updated_at = NOW + timedelta(hours=hours)
    save_session(session, folder / f"{session.id}.toml")


async def test_home_lists_by_team_and_opens_the_selected_one(folder: Path) -> None:
    saved_team(folder, "Old", 0)
    saved_team(folder, "New", 5)
    saved_team(folder, "Mid", 2)
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(LibraryTable)
        teams = [str(table.get_row_at(n)[0]) for n in range(table.row_count)]
        assert teams == ["Mid", "New", "Old"]  # the library: by team, then period
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, VotingScreen)
        assert app.workshop is not None and app.workshop.session.team == "New"


async def test_closing_a_workshop_saves_it_frees_its_lock_and_refreshes_the_list(
    folder: Path,
) -> None:
    saved_team(folder, "Apollo", 0)
    path = folder / "apollo.toml"
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, VotingScreen)
        assert path.with_name("apollo.toml.lock").exists()
        await pilot.press("4")
        await pilot.press("ctrl+w")
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"
        assert app.workshop is None
        assert not path.with_name("apollo.toml.lock").exists()
        rating = load_session(path).ratings[0]
        assert rating.votes == {"Ana": 4}
        table = app.screen.query_one(LibraryTable)
        assert table.row_count == 1
        SessionLock(path).acquire()  # another instance may take it now


async def test_new_without_participants_opens_setup_filled_in_with_what_was_given(
    folder: Path,
) -> None:
    draft = prepare(folder, NewWorkshop("customer-engagement", "Zeus"))
    assert isinstance(draft, SetupDraft)
    app = MaturityApp(sessions_dir=folder, opening=draft, now=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert app.screen.query_one("#team", Input).value == "Zeus"
        app.screen.query_one("#participants", Input).value = "Ana, Ben"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, VotingScreen)
    assert load_session(folder / "zeus-2026-q4.toml").participants == ["Ana", "Ben"]


async def test_setup_validates_inline_then_creates_the_file(folder: Path) -> None:
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "needs a name" in str(app.screen.query_one("#team-error", Static).render())
        assert "participants" in str(app.screen.query_one("#participants-error", Static).render())
        app.screen.query_one("#team", Input).value = "Zeus"
        app.screen.query_one("#participants", Input).value = "Ana, Ben, Ana"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "Named twice: Ana" in str(
            app.screen.query_one("#participants-error", Static).render()
        )
        app.screen.query_one("#voting", Select).value = "anonymous"
        await pilot.pause()
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, VotingScreen)
    created = load_session(folder / "zeus-2026-q4.toml")
    assert (created.team, created.voting, created.participants) == ("Zeus", "anonymous", [])
    assert created.period == "2026-Q4"


async def test_a_session_open_elsewhere_is_not_opened_twice(folder: Path) -> None:
    saved_team(folder, "Busy", 0)
    path = folder / "busy.toml"
    with SessionLock(path):
        app = make_app(folder)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert app.workshop is None
            assert not isinstance(app.screen, VotingScreen)
        assert main(["open", str(path), "--sessions-dir", str(folder)]) == 2


def test_open_with_a_missing_file_fails_before_the_app_starts(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["open", str(folder / "nope.toml"), "--sessions-dir", str(folder)]) == 2
    assert "nope.toml" in capsys.readouterr().err


async def test_home_fills_from_the_index_and_says_once_that_a_damaged_one_was_rebuilt(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from maturity_tui.library_index import index_file
    from maturity_tui.tui.screens import home

    monkeypatch.setattr(home, "BATCH_SECONDS", 0)  # a batch a file, newest first: each in its place
    for n, team in enumerate(["Delta", "Alpha", "Charlie", "Bravo"]):
        saved_team(folder, team, n)
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(LibraryTable)
        teams = [str(table.get_row_at(n)[0]) for n in range(table.row_count)]
        assert teams == ["Alpha", "Bravo", "Charlie", "Delta"]
    index_file(folder).write_bytes(b"\0damaged" * 512)
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        said = [n.message for n in app._notifications if "index" in n.message]
        assert len(said) == 1 and "rebuilt" in said[0]
        assert app.screen.query_one(LibraryTable).row_count == 4


async def test_setup_sets_this_runs_timebox(folder: Path) -> None:
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        timebox = app.screen.query_one("#timebox", Input)
        assert timebox.value == "3:00"  # the settings' default
        app.screen.query_one("#team", Input).value = "Zeus"
        app.screen.query_one("#voting", Select).value = "anonymous"
        timebox.value = "soon"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "3:00" in str(app.screen.query_one("#timebox-error", Static).render())
        timebox.value = "1:30"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, VotingScreen)
        assert app.screen.query_one(Timebox).remaining == 90


async def test_setup_takes_a_head_count_for_anonymous_voting_only(folder: Path) -> None:
    draft = prepare(folder, NewWorkshop("customer-engagement", voting="anonymous", head_count=6))
    assert isinstance(draft, SetupDraft)
    app = MaturityApp(sessions_dir=folder, opening=draft, now=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        head_count = app.screen.query_one("#head-count", Input)
        assert head_count.value == "6" and not app.screen.query_one("#participants-field").display
        app.screen.query_one("#team", Input).value = "Zeus"
        head_count.value = "0"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "from 1 to 500" in str(app.screen.query_one("#head-count-error", Static).render())
        head_count.value = "8"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, VotingScreen)
        assert "0 of 8 votes" in str(app.screen.query_one("#tally", Static).render())
    assert load_session(folder / "zeus-2026-q4.toml").head_count == 8


async def test_a_new_anonymous_workshop_from_the_command_line_keeps_its_head_count(
    folder: Path,
) -> None:
    new = NewWorkshop("customer-engagement", "Zeus", voting="anonymous", head_count=8)
    opening = prepare(folder, new)
    assert not isinstance(opening, SetupDraft) and opening is not None
    assert opening.session.head_count == 8
    assert opening.lock is not None
    opening.lock.release()


async def test_the_other_screens_styles_load_with_the_first_of_them_and_change_nothing_home(
    folder: Path,
) -> None:
    """The home starts with its own styles only (parsing every screen's was a tenth of its
    start); the others come with the first screen pushed, and none of their rules is the
    home's: restyling the home with them all changes nothing."""
    saved_team(folder, "Apollo", 0)
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        later = {str(path) for path in app.LATER_CSS}
        assert not later & {path for path, _ in app.stylesheet.source}
        home = list(app.screen.walk_children(with_self=True))
        before = [node.styles.base.get_rules() for node in home]
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert later <= {path for path, _ in app.stylesheet.source}
        await pilot.press("escape")
        await settle(pilot)
        kept = [n for n, node in enumerate(home) if node.is_attached]  # the footer's keys are new
        assert len(kept) > 5
        app.stylesheet.update_nodes(home[n] for n in kept)
        assert [home[n].styles.base.get_rules() for n in kept] == [before[n] for n in kept]
