"""Issue 11: the workshop keeps its promises. One Pilot test per promise a user saw broken."""

from __future__ import annotations

import asyncio
import html
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, OptionList, Static, TabbedContent
from textual.widgets._footer import FooterKey
from tuikit import attributes_on, build_session, make_app, screen_lines, settle

from maturity_tui.domain import MaturityModel, Session
from maturity_tui.room.workshop_host import WorkshopHost
from maturity_tui.storage import find_model, load_session, save_session
from maturity_tui.tui.app import MaturityApp
from maturity_tui.tui.screens.export_dialog import ExportDialog
from maturity_tui.tui.widgets.voting import Timebox

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


# --- 1. Hidden votes leak through no screen, dialog, export or device ---------------------


def screen_text(app: App[Any]) -> str:
    """What the screen shows, as text (the SVG's text runs, in order)."""
    svg = app.export_screenshot(simplify=True)
    return html.unescape("".join(re.findall(r">([^<]*)</text>", svg))).replace("\xa0", " ")


async def walk_every_side_screen(app: MaturityApp, pilot: Pilot[Any]) -> dict[str, str]:
    """Every screen and dialog reachable from voting, and what each output would write."""
    seen: dict[str, str] = {}

    async def visit(name: str | None, *keys: str) -> None:
        await pilot.press(*keys)
        await settle(pilot)
        if name is not None:  # None: back on the voting screen, which counts the votes
            seen[name] = screen_text(app)

    await visit("jump list", "g")  # over the voting screen: its own rows only
    seen["jump list"] = "\n".join(str(o.prompt) for o in app.screen.query_one(OptionList).options)
    await visit(None, "escape")
    await visit("results", "v")
    await visit("action for an objective", "a")
    await visit("results again", "escape")
    await visit("actions", "A")
    await visit("results, third time", "escape")
    await visit("export", "e")
    assert isinstance(app.screen, ExportDialog)
    for choice in app.screen.choices:
        seen[f"export: {choice.label}"] = choice.render()
    await visit("results, fourth time", "escape")
    await visit("compare", "c")
    for tab in ("indicators", "kpis"):
        app.screen.query_one(TabbedContent).active = tab
        await visit(f"compare: {tab}")
    await visit("results, last time", "escape")
    assert app.workshop is not None
    state = WorkshopHost(app.workshop, lambda _revision: asyncio.sleep(0)).state()
    seen["room state"] = repr(replace(state, voted=(), vote_count=0))
    return seen


async def test_hidden_votes_show_nowhere_but_as_voting(folder: Path) -> None:
    """With 5 5 2 typed and not revealed, every side screen, dialog, export and the room
    show exactly what they show with no votes at all on that indicator."""
    session = build_session(participants=EIGHT)
    for indicator in session.model.indicators[:5]:
        session.rating_or_new(indicator.id).consensus = 4
    save_session(session, folder / "apollo-2026-q3.toml")  # an earlier session to compare
    walks = []
    for typed in (("5", "5", "2"), ()):
        copy = Session.model_validate(session.model_dump())
        app = make_app(folder, copy, index=5)
        # The two walks are compared as text: the compare tabs' underline must not be caught
        # mid-slide in one of them (it animated, and the test failed on a busy machine).
        app.animation_level = "none"
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press(*typed)
            await settle(pilot)
            walks.append(await walk_every_side_screen(app, pilot))
    with_votes, without = walks
    assert "voting" in with_votes["jump list"]
    assert "voting on 6" in with_votes["results"]
    for name, shown_then in with_votes.items():
        assert shown_then == without[name], f"{name} shows something of the hidden votes"


# --- 3. The consensus list opens on the room's median --------------------------------------


async def test_enter_in_the_consensus_list_keeps_the_median(folder: Path) -> None:
    app = make_app(folder, build_session(participants=EIGHT))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"44444444", "r", "c")
        await pilot.pause()
        assert app.screen.query_one(OptionList).highlighted == 3  # "4 Mostly"
        await pilot.press("enter")
        await settle(pilot)
        assert app.workshop is not None and app.workshop.rating is not None
        assert app.workshop.rating.consensus is None
        assert "agreed (median) 4" in shown(app, "#agreed")
        await pilot.press("c", "5")  # a digit picks a point directly
        await settle(pilot)
        assert app.workshop.rating.consensus == 5


async def test_the_consensus_list_gives_no_hint_of_hidden_votes(folder: Path) -> None:
    app = make_app(folder, build_session(participants=EIGHT))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"11111111", "c")
        await pilot.pause()
        assert app.screen.query_one(OptionList).highlighted == 2, "the middle, not the median"


# --- 9. Not applicable: x, "n/a" in the jump list, and no other x on results ----------------


async def test_not_applicable_shows_as_n_a_and_x_means_nothing_else_on_results(
    folder: Path,
) -> None:
    app = make_app(folder, build_session())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x", "n", "g")
        await pilot.pause()
        first = str(app.screen.query_one(OptionList).get_option("0").prompt)
        assert " n/a " in first and "·" not in first
        await pilot.press("escape", "v", "x")
        await pilot.pause()
        assert type(app.screen).__name__ == "ResultsScreen", "x opens nothing on results"


# --- 5. Auto-reveal works without the room, and says so ------------------------------------


async def test_auto_reveal_without_the_room_reveals_once_everyone_has_voted(
    folder: Path,
) -> None:
    app = make_app(folder, build_session())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert "auto-reveal" in shown(app, "#room-badge")
        await pilot.press("4", "4")
        await settle(pilot)
        assert app.workshop is not None and not app.workshop.revealed
        await pilot.press("5")
        await settle(pilot)
        assert app.workshop.revealed
        assert "median 4" in shown(app, "#tally")


def told(app: App[Any]) -> list[str]:
    return [notification.message for notification in app._notifications]


def anonymous_app(folder: Path, head_count: int) -> MaturityApp:
    session = build_session(voting="anonymous")
    session.head_count = head_count
    return make_app(folder, session)


async def test_anonymous_auto_reveal_waits_for_the_head_count_and_says_so(folder: Path) -> None:
    app = anonymous_app(folder, head_count=8)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "0 of 8 votes" in shown(app, "#tally")
        await pilot.press("R")
        await settle(pilot)
        assert "auto-reveal at 8 votes" in shown(app, "#room-badge")
        assert "Auto-reveal on: votes show once all 8 votes are in." in told(app)
        await pilot.press(*"3444544")
        await settle(pilot)
        assert app.workshop is not None and not app.workshop.revealed
        assert "7 of 8 votes" in shown(app, "#tally")
        await pilot.press("4")
        await settle(pilot)
        assert app.workshop.revealed
        assert "8 of 8 votes" in shown(app, "#tally") and "median 4" in shown(app, "#tally")
        assert "Auto-reveal: all 8 votes are in, so the votes show." in told(app)


async def test_a_double_tap_once_the_head_count_is_in_adds_no_vote(folder: Path) -> None:
    app = anonymous_app(folder, head_count=3)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4", "4", "5", "5")  # the last voter taps twice
        await settle(pilot)
        assert current_votes(app) == [4, 4, 5]
        assert "3 of 3 votes" in shown(app, "#tally")
        assert any(message.startswith("All 3 votes are in") for message in told(app))


async def test_anonymous_auto_reveal_without_a_head_count_asks_for_one(folder: Path) -> None:
    app = make_app(folder, build_session(voting="anonymous"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Auto-reveal" in footer_keys(app), "R works without the room"
        await pilot.press("R")
        await settle(pilot)
        await pilot.press("0", "enter")  # nobody: refused, the dialog stays
        await settle(pilot)
        assert "from 1 to 500" in shown(app, "#head-count-error")
        await pilot.press("backspace", "3", "enter")
        await settle(pilot)
        assert app.room_control.auto_reveal
        await pilot.press("4", "4", "5")
        await settle(pilot)
        assert app.workshop is not None and app.workshop.revealed
    assert load_session(folder / "apollo-2026-q4.toml").head_count == 3


async def test_the_head_count_changes_during_the_workshop_and_only_in_anonymous_voting(
    folder: Path,
) -> None:
    app = make_app(folder, build_session(voting="anonymous"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "0 votes" in shown(app, "#tally")
        await pilot.press("h", *"12", "enter")
        await settle(pilot)
        assert "0 of 12 votes" in shown(app, "#tally")
        await pilot.press("h", "backspace", "backspace", "enter")  # empty: not said
        await settle(pilot)
        assert "0 votes" in shown(app, "#tally")
    assert load_session(folder / "apollo-2026-q4.toml").head_count is None
    named = make_app(folder, build_session(participants=EIGHT))
    async with named.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "Head count" not in footer_keys(named)
        await pilot.press("h")
        await settle(pilot)
        assert type(named.screen).__name__ == "VotingScreen"


# --- 6. The 20 x 8 workshop in at most 200 keys ---------------------------------------------


class CountingPilot:
    """Presses keys on the app and counts them, as a coach's fingers would."""

    def __init__(self, pilot: Pilot[Any]) -> None:
        self.pilot, self.keys = pilot, 0

    async def press(self, *keys: str) -> None:
        self.keys += len(keys)
        await self.pilot.press(*keys)
        await settle(self.pilot)


ROOM_CHANGES_ITS_MIND = {3: 5, 11: 2}
"""Indicator index -> the consensus the room agrees on, against its median of 4."""


async def run_twenty_by_eight(
    folder: Path, *, auto_reveal: bool, changes: dict[int, int]
) -> tuple[int, Session]:
    session = build_session(participants=EIGHT)
    assert len(session.model.indicators) == 20
    app = make_app(folder, session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        keys = CountingPilot(pilot)
        if auto_reveal:
            await keys.press("R")
        for index in range(20):
            await keys.press(*"34445444")  # one key a vote
            if not auto_reveal:
                await keys.press("r")
            assert app.workshop is not None and app.workshop.revealed, index
            if index in changes:
                await keys.press("c", str(changes[index]))
            await keys.press("n")  # after the last one: the results
        assert type(app.screen).__name__ == "ResultsScreen"
    return keys.keys, load_session(folder / "apollo-2026-q4.toml")


async def test_a_twenty_by_eight_workshop_takes_at_most_200_keys(folder: Path) -> None:
    """Auto-reveal, a key a vote, n, and c + digit where the room changes the median; by
    hand, r on each indicator instead of the one R."""
    for auto_reveal, changes in ((True, ROOM_CHANGES_ITS_MIND), (False, {})):
        for stale in folder.glob("apollo-*"):
            stale.unlink()
        keys, saved = await run_twenty_by_eight(folder, auto_reveal=auto_reveal, changes=changes)
        consensus = {i: r.consensus for i, r in enumerate(saved.ratings) if r.consensus}
        assert consensus == changes
        assert all(r.vote_values == [3, 4, 4, 4, 5, 4, 4, 4] for r in saved.ratings)
        assert keys <= 200, f"{keys} keys (auto-reveal {auto_reveal})"


# --- 7. 80x24: the footer's last column, the header against the timer ----------------------


async def test_the_footer_ends_with_the_palette_key_in_the_last_column(folder: Path) -> None:
    """Textual's compact footer gives every key a right margin, the docked palette key too:
    the key scrolled under it showed through in the last column ("^p palettet")."""
    app = make_app(folder, build_session(participants=EIGHT))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for keys in ((), ("v",), ("A",)):  # voting, results, actions: all cut at 80 columns
            await pilot.press(*keys)
            await settle(pilot)
            footer = screen_lines(app)[-1]
            assert len(footer) == SIZE[0] and footer.endswith("▏^p palette"), footer


async def test_the_highlighted_row_stands_out_without_colour(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual 8.2.8 drops `reverse` from an option list's row styles: the highlighted row
    reached the terminal as bold on grey, gone in monochrome."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(folder, build_session(participants=EIGHT))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g")  # the list is not focused: typing goes to its filter
        await settle(pilot)
        assert attributes_on(app, "voting") and not attributes_on(app, "2. L1")
        await pilot.press("escape", *"44444444", "r", "c")  # focused: the consensus list
        await settle(pilot)
        assert attributes_on(app, "4. 4 Mostly") and not attributes_on(app, "3. 3 Sometimes")
        await pilot.press("escape", "v", "e")  # export: the format picked, and the BOM box
        await settle(pilot)
        assert attributes_on(app, "●▌ Action list · CSV ") == {"underline"}
        assert not attributes_on(app, "●▌ Action list · JSON")
        assert not attributes_on(app, "X▌ Start with a byte-order mark")
        app.screen.query_one("#export-bom", Checkbox).value = True
        await settle(pilot)
        assert attributes_on(app, "X▌ Start with a byte-order mark") == {"underline"}


def long_winded_session() -> Session:
    """Eight people, a long team name, and long level and dimension names."""
    data = find_model("customer-engagement").model_dump(mode="python")
    for dimension in data["dimensions"]:
        dimension["name"] = "Customer understanding and involvement " + dimension["name"]
    for level in data["levels"]:
        level["name"] = "Initial, ad hoc and mostly reactive " + level["name"]
    return build_session(
        team="Apollo Customer Experience Platform Squad North East",
        model=MaturityModel.model_validate(data),
        participants=EIGHT,
    )


async def test_the_header_never_runs_into_a_running_timer(folder: Path) -> None:
    app = make_app(folder, long_winded_session())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")  # running: the timer no longer says "paused"
        await settle(pilot)
        bar, where = screen_lines(app)[:2]
        assert re.search(r"… +saved \d\d:\d\d:\d\d $", bar), bar
        assert re.search(r"… +⏱ \d:\d\d $", where), f"cut visibly, then the timer: {where!r}"
        app.screen.query_one(Timebox).remaining = -30  # over time: "OVER by 0:30", wider
        await settle(pilot)
        where = screen_lines(app)[1]
        assert re.search(r"… +OVER by 0:30 $", where), where


# --- 6. The action form: the indicator's statement selected, so typing replaces it --------


async def test_the_action_form_selects_the_statement_so_typing_replaces_it(folder: Path) -> None:
    app = make_app(folder, build_session())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "a")  # an action for the first objective
        await settle(pilot)
        title = app.screen.query_one("#title", Input)
        statement = title.value
        assert statement and title.selected_text == statement, "all of it selected"
        await pilot.press(*"Book visits", "enter")
        await settle(pilot)
        await pilot.press("a")  # the next one: enter keeps the statement as it is
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
    titles = [action.title for action in load_session(folder / "apollo-2026-q4.toml").actions]
    assert titles == ["Book visits", statement]


async def test_the_results_say_voting_on_a_number_on_one_line(folder: Path) -> None:
    app = make_app(folder, build_session(participants=EIGHT))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"44444444", "r", "n", "5", "v")  # 18 unrated, 2 being voted on
        await settle(pilot)
        lines = [line.replace("\xa0", " ") for line in screen_lines(app)]
        assert any("voting on 2" in line for line in lines), "\n".join(lines)
