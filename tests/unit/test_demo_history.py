"""The demo history (package data, `maturity-tui demo`) loads, and tells the
quarter-over-quarter story it is meant to."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

import maturity_tui
from maturity_tui import storage
from maturity_tui.domain import Session
from maturity_tui.scoring import agreed_rating, score_session

SESSIONS = Path(maturity_tui.__file__).parent / "demo"
QUARTERS = [f"apollo-2026-q{n}" for n in range(1, 5)]


@pytest.fixture(scope="module")
def history() -> list[Session]:
    return [storage.load_session(SESSIONS / f"{session_id}.toml") for session_id in QUARTERS]


@pytest.mark.parametrize("path", sorted(SESSIONS.glob("*.toml")), ids=lambda p: p.name)
def test_every_demo_file_loads(path: Path) -> None:
    session = storage.load_session(path)
    assert session.id == path.stem


def test_demo_history_has_the_four_quarters() -> None:
    assert {p.stem for p in SESSIONS.glob("*.toml")} >= set(QUARTERS)


def test_levels_never_fall_and_the_team_moves_up(history: list[Session]) -> None:
    levels = [score_session(session).level for session in history]
    assert levels == sorted(levels)
    assert levels[0] < levels[-1]


def test_support_follow_up_falls_after_the_reorganisation(history: list[Session]) -> None:
    q3, q4 = (agreed_rating(s.rating("support-follow-up")) for s in history[2:])
    assert q3 is not None and q4 is not None
    assert q4 < q3


def test_open_actions_are_carried_into_the_next_quarter(history: list[Session]) -> None:
    carried = [(s, a) for s in history for a in s.actions if a.carried_from is not None]
    assert carried
    by_id = {s.id: s for s in history}
    for _session, action in carried:
        source = by_id[action.carried_from or ""]
        original = next(a for a in source.actions if a.id == action.carried_id)
        assert original.status == "open"
        assert original.title == action.title


def test_every_open_action_reappears_in_the_next_quarter(history: list[Session]) -> None:
    for earlier, later in itertools.pairwise(history):
        still_open = {a.id for a in earlier.actions if a.status == "open"}
        carried = {a.carried_id for a in later.actions if a.carried_from == earlier.id}
        assert still_open == carried, earlier.id


def test_only_the_last_quarter_is_still_in_progress(history: list[Session]) -> None:
    assert [s.status for s in history] == ["complete"] * 3 + ["in-progress"]
    assert score_session(history[-1]).unrated


def test_demo_shows_both_voting_modes_and_a_not_applicable_indicator(
    history: list[Session],
) -> None:
    assert {s.voting for s in history} == {"named", "anonymous"}
    assert any(r.not_applicable and r.notes for s in history for r in s.ratings)


HEALTH_CHECKS = [f"vega-2026-q{n}" for n in range(2, 5)]


def test_vega_runs_three_health_checks_with_trends() -> None:
    """The demo's board-model team: colours over three quarters, trends voted each time."""
    history = [storage.load_session(SESSIONS / f"{name}.toml") for name in HEALTH_CHECKS]
    assert [s.period for s in history] == ["2026-Q2", "2026-Q3", "2026-Q4"]
    assert {s.model.id for s in history} == {"squad-health-check"}
    scores = [score_session(s) for s in history]
    colors = [{i.id: i.color for i in score.indicators} for score in scores]
    assert [c["easy-to-release"] for c in colors] == ["red", "amber", "green"]
    assert [c["support"] for c in colors] == ["amber", "red", "red"]
    assert all(score.complete for score in scores)
    latest = scores[-1]
    assert latest.objectives[0].indicator is not None
    assert latest.objectives[0].indicator.id == "support"  # the one red card, first
    assert {i.id: i.trend for i in latest.indicators}["support"] == "down"
