"""Voting on a health check (board model with trends): colours with letters, trend keys,
trend votes hidden until the reveal, locked after it, cleared by a re-vote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static
from tuikit import build_session, make_app, settle

from maturity_tui.storage import find_model
from maturity_tui.tui.app import MaturityApp
from maturity_tui.tui.screens.dialogs import KeysDialog
from maturity_tui.tui.widgets.voting import ParticipantList, Tally


def health_check_app(folder: Path, voting: str = "named") -> MaturityApp:
    session = build_session(model=find_model("squad-health-check"), voting=voting)
    return make_app(folder, session)


def shown(pilot: Pilot[Any], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


def footer_keys(pilot: Pilot[Any]) -> set[str]:
    return {b.binding.key for b in pilot.app.active_bindings.values() if b.enabled}


async def press(pilot: Pilot[Any], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


@pytest.mark.usefixtures("with_and_without_colour")
async def test_each_answer_shows_its_colour_letter_and_the_trend_keys(folder: Path) -> None:
    async with health_check_app(folder).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        scale = shown(pilot, "#scale").splitlines()
        assert scale[0] == "Vote 1-3:  1  R  Crappy   2  A  Some problems   3  G  Awesome"
        trends = "u ↑ getting better   s → staying the same   d ↓ getting worse"
        assert scale[1] == f"Trend:     {trends}"
        assert {"u", "s", "d"} <= footer_keys(pilot)


async def test_a_model_without_trend_has_no_trend_keys(folder: Path) -> None:
    async with make_app(folder, build_session()).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not {"u", "s", "d"} & footer_keys(pilot)
        await press(pilot, "u")
        rating = pilot.app.workshop.rating
        assert rating is None
        assert "Trend" not in shown(pilot, "#scale")


async def test_trend_keys_vote_for_the_highlighted_person_hidden_until_the_reveal(
    folder: Path,
) -> None:
    async with health_check_app(folder).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3", "u", "1")
        who = pilot.app.screen.query_one(ParticipantList).text.splitlines()
        assert who == ["  ✓↕ Ana", "▶ ✓· Ben", "  ·· Caro"]
        tally = str(pilot.app.screen.query_one(Tally).render())
        assert tally.startswith("2 of 3 voted · 1 trend vote")
        assert not {"↑", "→", "↓"} & set(tally + shown(pilot, "#agreed")), "no trend shows"
        await press(pilot, "d", "2", "d", "r")
        tally = str(pilot.app.screen.query_one(Tally).render())
        assert tally.splitlines()[-1] == "trend ↑ 1  → 0  ↓ 2"
        assert (
            shown(pilot, "#agreed") == "agreed (median) 2  A  · trend (most votes) ↓ getting worse"
        )


async def test_after_the_reveal_trend_keys_set_the_agreed_trend_and_votes_stay(
    folder: Path,
) -> None:
    async with health_check_app(folder).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3", "u", "r", "s")
        workshop = pilot.app.workshop
        assert workshop.rating.trend == "same"
        assert workshop.rating.trend_votes == {"Ana": "up"}, "locked: the key set no vote"
        assert "trend → staying the same" in shown(pilot, "#agreed")
        await press(pilot, "s")  # the same key again: the votes decide
        assert workshop.rating.trend is None
        assert "trend (most votes) ↑ getting better" in shown(pilot, "#agreed")
        await press(pilot, "backspace")
        assert workshop.rating.trend_votes == {"Ana": "up"}, "no undo after the reveal"


async def test_a_revote_clears_trend_votes_and_the_agreed_trend(folder: Path) -> None:
    async with health_check_app(folder).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3", "u", "r", "d", "ctrl+r", "y")
        workshop = pilot.app.workshop
        rating = workshop.rating
        assert (rating.votes, rating.trend_votes, rating.trend) == (None, None, None)
        assert not workshop.revealed
        assert pilot.app.screen.query_one(ParticipantList).text.splitlines()[0] == "▶ ·· Ana"
        await press(pilot, "u")
        assert rating.trend_votes == {"Ana": "up"}


async def test_undo_takes_back_a_trend_vote_first_when_it_was_cast_last(folder: Path) -> None:
    async with health_check_app(folder, voting="anonymous").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "2", "d", "backspace")
        rating = pilot.app.workshop.rating
        assert (rating.votes, rating.trend_votes) == ([2], None)
        assert str(pilot.app.screen.query_one(Tally).render()).startswith("1 vote · 0 trend votes")


async def test_auto_reveal_waits_for_everyones_trend(folder: Path) -> None:
    async with health_check_app(folder).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "R", "3", "u", "2", "s", "1")
        workshop = pilot.app.workshop
        assert len(workshop.voted_participants()) == 3
        assert not workshop.revealed, "Caro has given no trend yet"
        await press(pilot, "d")
        assert workshop.revealed


async def test_f1_lists_the_trend_keys(folder: Path) -> None:
    async with health_check_app(folder).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "f1")
        assert isinstance(pilot.app.screen, KeysDialog)
        keys = [line.split() for line in shown(pilot, "#keys").splitlines()]
        assert [line for line in keys if line[:1] in (["u"], ["s"], ["d"])] == [
            ["u", "↑", "up"],
            ["s", "→", "same"],
            ["d", "↓", "down"],
        ]
