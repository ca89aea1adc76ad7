"""The workshop from the keyboard: votes, reveal, consensus, notes, results, actions, autosave."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, OptionList, Static
from tuikit import build_session, make_app, model_with, settle

from maturity_tui.launch import NewWorkshop, prepare
from maturity_tui.scoring import score_session
from maturity_tui.storage import SaveError, TomlDumps, load_session, save_session_data
from maturity_tui.tui import app as app_module
from maturity_tui.tui import autosave
from maturity_tui.tui.screens.actions import ActionsScreen
from maturity_tui.tui.screens.results import ResultsScreen
from maturity_tui.tui.screens.voting import VotingScreen
from maturity_tui.tui.widgets.voting import ParticipantList, Timebox
from waitkit import until

SIZE = (100, 30)


def shown(app: object, selector: str) -> str:
    """The plain text a Static shows."""
    return str(app.screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


async def test_whole_named_workshop_is_saved_as_typed(folder: Path) -> None:
    opening = prepare(folder, NewWorkshop("customer-engagement", "Apollo", ["A", "B", "C"]))
    assert opening is not None
    app = app_module.MaturityApp(sessions_dir=folder, opening=opening)
    first, second = (i.id for i in opening.session.model.indicators[:2])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, VotingScreen)
        await pilot.press("4", "5", "3")
        assert "3 of 3 voted" in shown(app, "#tally")
        assert "median" not in shown(app, "#tally")  # hidden before the reveal
        await pilot.press("r")
        assert "median 4" in shown(app, "#tally")
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("5")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("TextArea").insert("Two teams [bold]disagree[/]")  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("n", "2", "2", "1")
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        assert app.workshop is not None
        objectives = score_session(app.workshop.shown_session()).objectives
        linked = next(n for n, o in enumerate(objectives) if o.indicator is not None)
        app.screen.query_one(OptionList).highlighted = linked
        await pilot.press("a")
        await pilot.pause()
        form_title = app.screen.query_one("#title", Input)
        assert form_title.value  # prefilled with the objective's text
        form_title.value = "Call five customers"
        app.screen.query_one("#owner", Input).value = "B"
        app.screen.query_one("#due", Input).value = "2027-01-31"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen)
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    saved = load_session(opening.path)
    rating = saved.rating(first)
    assert rating is not None
    assert rating.votes == {"A": 4, "B": 5, "C": 3}
    assert rating.consensus == 5
    assert rating.notes == "Two teams [bold]disagree[/]"
    assert saved.rating(second).votes == {"A": 2, "B": 2, "C": 1}  # type: ignore[union-attr]
    [action] = saved.actions
    assert (action.title, action.owner, action.due) == (
        "Call five customers",
        "B",
        date(2027, 1, 31),
    )
    assert action.indicator == objectives[linked].indicator.id  # type: ignore[union-attr]


async def test_anonymous_votes_tally_and_backspace_undoes(folder: Path) -> None:
    session = build_session(voting="anonymous")
    app = make_app(folder, session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1", "1", "5", "3", "backspace")
        assert "3 votes" in shown(app, "#tally")
        await pilot.press("r")
        assert "CONTESTED" in shown(app, "#tally")
        await settle(pilot)
    saved = load_session(folder / "apollo-2026-q4.toml")
    assert saved.rating(session.model.indicators[0].id).votes == [1, 1, 5]  # type: ignore[union-attr]


async def test_digits_are_scale_positions_on_a_zero_based_scale(folder: Path) -> None:
    scale = {
        "achieved_at": 2,
        "contested_spread": 2,
        "points": [{"value": v, "label": f"step {v}"} for v in range(4)],
    }
    session = build_session(model=model_with(scale=scale))
    app = make_app(folder, session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1", "4", "5")  # 5 is off this 4-point scale: ignored
        assert app.workshop is not None
        assert app.workshop.votes() == [0, 3]
        await settle(pilot)
    assert load_session(folder / "apollo-2026-q4.toml").ratings[0].votes == {"Ana": 0, "Ben": 3}


async def test_up_down_pick_who_votes_next(folder: Path) -> None:
    app = make_app(folder, build_session())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "2", "up", "up", "4")
        assert app.workshop is not None
        rating = app.workshop.rating
        assert rating is not None and rating.votes == {"Caro": 2, "Ben": 4}
        assert "✓ Caro" in app.screen.query_one(ParticipantList).text
        assert (
            "2" not in app.screen.query_one(ParticipantList).text
        )  # never the value before the reveal


async def test_open_resumes_at_the_first_unrated_indicator(folder: Path) -> None:
    session = build_session()
    for indicator in session.model.indicators[:3]:
        session.rating_or_new(indicator.id).consensus = 4
    app = make_app(folder, session, index=None, save=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.workshop is not None and app.workshop.index == 3
        assert "Indicator 4 of 20" in shown(app, "#where")


async def test_jump_and_moving_hide_the_votes_again(folder: Path) -> None:
    app = make_app(folder, build_session())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3", "r", "g")
        await pilot.pause()
        jump = app.screen.query_one(OptionList)
        jump.highlighted = jump.get_option_index("9")
        await pilot.press("enter")
        await pilot.pause()
        assert app.workshop is not None and app.workshop.index == 9
        assert not app.workshop.revealed
        await pilot.press("p", "left")
        assert app.workshop.index == 7


async def test_results_show_what_scoring_computes(folder: Path) -> None:
    session = build_session()
    for indicator in session.model.indicators:
        if indicator.level <= 2:
            session.rating_or_new(indicator.id).consensus = 4
    session.rating_or_new(session.model.indicators[-1].id).votes = {"Ana": 1, "Ben": 5}
    score = score_session(session)
    app = make_app(folder, session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        assert f"Level {score.level}" in shown(app, "#placed")
        assert f"{score.progress:.0%}" in shown(app, "#progress-label")
        prompts = [
            str(app.screen.query_one(OptionList).get_option_at_index(n).prompt)
            for n in range(len(score.objectives))
        ]
        assert [o.text in p for o, p in zip(score.objectives, prompts, strict=True)] == [
            True
        ] * len(prompts)
        assert "INCOMPLETE" in shown(app, "#incomplete")
        assert "spread 4" in shown(app, "#contested")


async def test_m_on_results_marks_the_workshop_complete_and_back(folder: Path) -> None:
    app = make_app(folder, build_session())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        assert "in progress" in shown(app, "#placed")
        await pilot.press("m")
        await settle(pilot)
        assert "marked complete" in shown(app, "#placed")
        assert load_session(folder / "apollo-2026-q4.toml").status == "complete"
        await pilot.press("m")
        await settle(pilot)
        assert load_session(folder / "apollo-2026-q4.toml").status == "in-progress"


class FullDisk:
    """Stands in for the save: fails with ENOSPC's message while `full` is True."""

    def __init__(self) -> None:
        self.full = True

    def __call__(self, data: dict[str, Any], path: Path, dumps: TomlDumps) -> None:
        if self.full:
            raise SaveError(f"{path}: No space left on device")
        save_session_data(data, path, dumps)


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> FullDisk:
    disk = FullDisk()
    monkeypatch.setattr(autosave, "save_session_data", disk)
    return disk


async def test_a_failed_save_keeps_the_data_and_retries(
    folder: Path, full_disk: FullDisk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "SAVE_RETRY_SECONDS", 0.05)
    app = make_app(folder, build_session())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await settle(pilot)
        assert app.save_state.startswith("NOT SAVED")
        assert "No space left" in shown(app, "#save-state")
        full_disk.full = False
        await until(lambda: app.save_state.startswith("saved"), "a retry saves")
    assert load_session(folder / "apollo-2026-q4.toml").ratings[0].votes == {"Ana": 4}


async def test_ctrl_s_says_saved_only_once_the_file_is_written(
    folder: Path, full_disk: FullDisk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "SAVE_RETRY_SECONDS", 60)  # no retry within the test
    app = make_app(folder, build_session())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await settle(pilot)
        app.clear_notifications()
        await pilot.press("ctrl+s")  # while the saves are failing already
        await settle(pilot)
        told = [notification.message for notification in app._notifications]
        assert "Saved." not in told
        assert any("No space left" in message for message in told)
        full_disk.full = False
        app.clear_notifications()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [notification.message for notification in app._notifications] == ["Saved."]


async def test_actions_screen_adds_edits_and_deletes(folder: Path) -> None:
    app = make_app(folder, build_session())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#title", Input).value = "First"
        app.screen.query_one("#due", Input).value = "31/01/2027"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Not a date" in shown(app, "#form-errors")
        app.screen.query_one("#due", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#title", Input).value = "Renamed"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.workshop is not None
        assert [a.title for a in app.workshop.session.actions] == ["Renamed"]
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.workshop.session.actions == []


async def test_timebox_counts_down_and_is_flagged_when_over(folder: Path) -> None:
    app = make_app(folder, build_session())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        timebox = app.screen.query_one(Timebox)
        assert "3:00 paused" in str(timebox.render())
        await pilot.press("t")
        assert timebox.running
        timebox.remaining = -5
        await pilot.pause()
        assert "OVER by 0:05" in str(timebox.render())
        assert timebox.has_class("-over")
        await pilot.press("n")
        await pilot.pause()
        assert timebox.remaining == 180 and timebox.running


async def test_plus_and_minus_stretch_this_indicators_timebox_and_zero_rings_once(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(folder, build_session())
    rings: list[None] = []
    monkeypatch.setattr(app, "bell", lambda: rings.append(None))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        timebox = app.screen.query_one(Timebox)
        await pilot.press("plus", "plus", "minus")
        assert timebox.remaining == 210
        await pilot.press(*["minus"] * 8)
        assert timebox.remaining == 0 and not rings  # paused: no bell
        await pilot.press("plus", "t")
        timebox.remaining = 1
        timebox.remaining = 0
        timebox.remaining = -1
        await pilot.pause()
        assert len(rings) == 1
        await pilot.press("n")
        await pilot.pause()
        assert timebox.remaining == 180  # the stretch was this indicator's only


async def test_timebox_draws_big_digits_on_a_tall_screen(folder: Path) -> None:
    app = make_app(folder, build_session())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        timebox = app.screen.query_one(Timebox)
        drawn = str(timebox.render()).splitlines()
        assert len(drawn) == 3 and "█" in drawn[0] + drawn[1]
        assert drawn[-1].endswith(" paused")
