"""A vote repaints only what it changed, leaves no cyclic garbage on the UI thread, and the
footer changes only the keys that come or go (issue 19: every keystroke within a frame)."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from textual._compositor import ChopsUpdate
from textual.widgets import Footer
from textual.widgets._footer import FooterKey
from tuikit import build_session, make_app, settle

from maturity_tui.storage import load_session
from maturity_tui.tui import autosave
from maturity_tui.tui.screens.voting import VotingScreen
from maturity_tui.tui.widgets.footer import KeysFooter
from maturity_tui.tui.widgets.voting import ParticipantList, Tally
from waitkit import PATIENCE

PEOPLE = [f"Person {n}" for n in range(1, 11)]


def repainted_rows(app: Any) -> set[int]:
    """Start recording the screen rows each frame repaints; a full repaint records every row."""
    rows: set[int] = set()
    display = app._display

    def recording(screen: Any, update: Any) -> None:
        if isinstance(update, ChopsUpdate):
            rows.update(y for y, _, _ in update.spans)
        elif update is not None:
            rows.update(range(app.size.height))
        display(screen, update)

    app._display = recording
    return rows


async def test_a_vote_repaints_only_the_two_marks_and_the_count(folder: Path) -> None:
    app = make_app(folder, build_session(participants=PEOPLE))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")  # the first vote shows undo in the footer: not this test's
        await settle(pilot)
        listed = app.screen.query_one(ParticipantList).content_region
        tally = app.screen.query_one(Tally).content_region
        rows = repainted_rows(app)
        await pilot.press("4")  # the second person's vote: the highlight moves to the third
        await settle(pilot)
        assert rows == {listed.y + 1, listed.y + 2, tally.y}, (
            "a vote repaints its voter's mark, the highlight's move and the count, nothing else"
        )
        assert "2 of 10 voted" in str(app.screen.query_one(Tally).render())


async def test_a_burst_of_votes_leaves_no_cyclic_garbage(folder: Path) -> None:
    """The vote's path on the UI thread (the handler, the workshop, the autosave snapshot,
    the widgets' updates) frees what it allocates by reference counting: the collector has
    nothing to find, so it has no reason to pause a keystroke. (Drawing the frame is
    Textual's: its strips cache themselves, and are not counted here.)"""
    people = [f"Person {n}" for n in range(1, 51)]  # the burst stays in one round
    app = make_app(folder, build_session(participants=people))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, VotingScreen) and app.workshop is not None
        screen.action_vote(1)  # the first of a kind fills caches: not per vote
        await settle(pilot)
        screen.action_vote(2)  # lets go of the last frame's lines (Textual's strips)
        gc.collect()
        gc.disable()
        try:
            for n in range(40):
                screen.action_vote(n % 5 + 1)
            found = gc.collect()
        finally:
            gc.enable()
        assert found == 0, f"{found} objects in reference cycles after 40 votes"
        await settle(pilot)


def footer_keys(footer: Footer) -> list[FooterKey]:
    return list(footer.query_children(FooterKey))


async def assert_drawn_as_textual_would(pilot: Any, footer: KeysFooter) -> None:
    """The screen is drawn as it is when Textual's Footer rebuilds every key."""
    kept = footer_keys(footer)
    drawn = [list(strip) for strip in pilot.app.screen._compositor.render_strips()]
    footer._shown = None  # forget them: the next change rebuilds every key, as Footer does
    footer.call_later(footer.recompose)  # in the footer's context, as Textual calls it
    await settle(pilot)
    assert not set(footer_keys(footer)) & set(kept), "rebuilt"
    rebuilt = [list(strip) for strip in pilot.app.screen._compositor.render_strips()]
    assert drawn == rebuilt, "the footer draws as Textual's would"


async def test_the_first_vote_enables_undo_where_it_stands(folder: Path) -> None:
    """Undo is there, dimmed, before anyone votes: the first vote of an indicator lays out
    nothing again (a key that comes or goes does, the whole screen: 5-17 ms)."""
    app = make_app(folder, build_session(participants=PEOPLE))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeysFooter)
        before = footer_keys(footer)
        undo = next(key for key in before if key.action == "undo")
        assert undo.has_class("-disabled")
        await pilot.press("3")
        await settle(pilot)
        assert footer_keys(footer) == before, "no key mounted or removed"
        assert not undo.has_class("-disabled")
        await assert_drawn_as_textual_would(pilot, footer)


async def test_the_footer_mounts_only_the_key_that_appears(folder: Path) -> None:
    app = make_app(folder, build_session(participants=PEOPLE))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeysFooter)
        before = footer_keys(footer)
        assert "previous" not in [key.action for key in before]
        await pilot.press("n")  # on to the second indicator: previous appears
        await settle(pilot)
        after = footer_keys(footer)
        added = [key for key in after if key not in before]
        assert [key.action for key in added] == ["previous"]
        assert [key for key in after if key in before] == before, "the other keys stay"
        await assert_drawn_as_textual_would(pilot, footer)


async def test_the_vote_is_drawn_before_its_save_dumps(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The save worker's TOML dump holds the GIL: it starts once the vote's frame is drawn."""
    monkeypatch.setattr(autosave, "DRAW_WAIT", PATIENCE)  # the frame, never the bound, frees it
    events: list[str] = []
    save = autosave.save_session_data
    monkeypatch.setattr(autosave, "save_session_data", lambda *a: (events.append("save"), save(*a)))
    app = make_app(folder, build_session(participants=PEOPLE))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        display = app._display

        def drawn(screen: Any, update: Any) -> None:
            display(screen, update)
            if update is not None:
                events.append("frame")

        app._display = drawn  # type: ignore[method-assign]
        events.clear()
        await pilot.press("3")
        await settle(pilot)
        assert events[:2] == ["frame", "save"]
        assert app.workshop is not None
        assert load_session(app.saver.path) == app.workshop.session  # type: ignore[union-attr]
