"""Issue 11: the workshop keeps its promises. One Pilot test per promise a user saw broken."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static
from textual.widgets._footer import FooterKey
from tuikit import build_session, make_app, settle

from maturity_tui.storage import load_session

SIZE = (80, 24)
EIGHT = ["Ana", "Ben", "Caro", "Dan", "Eve", "Finn", "Gus", "Hana"]


def shown(app: object, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


def footer_keys(app: object) -> list[str]:
    return [key.description for key in app.screen.query(FooterKey)]  # type: ignore[attr-defined]


def current_votes(app: object) -> object:
    rating = app.workshop.rating  # type: ignore[attr-defined]
    return rating.votes if rating is not None else None


# --- 2. A vote never silently replaces another person's vote ------------------------------


async def test_a_double_tap_after_the_last_voter_replaces_nobody(folder: Path) -> None:
    app = make_app(folder, build_session(participants=EIGHT))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"44444444", "1")  # the last voter taps twice
        await settle(pilot)
        assert current_votes(app) == dict.fromkeys(EIGHT, 4)
        assert "8 of 8 voted" in shown(app, "#tally")
        assert "↑/↓ picks whose vote to change" in shown(app, "#tally")
        await pilot.press("down", "2")  # the facilitator picks Ana first: then it changes
        assert current_votes(app) == {**dict.fromkeys(EIGHT, 4), "Ana": 2}


async def test_a_resumed_complete_indicator_replaces_nobody(folder: Path) -> None:
    session = build_session()
    session.rating_or_new(session.model.indicators[0].id).votes = {"Ana": 4, "Ben": 3, "Caro": 5}
    app = make_app(folder, session, index=0, save=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
    assert load_session(folder / "apollo-2026-q4.toml").ratings[0].votes == {
        "Ana": 4,
        "Ben": 3,
        "Caro": 5,
    }


# --- 4. Votes do not change after the reveal; a re-vote starts a new round ----------------


async def test_undo_after_the_reveal_does_not_rewrite_the_result(folder: Path) -> None:
    app = make_app(folder, build_session())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4", "5", "3", "r", "backspace")
        await settle(pilot)
        assert current_votes(app) == {"Ana": 4, "Ben": 5, "Caro": 3}
        assert "median 4" in shown(app, "#tally")


async def test_an_anonymous_vote_after_the_reveal_stays_out_of_the_histogram(
    folder: Path,
) -> None:
    app = make_app(folder, build_session(voting="anonymous"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "4", "r", "5")
        await settle(pilot)
        assert current_votes(app) == [2, 4]
        assert "2 votes" in shown(app, "#tally")


async def test_a_revote_clears_the_round_hides_it_and_the_file_keeps_the_last(
    folder: Path,
) -> None:
    app = make_app(folder, build_session())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1", "5", "3", "r")
        await pilot.pause()
        assert "Re-vote" in footer_keys(app) and "Reveal" not in footer_keys(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert app.workshop is not None and not app.workshop.revealed
        assert "median" not in shown(app, "#tally")
        await pilot.press("3", "4", "3")
        await settle(pilot)
    assert load_session(folder / "apollo-2026-q4.toml").ratings[0].votes == {
        "Ana": 3,
        "Ben": 4,
        "Caro": 3,
    }
